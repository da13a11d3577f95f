"""The portal's settings, read from mkdocs.yml's `extra.portal`, with defaults for every key."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from urllib.parse import quote, urlencode

import yaml

from .safefs import Refused, read_regular


@dataclass
class Settings:
    organisation: str = "Portal Kemitraan"
    data_dir: str = "partners"
    contact_email: str = "kemitraan@example.org"
    intake_form_url: str = ""  # an external form (Google Forms, Microsoft Forms…); empty: the mailto form
    correction_url: str = ""  # may use {slug} and {name}; empty: an e-mail to contact_email
    reply_days: int = 5  # working days until the applicant hears back
    follow_up: str = "staf kemitraan"  # who follows an application up
    ending_soon_days: int = 60
    page_size: int = 48
    today: str = ""  # pin the build date (YYYY-MM-DD); else SOURCE_DATE_EPOCH, else today

    @classmethod
    def from_extra(cls, extra: dict | None) -> "Settings":
        raw = (extra or {}).get("portal") or {}
        if not isinstance(raw, dict):
            raise ValueError("extra.portal: must be a mapping of settings")
        raw = dict(raw)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"extra.portal: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**{k: v for k, v in raw.items() if v is not None})

    def build_date(self) -> dt.date:
        """The date the site is built 'as of': fixed by setting or SOURCE_DATE_EPOCH for reproducible builds."""
        if self.today:
            return dt.date.fromisoformat(str(self.today))
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        return dt.date.today()

    def correction_href(self, partner: dict) -> str:
        """Where 'Request a correction' goes, prefilled with the partner's slug and name."""
        if self.correction_url:
            return self.correction_url.format(slug=quote(partner["slug"]), name=quote(partner["name"]))
        subject = f"Koreksi profil mitra: {partner['name']} ({partner['slug']})"
        body = (
            f"Profil: /partners/{partner['slug']}/\n"
            "Bagian yang keliru:\n\nSeharusnya:\n\nNama dan peran pengirim:\n"
        )
        return f"mailto:{self.contact_email}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its Python tags (!!python/name:…), which become None."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_mkdocs_config(path: str) -> dict:
    """mkdocs.yml as plain data (Python tags and !ENV read as nothing); {} when there is none.
    Raises ValueError with one line for a file that cannot be read or parsed."""
    try:
        raw = read_regular(path, 1024 * 1024)
    except Refused as exc:
        if exc.message == "does not exist":
            return {}
        raise ValueError(exc.message)
    try:
        config = yaml.load(raw.decode("utf-8"), Loader=_ConfigLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot be read as YAML: {str(exc).splitlines()[0]}")
    if not isinstance(config, dict):
        raise ValueError("must be a mapping of settings")
    return config


def settings_from_mkdocs(path: str) -> Settings:
    """The portal settings of a project, for the staff commands (which run without MkDocs)."""
    extra = read_mkdocs_config(path).get("extra")
    return Settings.from_extra(extra if isinstance(extra, dict) else None)
