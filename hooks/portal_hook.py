"""MkDocs entry point (named in mkdocs.yml): every event is handled by the installed package's adapter."""

from portal_kemitraan.adapters.chrome import Chrome
from portal_kemitraan.adapters.mkdocs import MkDocsAdapter
from portal_kemitraan.adapters.preview import Preview
from portal_kemitraan.adapters.templatecache import user_cache

# MkDocs loads a hook as a module: the adapter object carries the build's state, and in `serve` the
# preview it makes keeps what is worth keeping between rebuilds; a build draws its profiles from one drawing of
# the theme per page shape (Chrome); a build's templates compile once into the user's cache folder
# (user_cache). The adapters meet only here.
_adapter = MkDocsAdapter(preview=Preview, chrome=Chrome, compiled=user_cache)

on_startup = _adapter.on_startup
on_config = _adapter.on_config
on_files = _adapter.on_files
on_nav = _adapter.on_nav
on_env = _adapter.on_env
on_page_markdown = _adapter.on_page_markdown
on_page_content = _adapter.on_page_content
on_post_page = _adapter.on_post_page
on_serve = _adapter.on_serve
on_post_build = _adapter.on_post_build
on_build_error = _adapter.on_build_error
on_shutdown = _adapter.on_shutdown
