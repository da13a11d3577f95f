"""One Jinja2 environment for every template file: HTML and XML autoescaped, others plain."""

from __future__ import annotations

import json
import os
from functools import lru_cache

import jinja2

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _autoescape(name: str | None) -> bool:
    return bool(name) and any(part in name for part in (".html", ".xml", ".svg"))


def _yaml_scalar(value) -> str:
    """A value as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


@lru_cache(maxsize=8)
def environment(extra_dir: str | None = None) -> jinja2.Environment:
    dirs = [extra_dir, TEMPLATES] if extra_dir else [TEMPLATES]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml"] = _yaml_scalar
    env.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
    return env


def render(template: str, extra_dir: str | None = None, **context) -> str:
    return environment(extra_dir).get_template(template).render(**context)
