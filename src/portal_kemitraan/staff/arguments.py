"""The command line's arguments: their types, the parser of every command, and argparse's words in the reader's language."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import re
import sys
import unicodedata
from . import report
from ..core.problems import Text, said
from ..render.i18n import LANGUAGES, N_


def command(module: str, name: str):
    """The function of a command, imported from its module only when that command runs: a command starts
    without the tools of every other (the site's render, the agreement's drafting, the mail merge)."""

    def run(args, reporter) -> int:
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)(args, reporter)

    run.__qualname__, run.names = name, (module, name)
    return run


DEFAULT_DATA = "partners"  # relative to the current folder: run the commands from the project folder


DEFAULT_CONFIG = "mkdocs.yml"


EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # --today and --date outside this are typos


# argparse's own words (usage, errors, section titles), in the same catalogs as every other message.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("expected at least one argument"), N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"), N_("expected %s argument"), N_("expected %s arguments"),
)


def _pattern(template: str) -> re.Pattern:
    """A regular expression that reads back the values an argparse template was filled with."""
    parts = re.split(r"(%\([a-z_]+\)[sr]|%[sr])", template)
    regex = "".join(f"(?P<{m.group(1)}>.*?)" if (m := re.fullmatch(r"%\(([a-z_]+)\)[sr]", part)) else "(.*?)" if part in ("%s", "%r") else re.escape(part)
                    for part in parts)
    return re.compile(regex + r"\Z", re.S)


_TEMPLATES = [(template, _pattern(template)) for template in ARGPARSE_MESSAGES]


def translate_argparse(message: str, gettext) -> str:
    """An argparse message (made of its own English templates) in the language of `gettext`, word for word
    where a template matches, the values it holds kept (and translated too where they are messages)."""
    for template, pattern in _TEMPLATES:
        found = pattern.match(message)
        if found is None:
            continue
        named = found.groupdict()
        if named:
            values = {k: translate_argparse(v, gettext) for k, v in named.items()}
            return re.sub(r"(%\([a-z_]+\))r", r"\1s", gettext(template)) % values  # the values hold their quotes already
        values = tuple(translate_argparse(v, gettext) for v in found.groups())
        return gettext(template).replace("%r", "%s") % values if values else gettext(template)
    return message


class _Formatter(argparse.HelpFormatter):
    """argparse's help, its "usage: " in the parser's language."""

    gettext = staticmethod(lambda text: text)

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, self.gettext("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that says argparse's words (usage, section titles, errors) through the portal's
    catalog: set as `gettext` on a subclass made for one language (see parser_class), argparse untouched."""

    gettext = staticmethod(lambda text: text)

    def __init__(self, *args, **kwargs):
        formatter = type("Formatter", (_Formatter,), {"gettext": staticmethod(self.gettext)})
        super().__init__(*args, formatter_class=formatter, add_help=False, **kwargs)
        self._positionals.title = self.gettext("positional arguments")
        self._optionals.title = self.gettext("options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=self.gettext("show this help message and exit"))

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, self.gettext("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": translate_argparse(message, self.gettext)})


def parser_class(gettext=None) -> type:
    """The parser class that speaks the language of `gettext` (argparse's own English without one)."""
    return type("Parser", (_Parser,), {"gettext": staticmethod(gettext or (lambda text: text))})


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")  # day first, as Indonesian dates are written


class ArgumentTypes:
    """The checked values of the command line, refused in the reader's language (`gettext`)."""

    def __init__(self, gettext=None):
        self.gettext = gettext

    def date(self, text: str) -> dt.date:
        """A day as 2026-11-20 or as Indonesians write it, 20/11/2026 (also 20-11-2026 or 20.11.2026)."""
        value = None
        try:
            value = dt.date.fromisoformat(text.strip())
        except ValueError:
            found = _DAY_MONTH_YEAR.fullmatch(text.strip())
            try:
                value = dt.date(int(found.group(3)), int(found.group(2)), int(found.group(1))) if found else None
            except ValueError:
                value = None
        if value is None:
            raise argparse.ArgumentTypeError(said(Text('{text!r} is not a date like 2026-12-01 or 01/12/2026', text=text), self.gettext))
        if not EARLIEST_DAY <= value <= LATEST_DAY:
            raise argparse.ArgumentTypeError(said(Text('{text!r} is outside {year}-{year2}', text=text, year=EARLIEST_DAY.year, year2=LATEST_DAY.year), self.gettext))
        return value

    def days(self, text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(said(Text('{text!r} is not a whole number of days', text=text), self.gettext))
        if not 0 <= value <= 36_500:
            raise argparse.ArgumentTypeError(said(Text('{text!r} is not between 0 and 36500 days', text=text), self.gettext))
        return value

    def text(self, text: str) -> str:
        """A line of text from the command line: not empty; the partner checks refuse control characters."""
        if not text.strip():
            raise argparse.ArgumentTypeError(said(Text("must not be empty"), self.gettext))
        return text

    def argument_text(self, text: str) -> str:
        """A name given on the command line: one line of printable text, at most 200 characters."""
        text = text.strip()
        if not text:
            raise argparse.ArgumentTypeError(said(Text("must not be empty"), self.gettext))
        if len(text) > 200 or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
            raise argparse.ArgumentTypeError(said(Text("must be one line of printable text, at most 200 characters"), self.gettext))
        return text

    def slug(self, text: str) -> str:
        from ..core.catalog import check_slug

        problem = check_slug(text)
        if problem:
            raise argparse.ArgumentTypeError(said(Text("the slug: {problem}", problem=problem), self.gettext))
        return text


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help=Text("the partners folder to use (default: partners/)"))


def _say_help(parser: argparse.ArgumentParser, gettext) -> None:
    """Every description and help text of a parser and its commands in the language of `gettext`."""
    parser.description = said(parser.description, gettext) if parser.description else parser.description
    for action in parser._actions:
        if isinstance(action.help, Text):
            action.help = said(action.help, gettext)
        for choice in getattr(action, "_choices_actions", []):
            choice.help = said(choice.help, gettext)
        if isinstance(action, argparse._SubParsersAction):
            for command in set(action.choices.values()):
                _say_help(command, gettext)


def build_parser(gettext=None) -> argparse.ArgumentParser:
    """The command line of `portal`, its help in the language of `gettext` (the code's words without one)."""
    parser = parser_class(gettext)(
        prog="portal",
        description=Text("Staff commands for the partner portal's data (partners/*.yml)."),
    )
    parser.add_argument("--lang", choices=LANGUAGES, metavar="{id,en}",
                        help=Text("the language of the messages and help: id or en (default: the locale's, LANG; else id)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))
    types = ArgumentTypes(gettext)
    sub.required = True
    _partner_file_commands(sub, types)
    _form_commands(sub, types)
    _follow_up_commands(sub, types)
    _site_commands(sub, types)
    if gettext is not None:
        _say_help(parser, gettext)
    return parser


def _partner_file_commands(sub, types: ArgumentTypes) -> None:
    """The commands that check the partner files or write a new one."""
    p = sub.add_parser("validate", help=Text("check every data file; exit 0 when valid, 1 with messages when not"))
    _add_data(p)
    p.add_argument("--today", type=types.date, default=None, help=Text("date to check last_verified against (default: today)"))
    p.add_argument("-q", "--quiet", action="store_true", help=Text("print errors only, no notes or summary"))
    p.add_argument("--no-cache", action="store_true", help=Text("check every file even when nothing changed since the last run"))
    p.set_defaults(func=command("data_commands", "cmd_validate"))

    p = sub.add_parser("new", help=Text("write a new, valid partner file to fill in"))
    p.add_argument("name", help=Text("the partner's name, e.g. \"Koperasi Tani Makmur\""))
    p.add_argument("--pattern", required=True, type=types.argument_text, help=Text("the pattern, by its name or id, e.g. \"Bapak angkat\" or general-trade"))
    p.add_argument("--side", required=True, type=types.argument_text, help=Text("the side within the pattern, by its name or id, e.g. \"Anak angkat\" or supplier"))
    p.add_argument("--province", required=True, type=types.argument_text, help=Text("province, e.g. \"Jawa Barat\" or Jabar"))
    p.add_argument("--kind", type=types.argument_text, help=Text("the kind of organisation, by its name or id, e.g. Koperasi or cooperative"))
    p.add_argument("--summary", help=Text("one-line summary (can be edited later)"))
    p.add_argument("--slug", type=types.slug, help=Text("file name to use instead of one derived from the name"))
    p.add_argument("--visibility", choices=["public", "unlisted", "hidden"], default="hidden", help=Text("default hidden until reviewed"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_new"))

    p = sub.add_parser("list", help=Text("one line per partner: slug, pattern, side, stage, visibility"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_list"))

    p = sub.add_parser("schema", help=Text("write partners/partner.schema.json for editors (or --check it is current)"))
    p.add_argument("--check", action="store_true", help=Text("exit 1 when the committed schema is stale"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_schema"))


def _form_commands(sub, types: ArgumentTypes) -> None:
    """The commands that read a form's export."""
    p = sub.add_parser("form", help=Text("write the intake form as an XLSForm for KoboToolbox or ODK (its export imports with no mapping)"))
    p.add_argument("-o", "--output", metavar="FILE", default="formulir-kemitraan.xlsx",
                   help=Text("where to write it, outside the data folder (default: formulir-kemitraan.xlsx)"))
    p.add_argument("--today", type=types.date, default=None, help=Text("the date inside the file (default: today)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("where the organisation's name is set (extra.portal)"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_form"))

    p = sub.add_parser("import", help=Text("turn an intake form's CSV export into new hidden partner files"))
    p.add_argument("csv", help=Text("the responses file (CSV with a header row; , ; or tab; UTF-8 or Windows-1252)"))
    p.add_argument("--mapping", metavar="FILE", help=Text("column mapping (default: partners/templates/intake-mapping.yml)"))
    p.add_argument("--dry-run", action="store_true", help=Text("show what would be written, write nothing"))
    p.add_argument("--date-order", choices=("dmy", "mdy"), help=Text("day/month order of the timestamps when the file cannot settle it"))
    p.add_argument("--today", type=types.date, default=None, help=Text("date recorded as imported_on (default: today)"))
    p.add_argument("--map", action="store_true",
                   help=Text("import nothing: write a starting mapping for this file's own column titles and answers, to check and edit"))
    p.add_argument("--map-out", metavar="FILE", help=Text("where --map writes (default: partners/templates/intake-mapping.<file>.yml; never replaced)"))
    _add_data(p)
    p.set_defaults(func=command("intake_commands", "cmd_import"))

    p = sub.add_parser("corrections", help=Text("read the correction form's export: each partner's changes, applied in place once accepted"))
    p.add_argument("csv", help=Text("the correction form's responses (CSV)"))
    p.add_argument("--mapping", metavar="FILE", help=Text("column mapping (default: partners/templates/correction-mapping.yml)"))
    p.add_argument("--apply", action="store_true", help=Text("write the changes: each one asked for at a terminal, else all shown, or those --only names"))
    p.add_argument("--only", action="append", metavar="SLUG[:FIELD]", help=Text("accept only these changes (comma-separated, repeatable)"))
    p.add_argument("--today", type=types.date, default=None, help=Text("the day of the check (default: today); last_verified is the response's date"))
    _add_data(p)
    p.set_defaults(func=command("intake_commands", "cmd_corrections"))


def _follow_up_commands(sub, types: ArgumentTypes) -> None:
    """The commands that follow partners up: the report, agreements, profile checks, activities."""
    p = sub.add_parser("report", help=Text("the pipeline and who needs attention today"))
    p.add_argument("--today", type=types.date, default=None, help=Text("the day to report for (default: today)"))
    p.add_argument("--format", choices=sorted(report.FORMATS), default="table", help=Text("table (default), csv, json or md"))
    p.add_argument("--ending-days", type=types.days, default=None, metavar="N", help=Text("agreements ending within N days (default: extra.portal.ending_soon_days, 60)"))
    p.add_argument("--stale-days", type=types.days, default=None, metavar="N", help=Text("verification or contact older than N days (default: extra.portal.stale_days, 183)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("where the portal's settings are (extra.portal)"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_report"))

    p = sub.add_parser("mou", help=Text("draft a written agreement (MoU) for one partner"))
    p.add_argument("slug", type=types.slug, help=Text("the partner's slug (file name without .yml)"))
    p.add_argument("--lang", choices=LANGUAGES, default="id", help=Text("id (default) or en"))
    p.add_argument("--html", action="store_true", help=Text("a printable HTML page instead of Markdown"))
    p.add_argument("--with", dest="counterpart", metavar="SLUG_OR_NAME", type=types.argument_text,
                   help=Text("the other side: a partner's slug or a name (default: agreement.counterpart, else the organisation where it is a party)"))
    p.add_argument("-o", "--output", metavar="FILE", help=Text("write to FILE (outside the data folder) instead of printing"))
    p.add_argument("--today", type=types.date, default=None, help=Text("the draft's date (default: today)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("where the organisation's name is set (extra.portal)"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_mou"))

    p = sub.add_parser("verify", help=Text("write a check-your-profile message to each partner due for one (.eml and a mail-merge CSV)"))
    p.add_argument("--days", type=types.days, default=None, metavar="N", help=Text("due when last checked more than N days ago (default: extra.portal.stale_days, 183)"))
    p.add_argument("--lang", choices=("id", "en"), default="id", help=Text("the messages' language: id (default) or en"))
    p.add_argument("--out", metavar="DIR", help=Text("a folder outside the data folder (default: outbox/verify-DATE/ beside it, ignored by git)"))
    p.add_argument("--dry-run", action="store_true", help=Text("list who is due, write nothing"))
    p.add_argument("--today", type=types.date, default=None, help=Text("the day to check against (default: today)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (site_url, extra.portal)"))
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_verify"))

    p = sub.add_parser("verified", help=Text("record that a partner checked its profile (sets last_verified, keeps the file's layout)"))
    p.add_argument("slug", type=types.slug, help=Text("the partner's slug"))
    p.add_argument("--date", type=types.date, default=None, help=Text("the day it was checked (default: today)"))
    p.add_argument("--today", type=types.date, default=None, help=argparse.SUPPRESS)
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_verified"))

    p = sub.add_parser("new-activity", help=Text("add an activity to a partner's file (shown on its page and in the news)"))
    p.add_argument("slug", type=types.slug, help=Text("the partner's slug"))
    p.add_argument("title", type=types.text, help=Text("what happened, in a few words"))
    p.add_argument("--date", type=types.date, default=None, help=Text("when (default: today)"))
    p.add_argument("--summary", type=types.text, default=None, help=Text("one or two sentences more"))
    p.add_argument("--today", type=types.date, default=None, help=argparse.SUPPRESS)
    _add_data(p)
    p.set_defaults(func=command("data_commands", "cmd_new_activity"))


def _site_commands(sub, types: ArgumentTypes) -> None:
    """The commands over the whole site and its configuration."""
    p = sub.add_parser("render", help=Text("write the site's pages, exports and logos as a docs folder for any engine (e.g. zensical)"))
    p.add_argument("--out", required=True, metavar="DIR", help=Text("the folder to write (new, empty, or written by render before)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml)"))
    p.set_defaults(func=command("site_commands", "cmd_render"))

    p = sub.add_parser("init", help=Text("make the demo your organisation's portal: name, addresses, languages; the demo partners removed"))
    p.add_argument("--name", help=Text("the organisation's name"))
    p.add_argument("--url", help=Text("the site's public address (https://…/)"))
    p.add_argument("--email", help=Text("the contact e-mail address"))
    p.add_argument("--form", help=Text("the intake form's https address (default: none, applicants write an e-mail)"))
    p.add_argument("--languages", help=Text("the editions to publish: id or id,en (default: id,en)"))
    p.add_argument("--repository", help=Text("the data repository's address, for edit links in staff previews (default: none)"))
    p.add_argument("--keep-demo", action="store_true", help=Text("keep the demo's partners (default: removed)"))
    p.add_argument("-y", "--yes", action="store_true", help=Text("ask nothing: take the options as given"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml)"))
    p.set_defaults(func=command("site_commands", "cmd_init"))

    p = sub.add_parser("check", help=Text("the gate before publishing: validate, build every edition strictly, read the site against the data"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml); every edition beside it is checked"))
    p.add_argument("--no-build", action="store_true", help=Text("check the site as it is already built, without building it again"))
    p.set_defaults(func=command("site_commands", "cmd_check"))

    p = sub.add_parser("part", help=Text("build one part of every edition on this machine, for a site built on several (then portal join)"))
    p.add_argument("part", metavar="NUMBER/COUNT", help=Text("which part, e.g. 2/3: part 1 builds every page no single partner owns, the other parts the partners' own pages, split by slug"))
    p.add_argument("--out", required=True, metavar="DIR", help=Text("the folder to build the part into (new, empty, or a part built before)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml)"))
    p.set_defaults(func=command("parts", "cmd_part"))

    p = sub.add_parser("join", help=Text("join the parts built by portal part into the site folder, then check it as portal check does"))
    p.add_argument("parts", nargs="+", metavar="DIR", help=Text("the folders of every part, each built by portal part"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml)"))
    p.set_defaults(func=command("parts", "cmd_join"))

    p = sub.add_parser("doctor", help=Text("check that the configuration and data are ready to go live, and say what to change"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration to check"))
    _add_data(p)
    p.set_defaults(func=command("site_commands", "cmd_doctor"))

