"""The Jinja2 environment of the project's templates: HTML, XML and SVG autoescaped, others plain. A file of
the same name in the site's overrides folder wins over the built-in one, as Material's own templates do."""

from __future__ import annotations

import json
import os
from urllib.parse import quote, urlencode

import jinja2
import markupsafe

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _autoescape(name: str | None) -> bool:
    return bool(name) and any(part in name for part in (".html", ".xml", ".svg"))


def _lang_attr(lang: str | None):
    return markupsafe.Markup(f' lang="{lang}"') if lang else ""


def _yaml_scalar(value) -> str:
    """A value as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _words(gettext):
    """The templates' `_` and `gettext`, as Jinja's i18n extension makes them with newstyle=True: the
    translation, marked safe where the template autoescapes, then %-formatted with its variables. A message
    without variables comes out the same every time, so it is made once per environment (one edition's
    build): the extension's three nested calls, the Markup and the formatting at every use were a quarter
    of a profile's drawing."""
    made: dict[tuple[str, bool], str] = {}

    @jinja2.pass_eval_context
    def words(eval_ctx, __string: str, **variables) -> str:
        key = (__string, eval_ctx.autoescape)
        if not variables and key in made:
            return made[key]
        rv = gettext(__string)
        rv = (markupsafe.Markup(rv) if eval_ctx.autoescape else rv) % variables
        if not variables:
            made[key] = rv
        return rv

    return words


def state(env: jinja2.Environment) -> tuple:
    """Every template file the environment can read, with its size and modification time: a change to
    any of them (an edited override, say) shows here."""
    found = []
    for folder in env.loader.searchpath:
        for parent, _, names in os.walk(folder):
            for name in sorted(names):
                path = os.path.join(parent, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found.append((path, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


def environment(overrides: str | None = None, locale=None, settings=None) -> jinja2.Environment:
    """An environment reading `overrides` first (when given), then the built-in templates, speaking the
    language of `locale` (an i18n.Locale; Indonesian when not given)."""
    from .i18n import Locale, localized, phone, whatsapp_link

    locale = locale or Locale("id")
    dirs = [overrides, TEMPLATES] if overrides else [TEMPLATES]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # one environment per build: its templates are read once, not checked at every page
    )
    env.install_gettext_translations(locale.translations, newstyle=True)
    env.globals["_"] = env.globals["gettext"] = _words(locale.translations.gettext)
    env.globals.update(
        lang=locale.code,
        t=lambda texts: locale.pick(texts.model_dump() if hasattr(texts, "model_dump") else texts),
        format_date=locale.date,
        text=lambda p, field: localized(p, field, locale.code)[0],
        lang_of=lambda p, field: _lang_attr(localized(p, field, locale.code)[1]),
    )
    env.filters["phone"] = phone
    env.filters["whatsapp"] = whatsapp_link
    if settings is not None:
        env.globals["correction_href"] = lambda p, address="": correction_href(settings, p, locale, address)
        env.globals["correction_mailto"] = lambda p, address="": correction_mailto(settings, p, locale, address)
    env.filters["yaml"] = _yaml_scalar
    env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
    return env


def correction_href(settings, partner, locale, address: str = "") -> str:
    """Where 'Request a correction' goes: the correction form with the partner's slug, name (and the
    page's `address`) filled in, else an e-mail (see correction_mailto)."""
    if settings.correction_form:
        return settings.correction_form.href({"slug": partner.slug, "name": partner.name, "address": address})
    return correction_mailto(settings, partner, locale, address)


def correction_mailto(settings, partner, locale, address: str = "") -> str:
    """A correction e-mail to the contact address with the partner's slug, name and the page's address (the
    absolute `address` when the site's is known: the mail is read away from the site), in the edition's
    language. The fallback beside a form."""
    _ = locale.gettext
    subject = _("Koreksi profil mitra: {name} ({slug})").format(name=partner.name, slug=partner.slug)
    body = _("Profil: {url}\nBagian yang keliru:\n\nSeharusnya:\n\nNama dan peran pengirim:\n").format(url=address or f"/{locale.prefix}partners/{partner.slug}/")
    return f"mailto:{settings.contact_email}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def render(template: str, overrides: str | None = None, **context) -> str:
    """One template rendered once (staff commands); pages use one environment for the whole build."""
    return environment(overrides).get_template(template).render(**context)
