"""The portal's settings, read from mkdocs.yml's `extra.portal`, with defaults for every key."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Literal, Optional
from urllib.parse import quote, urlencode, urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .fieldtypes import email_address
from .safefs import Refused, read_regular
from .problems import Text, joined


def _https_or_empty(value: str) -> str:
    if value and (urlsplit(value).scheme != "https" or not urlsplit(value).netloc):
        raise ValueError(Text('{value!r} must be an https:// address (or empty)', value=value))
    return value


FormField = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class PrefilledForm(BaseModel):
    """An outside form that takes answers in its address, such as a Google Form's `entry.N=` parameters
    ("Get pre-filled link" shows each question's number): which parameter receives which value."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    url: Annotated[str, AfterValidator(_https_or_empty), StringConstraints(min_length=1)]
    fields: dict[Literal["slug", "name", "address"], FormField] = Field(min_length=1)

    def href(self, values: dict[str, str]) -> str:
        """The form's address with the configured answers filled in (Google Forms also wants usp=pp_url)."""
        params = [("usp", "pp_url")] if "docs.google.com/forms" in self.url else []
        params += [(param, values[key]) for key, param in self.fields.items() if values.get(key)]
        return self.url + ("&" if "?" in self.url else "?") + urlencode(params, quote_via=quote)


class Licence(BaseModel):
    """The licence of the published data: a name people read, an SPDX-style id and its legal text's address."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.+-]{1,64}$")]
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    url: Annotated[str, AfterValidator(_https_or_empty), StringConstraints(min_length=1)]


CC_BY_4 = Licence(id="CC-BY-4.0", title="Creative Commons Attribution 4.0 International", url="https://creativecommons.org/licenses/by/4.0/")

ENDING_SOON_DAYS = 60  # the one default for "agreement ending soon", used by the site and `report`
STALE_DAYS = 183  # about six months without verification or contact


class Settings(BaseModel):
    """extra.portal in mkdocs.yml: every key typed and checked; an unknown key or a wrong type is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "Portal Kemitraan"
    data_dir: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "partners"
    contact_email: Annotated[str, AfterValidator(email_address)] = "kemitraan@example.org"
    intake_form_url: Annotated[str, AfterValidator(_https_or_empty)] = ""  # an outside form; empty: the mailto form
    correction_form: Optional[PrefilledForm] = None  # a form for corrections, prefilled; else e-mail
    data_licence: Optional[Licence] = None  # the open data's licence; None: CC BY 4.0
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
            raise ValueError(Text("extra.portal: must be a mapping of settings"))
        try:
            return cls.model_validate({k: v for k, v in raw.items() if v is not None})
        except ValidationError as exc:
            lines = []
            for error in exc.errors(include_url=False):
                where = ".".join(str(x) for x in error["loc"])
                if error["type"] == "extra_forbidden":
                    known = ", ".join(cls.model_fields)
                    lines.append(Text('extra.portal.{where}: unknown setting; known: {known}', where=where, known=known))
                elif error["type"].startswith("date_"):
                    lines.append(Text('extra.portal.{where}: must be a date written as YYYY-MM-DD', where=where))
                else:
                    message = str((error.get("ctx") or {}).get("error") or error["msg"])
                    lines.append(Text('extra.portal.{where}: {value}', where=where, value=message[:1].lower() + message[1:]))
            raise ValueError(joined(lines))

    @property
    def licence(self) -> Licence:
        return self.data_licence or CC_BY_4

    def build_date(self) -> dt.date:
        """The date the site is built 'as of': fixed by setting or SOURCE_DATE_EPOCH for reproducible builds."""
        if self.today:
            return self.today
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        return dt.date.today()


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


def parse_mkdocs_config(text: str) -> dict:
    """A configuration's text as plain data, as read_mkdocs_config reads it; ValueError when it is not one."""
    try:
        config = yaml.load(text, Loader=_ConfigLoader) or {}
    except yaml.YAMLError as exc:
        raise ValueError(Text('cannot be read as YAML: {value}', value=str(exc).splitlines()[0]))
    if not isinstance(config, dict):
        raise ValueError(Text("must be a mapping of settings"))
    return config


def read_mkdocs_config(path: str) -> dict:
    """mkdocs.yml as plain data (Python tags and !ENV read as nothing); {} when there is none.
    Raises ValueError with one line for a file that cannot be read or parsed."""
    try:
        raw = read_regular(path, 1024 * 1024)
    except Refused as exc:
        if exc.message == Text("does not exist"):
            return {}
        raise ValueError(exc.message)
    try:
        return parse_mkdocs_config(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(Text('cannot be read as YAML: {value}', value=str(exc).splitlines()[0]))


def settings_from_mkdocs(path: str) -> Settings:
    """The portal settings of a project, for the staff commands (which run without MkDocs)."""
    extra = read_mkdocs_config(path).get("extra")
    return Settings.from_extra(extra if isinstance(extra, dict) else None)
