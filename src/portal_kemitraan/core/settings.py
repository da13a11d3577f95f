"""The portal's settings, read from mkdocs.yml's `extra.portal`, with defaults for every key."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Optional
from urllib.parse import quote, urlencode, urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .models import email_address
from .safefs import Refused, read_regular


def _https_or_empty(value: str) -> str:
    if value and (urlsplit(value).scheme != "https" or not urlsplit(value).netloc):
        raise ValueError(f"{value!r} must be an https:// address (or empty)")
    return value


def _correction_fields(value: str) -> str:
    try:
        value.format(slug="x", name="x")
    except (KeyError, IndexError, ValueError):
        raise ValueError("may use only {slug} and {name} as placeholders")
    return value


ENDING_SOON_DAYS = 60  # the one default for "agreement ending soon", used by the site and `report`
STALE_DAYS = 183  # about six months without verification or contact


class Settings(BaseModel):
    """extra.portal in mkdocs.yml: every key typed and checked; an unknown key or a wrong type is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "Portal Kemitraan"
    data_dir: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "partners"
    contact_email: Annotated[str, AfterValidator(email_address)] = "kemitraan@example.org"
    intake_form_url: Annotated[str, AfterValidator(_https_or_empty)] = ""  # an outside form; empty: the mailto form
    correction_url: Annotated[str, AfterValidator(_https_or_empty), AfterValidator(_correction_fields)] = ""
    reply_days: Annotated[int, Field(ge=1, le=60)] = 5  # working days until an applicant hears back
    follow_up: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "staf kemitraan"
    ending_soon_days: Annotated[int, Field(ge=1, le=3650)] = ENDING_SOON_DAYS
    stale_days: Annotated[int, Field(ge=1, le=3650)] = STALE_DAYS
    page_size: Annotated[int, Field(ge=6, le=500)] = 48  # cards per directory page (and in the first HTML)
    today: Optional[dt.date] = None  # pin the build date; else SOURCE_DATE_EPOCH, else today

    @classmethod
    def from_extra(cls, extra: dict | None) -> "Settings":
        """The settings in `extra.portal`; ValueError with one line per problem."""
        raw = (extra or {}).get("portal") or {}
        if not isinstance(raw, dict):
            raise ValueError("extra.portal: must be a mapping of settings")
        try:
            return cls.model_validate({k: v for k, v in raw.items() if v is not None})
        except ValidationError as exc:
            lines = []
            for error in exc.errors(include_url=False):
                where = ".".join(str(x) for x in error["loc"])
                if error["type"] == "extra_forbidden":
                    known = ", ".join(cls.model_fields)
                    lines.append(f"extra.portal.{where}: unknown setting; known: {known}")
                elif error["type"].startswith("date_"):
                    lines.append(f"extra.portal.{where}: must be a date written as YYYY-MM-DD")
                else:
                    message = str((error.get("ctx") or {}).get("error") or error["msg"])
                    lines.append(f"extra.portal.{where}: {message[:1].lower() + message[1:]}")
            raise ValueError("\n".join(lines))

    def build_date(self) -> dt.date:
        """The date the site is built 'as of': fixed by setting or SOURCE_DATE_EPOCH for reproducible builds."""
        if self.today:
            return self.today
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        return dt.date.today()

    def correction_href(self, partner: dict, locale=None) -> str:
        """Where 'Request a correction' goes, prefilled with the partner's slug and name; `locale` (an
        i18n.Locale) translates the e-mail's subject and prompts."""
        if self.correction_url:
            return self.correction_url.format(slug=quote(partner["slug"]), name=quote(partner["name"]))
        _ = locale.gettext if locale is not None else (lambda text: text)
        prefix = locale.prefix if locale is not None else ""
        subject = _("Koreksi profil mitra: {name} ({slug})").format(name=partner["name"], slug=partner["slug"])
        body = _("Profil: {url}\nBagian yang keliru:\n\nSeharusnya:\n\nNama dan peran pengirim:\n").format(url=f"/{prefix}partners/{partner['slug']}/")
        return f"mailto:{self.contact_email}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its Python tags (!!python/name:…), which become None."""


def _env(loader, node):
    """MkDocs' !ENV tag: `!ENV NAME` or `!ENV [NAME, OTHER, default]`, read from the environment."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else os.environ[name]
    return default


_ConfigLoader.add_constructor("!ENV", _env)
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
