"""The partner table as an Excel workbook (openpyxl), byte-identical for the same data and build date.

A comma CSV opens as one column in Excel set to Indonesian (whose list separator is ;); a workbook opens
the same everywhere, with real dates, a frozen header row and filters."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .csvout import cell


def workbook(table: list[tuple], rows: list[list], today: dt.date, locale) -> bytes:
    """`table` is (name, type, Indonesian title, English title) per column; `rows` hold the values in that
    order (ISO text for dates). Row 1 has the column names (as in the CSV and the data package)."""
    # Write-only mode streams the rows out (with lxml, several times faster at 10,000 partners).
    book = Workbook(write_only=True)
    sheet = book.create_sheet("mitra" if locale.code == "id" else "partners")
    for column, (name, kind, title_id, title_en) in enumerate(table, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = 12 if kind == "date" else min(48, max(10, len(name) + 4))
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table))}{len(rows) + 1}"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, name, font=bold) for name, *_ in table])
    for values in rows:
        sheet.append([_value(sheet, v, kind) for v, (_, kind, *_) in zip(values, table)])
    return _saved(book, today)


def plain_workbook(sheets: dict[str, list[list]], today: dt.date) -> bytes:
    """A workbook of plain text sheets (name -> rows; the first row bold), byte-identical for the same rows
    and date: an XLSForm, for one."""
    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        bold = Font(bold=True)
        for n, values in enumerate(rows):
            sheet.append([_styled(sheet, cell(v), font=bold) if n == 0 else cell(v) for v in values])
    return _saved(book, today)


def _saved(book: Workbook, today: dt.date) -> bytes:
    """The workbook's bytes, dated `today` inside and out."""
    stamp = dt.datetime.combine(today, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "portal-kemitraan"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_times(raw.getvalue(), today)


def _styled(sheet, value, **style) -> WriteOnlyCell:
    out = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(out, name, setting)
    return out


def _value(sheet, value, kind: str):
    if value in (None, ""):
        return None
    if kind == "date":
        return _styled(sheet, dt.date.fromisoformat(value), number_format="yyyy-mm-dd")
    return cell(value)  # text that Excel would run as a formula is kept as text


def _fixed_times(data: bytes, today: dt.date) -> bytes:
    """The same zip with every member dated `today`, and the document's 'modified' time (which openpyxl sets
    to the moment of saving) set to `today`, so two builds of the same data are identical."""
    stamp = f"{today.isoformat()}T00:00:00Z".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(today.year, today.month, today.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:)", lambda m: m.group(1) + stamp + m.group(2), data)
            target.writestr(fixed, data)
    return out.getvalue()
