"""File shell, reading side: a contract workbook on disk (.xlsx/.xlsm) to a ``InputData``.

openpyxl in read-only mode with cached values (``data_only``): formulas are never evaluated
and macros are never run. Any reason the file cannot be opened is an Indonesian message
(``BukuTidakBisaDipakai``), never a traceback.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import InvalidFileException

from indeks_opd.contract import SINGLE_VALUES, read_contract
from indeks_opd.contract.sheets import Sheet, header_key
from indeks_opd.core.inputs import InputData
from indeks_opd.core.masalah import UnusableWorkbook, galat

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_workbook(path: Path | str, read_only: bool = True, data_only: bool = True):
    """Open a workbook with openpyxl, turning every failure into ``UnusableWorkbook``."""
    path = Path(path)
    if not path.exists():
        raise UnusableWorkbook([galat(f"Berkas '{path}' tidak ditemukan. Periksa nama dan foldernya.",
                                          sheet=None)])
    if path.is_dir():
        raise UnusableWorkbook([galat(f"'{path}' adalah folder, bukan berkas buku kerja.")])
    with open(path, "rb") as f:
        head = f.read(8)
    if head == _OLE_SIGNATURE:
        raise UnusableWorkbook([galat(
            f"Berkas '{path.name}' terkunci kata sandi atau berformat .xls lama. Buka di Excel, hapus kata "
            "sandinya, lalu simpan sebagai .xlsx atau .xlsm.")])
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise UnusableWorkbook([galat(
            f"Berkas '{path.name}' tidak dapat dibaca sebagai buku kerja Excel (.xlsx/.xlsm): {e}. "
            "Simpan ulang dari Excel sebagai .xlsx.")]) from None


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
    wb = open_workbook(path)
    try:
        sheets = {ws.title: sheet_from_openpyxl(ws) for ws in wb.worksheets
                  if header_key(ws.title) in {"parameter", "opd", "realisasi", "indikator"}}
        names = read_defined_names(wb, sheets)
    finally:
        wb.close()
    return sheets, names


def read_workbook(path: Path | str) -> InputData:
    """Read a contract workbook from disk."""
    return read_contract(*read_contract_sheets(path))
