"""File shell, reading side: a contract workbook on disk (.xlsx/.xlsm) to a ``InputData``.

openpyxl in read-only mode with cached values (``data_only``): formulas are never evaluated
and macros are never run. The file passes :func:`indeks_opd.files.package_check.check_package`
first (regular file, sizes, every part's deflate stream, no DTD, not Strict OOXML). Any
reason the file cannot be read is an Indonesian message (``UnusableWorkbook``), never a
traceback.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import InvalidFileException

from indeks_opd.contract import SINGLE_VALUES, read_contract
from indeks_opd.contract.numbers import UNCALCULATED
from indeks_opd.contract.sheets import Sheet, header_key
from indeks_opd.core.inputs import InputData
from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.files.package_check import (
    MASTER_MAX_FILE_BYTES,
    MASTER_MAX_UNPACKED_BYTES,
    PARSE_ERRORS,
    DamagedPackage,
    check_package,
    damaged,
)
from indeks_opd.files.template_reader import sheet_parts

MASTER_ADVICE = ("Buka berkas itu di Excel (Excel menawarkan perbaikan) lalu simpan ulang, atau pulihkan "
                 "cadangannya (NAMA.cadangan-WAKTU) dari folder yang sama.")
"""What to do with a damaged workbook of Bappeda's own (the master or a copy of it)."""


def unusable(e: DamagedPackage) -> UnusableWorkbook:
    """A package refusal of a workbook of Bappeda's own, with what to do."""
    return UnusableWorkbook([galat(f"{e} {MASTER_ADVICE}" if e.advise else str(e))])


def check_master(path: Path) -> None:
    """:func:`~indeks_opd.files.package_check.check_package` with a master's limits; a refusal is an
    ``UnusableWorkbook`` saying what to do."""
    try:
        check_package(path, MASTER_MAX_FILE_BYTES, MASTER_MAX_UNPACKED_BYTES)
    except DamagedPackage as e:
        raise unusable(e) from None


def open_workbook(path: Path | str, read_only: bool = True, data_only: bool = True):
    """Open a workbook with openpyxl after :func:`check_master`, turning every failure into ``UnusableWorkbook``."""
    path = Path(path)
    check_master(path)
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only, keep_links=False)
    except PARSE_ERRORS as e:
        raise unusable(damaged(path, e)) from None
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as e:
        raise UnusableWorkbook([galat(
            f"Berkas '{path.name}' tidak dapat dibaca sebagai buku kerja Excel (.xlsx/.xlsm): {e}. "
            "Simpan ulang dari Excel sebagai .xlsx.")]) from None


@contextlib.contextmanager
def opened(path: Path | str) -> Iterator:
    """An open workbook (:func:`open_workbook`) whose sheets may be read inside the block.

    openpyxl parses a read-only sheet while it is iterated: a part damaged past the
    package check (a truncated sheet) fails there, and becomes the same damaged-file message.
    """
    wb = open_workbook(path)
    try:
        yield wb
    except PARSE_ERRORS as e:
        raise unusable(damaged(Path(path), e)) from None
    finally:
        wb.close()


def sheet_from_openpyxl(ws) -> Sheet:
    """All values and number formats of a worksheet (read-only or normal) as a ``Sheet``."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # files written by other tools may declare a wrong size
    values, fmt = [], []
    already = None
    per_style: dict[int, str] = {}

    def number_format(c):
        # A read-only cell looks its format up through two tables on every access; a
        # workbook has a handful of styles, so remember each one's format.
        sid = getattr(c, "_style_id", None)
        if sid is None:
            return getattr(c, "number_format", None)
        f = per_style.get(sid)
        if f is None:
            f = per_style[sid] = c.number_format
        return f

    for row in ws.iter_rows():
        values.append([c.value for c in row])
        f = [number_format(c) for c in row]
        if f == already:
            f = already  # rows formatted alike share one list (a 22,000-OPD sheet: ~60 MB less)
        fmt.append(f)
        already = f
    return Sheet(ws.title, values, fmt)


_NO_VALUE_MARKS = (b"</f></c>", b"/></c>", b"<v></v></c>")
"""How a formula cell without a cached value ends; Excel-saved sheets contain none of these."""
_NO_VALUE_CELL = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_REF_ATTRIBUTE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')


def mark_uncalculated(path: Path | str, sheets: dict[str, Sheet]) -> None:
    """Put :data:`~indeks_opd.contract.numbers.UNCALCULATED` in the blank cells of ``sheets`` that hold a
    formula without a cached value, so the message says so instead of "kosong".

    openpyxl's cached-value mode reads such a cell as blank. The sheet XML is streamed once
    more and searched for the end of such a cell; only where one occurs is it parsed.
    """
    with zipfile.ZipFile(path) as z:
        parts = sheet_parts(z)
        for title, grid in sheets.items():
            if title not in parts:
                continue
            ekor = b""
            with z.open(parts[title]) as f:
                while blok := f.read(1 << 22):
                    data = ekor + blok
                    if any(tanda in data for tanda in _NO_VALUE_MARKS):
                        for m in _NO_VALUE_CELL.finditer(data):
                            ref = _REF_ATTRIBUTE.search(m.group(1))
                            if ref:
                                _mark(grid, int(ref.group(2)), column_index_from_string(ref.group(1).decode()))
                    ekor = data[-4096:]


def _mark(grid: Sheet, row: int, column: int) -> None:
    i, j = row - grid.first_row, column - grid.first_column
    if 0 <= i < len(grid.values) and 0 <= j < len(grid.values[i]) and grid.values[i][j] is None:
        grid.values[i][j] = UNCALCULATED


def read_defined_names(wb, sheets: dict[str, Sheet]) -> dict:
    """Global defined names of the single parameters, resolved to (value, format, lokasi)."""
    hasil = {}
    wanted = {header_key(n) for n in SINGLE_VALUES}
    for nama, dn in wb.defined_names.items():
        if header_key(nama) not in wanted:
            continue
        destinations = list(dn.destinations) if dn.attr_text and "!" in dn.attr_text else []
        if not destinations:
            hasil[nama] = (dn.attr_text.lstrip("="), None, dict(sheet="Parameter"))
            continue
        sheet, ref = destinations[0]
        grid = sheets.get(sheet)
        if grid is None:
            continue
        first_cell = ref.replace("$", "").split(":")[0]
        letters, baris = coordinate_from_string(first_cell)
        i, j = baris - grid.first_row, column_index_from_string(letters) - grid.first_column
        hasil[nama] = (grid.cell(i, j), grid.cell_format(i, j), dict(sheet=sheet, baris=baris, kolom=letters))
    return hasil


def read_contract_sheets(path: Path | str) -> tuple[dict[str, Sheet], dict]:
    """The contract sheets of a workbook on disk as grids, and its single-value defined names."""
    with opened(path) as wb:
        sheets = {ws.title: sheet_from_openpyxl(ws) for ws in wb.worksheets
                  if header_key(ws.title) in {"parameter", "opd", "realisasi", "indikator"}}
        mark_uncalculated(path, sheets)
        names = read_defined_names(wb, sheets)
    return sheets, names


def read_workbook(path: Path | str) -> InputData:
    """Read a contract workbook from disk."""
    return read_contract(*read_contract_sheets(path))
