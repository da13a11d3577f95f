"""The one CSV writer for everything the project writes: RFC 4180 quoting, and no cell a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
import re
from typing import Iterable

# A cell is a formula in Excel, LibreOffice or Google Sheets when it starts with = + - @, or a tab or
# carriage return before one of them. A signed number (+62 812…, -5) is data and kept as it is.
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d ()\-.]+$)")


def cell(value) -> str:
    """A value as cell text that a spreadsheet shows and never evaluates (lists joined with ;)."""
    if value is None:
        text = ""
    elif isinstance(value, (list, tuple)):
        text = ";".join("" if v is None else str(v) for v in value)
    else:
        text = str(value)
    return "'" + text if _FORMULA.match(text) else text


def csv_text(header: list[str], rows: Iterable[Iterable], bom: bool = False, newline: str = "\r\n") -> str:
    """A whole CSV file: the header, then each row, every cell through `cell`. The BOM makes Excel read UTF-8.
    A row may also be given as a line csv_line() made."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        if isinstance(row, str):
            out.write(row)
        else:
            writer.writerow([cell(v) for v in row])
    return ("\ufeff" if bom else "") + out.getvalue()


def csv_line(row: Iterable, newline: str = "\r\n") -> str:
    """One row as csv_text writes it."""
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerow([cell(v) for v in row])
    return out.getvalue()
