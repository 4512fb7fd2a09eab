"""Excel shell: *Hitung Indeks* on a live workbook through the xlwings ``Book`` API.

``hitung_indeks(book)`` reads the contract sheets (Parameter, OPD, Realisasi, Indikator and
the single-value defined names) into :class:`~indeks_opd.sheets.Sheet` grids, lets
:func:`indeks_opd.contract.read_contract` and :func:`indeks_opd.core.compute_period` do all
the work for the active period, and renders the shared output model
:mod:`indeks_opd.output_sheets` — the same model the CLI's file writer renders, so both
give identical sheets. Input sheets are only read; output sheets are cleared and
rewritten whole (so running twice gives the same sheets); Rekap only gets row fills.

The same function runs on every xlwings engine:

- classic xlwings (Windows/macOS): a VBA button calls
  ``RunPython "import indeks_opd.excel as x; x.hitung_indeks_tombol()"``;
- xlwings Server / the remote engine: the ``hitung_indeks_server`` script (the module is
  the server's custom-scripts module), where the ``Book`` is built from the JSON the
  Office.js add-in sends and the writes go back as actions.

Engine differences handled here: the remote engine cannot read number formats
synchronously (cells are then read without them, see docs/excel-layer.md), and only engines
with an ``alert`` show the closing summary.
"""

from __future__ import annotations

from datetime import datetime

import xlwings as xw
from openpyxl.utils import get_column_letter

from indeks_opd.cli.hitung import choose_period
from indeks_opd.contract import SINGLE_VALUES, read_contract
from indeks_opd.core import PeriodResult, compute_period
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_OPD, SHEET_PARAMETER, SHEET_REALISASI
from indeks_opd.masalah import GALAT, UnusableWorkbook
from indeks_opd.output_sheets import (
    ROMAN, SHEET_LOG, SHEET_REKAP, SHEET_RIWAYAT, OutputSheets, SheetModel, build_outputs, needs_text_protection,
    rekap_row_fills,
)
from indeks_opd.sheets import Sheet, header_key

INPUT_SHEETS = (SHEET_PARAMETER, SHEET_OPD, SHEET_REALISASI, SHEET_INDIKATOR)
ALERT_TITLE = "Indeks Kinerja OPD"
TEXT_PREFIX = "'"
"""Excel's text marker: a value written as ``'=x`` is stored as the text ``=x``, never a formula."""


# --- reading -----------------------------------------------------------------------------------------

def find_book_sheet(book, nama: str):
    """The sheet called ``nama`` (case and spaces ignored), or None."""
    kunci = header_key(nama)
    return next((s for s in book.sheets if header_key(s.name) == kunci), None)


def sheet_grid(sheet, with_formats: bool = True) -> Sheet:
    """A worksheet's used range as a ``Sheet`` grid (values, and number formats where the engine has them)."""
    rng = sheet.used_range
    values = range_values(rng)
    formats = _number_formats(rng, len(values), len(values[0]) if values else 0) if with_formats else None
    return Sheet(sheet.name, values, formats, first_row=rng.row, first_column=rng.column)


def range_values(rng) -> list[list]:
    """A range's values as a 2-D list; Excel errors as their text (``#N/A``), never as a blank.

    xlwings' remote engine takes any text shaped like an ISO date-time for a date and fails on
    one without a trailing ``Z`` (such as the ``Dihitung Pada`` column written here); the raw
    values it was sent are then used as they are.
    """
    try:
        return rng.options(ndim=2, err_to_str=True).value
    except ValueError:
        raw = rng.raw_value
        rows = raw if isinstance(raw, (list, tuple)) and raw and isinstance(raw[0], (list, tuple)) else [[raw]]
        return [[None if v == "" else v for v in r] for r in rows]


def _number_formats(rng, rows: int, cols: int) -> list[list] | None:
    """Each cell's number format, or None when the engine cannot read formats (the remote engine).

    Excel answers "mixed" (None) for a range whose cells differ, so each column is split in
    halves until every part has one format: a few calls per column (header, body) instead of
    one per cell.
    """
    try:
        whole = rng.number_format
    except Exception:  # noqa: BLE001 - NotImplementedError on the remote engine
        return None
    out = [[whole] * cols for _ in range(rows)]
    if whole is not None:
        return out
    sheet, r0, c0 = rng.sheet, rng.row, rng.column

    def split(j: int, lo: int, hi: int) -> None:
        fmt = sheet.range((r0 + lo, c0 + j), (r0 + hi - 1, c0 + j)).number_format
        if fmt is not None or hi - lo == 1:
            for i in range(lo, hi):
                out[i][j] = fmt
        else:
            mid = (lo + hi) // 2
            split(j, lo, mid)
            split(j, mid, hi)

    for j in range(cols):
        split(j, 0, rows)
    return out


def read_defined_names(book, sheets: dict[str, Sheet]) -> dict:
    """Workbook-scope names of the single parameters as ``(value, format, lokasi)``, like the file reader."""
    dicari = {header_key(n) for n in SINGLE_VALUES}
    hasil = {}
    for name in book.names:
        nama = name.name
        if "!" in nama or header_key(nama) not in dicari:
            continue
        try:
            rng = name.refers_to_range
        except Exception:  # noqa: BLE001 - a constant such as =2024, not a cell
            hasil[nama] = ((name.refers_to or "").lstrip("="), None, dict(sheet=SHEET_PARAMETER))
            continue
        cell = rng[0, 0]
        grid = sheets.get(cell.sheet.name)
        if grid is not None:
            i, j = cell.row - grid.first_row, cell.column - grid.first_column
            value, fmt = grid.cell(i, j), grid.cell_format(i, j)
        else:
            value, fmt = cell.options(err_to_str=True).value, None
        hasil[nama] = (value, fmt, dict(sheet=cell.sheet.name, baris=cell.row, kolom=get_column_letter(cell.column)))
    return hasil


def read_book(book):
    """The contract data of a live workbook (raises ``UnusableWorkbook`` like the file reader)."""
    wanted = {header_key(n) for n in INPUT_SHEETS}
    sheets = {s.name: sheet_grid(s) for s in book.sheets if header_key(s.name) in wanted}
    return read_contract(sheets, read_defined_names(book, sheets))


def _existing_rows(book, nama: str):
    sheet = find_book_sheet(book, nama)
    return None if sheet is None else sheet_grid(sheet, with_formats=False)


# --- writing -----------------------------------------------------------------------------------------

def excel_value(value):
    """A model value as written through xlwings: text that looks like a formula gets Excel's text marker."""
    return TEXT_PREFIX + value if needs_text_protection(value) else value


def write_sheet(book, model: SheetModel) -> None:
    """Clear (or create) the owned sheet and write the model from A1: values, formats, fills, bold, widths."""
    sheet = find_book_sheet(book, model.name)
    if sheet is None:
        sheet = book.sheets.add(model.name, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet.clear()
    width = max([model.width] + [len(r) for r in model.rows])
    values = [[excel_value(r[j]) if j < len(r) else None for j in range(width)] for r in model.rows]
    sheet.range((1, 1)).value = values
    styles = {(r, c): style for r, c, _, style in model.cells()}
    for attribute, by_rows in (("number_format", False), ("fill", True), ("bold", True)):
        wanted = {rc: getattr(st, attribute) for rc, st in styles.items() if getattr(st, attribute)}
        for (r1, c1), (r2, c2), value in _runs(wanted, by_rows):
            rng = sheet.range((r1, c1), (r2, c2))
            if attribute == "number_format":
                rng.number_format = value
            elif attribute == "fill":
                rng.color = value
            else:
                rng.font.bold = True
    for j, w in enumerate(model.widths):
        sheet.range((1, j + 1)).column_width = w


def _runs(cells: dict, along_rows: bool):
    """Group equal values of neighbouring cells into ranges: along each row, or down each column.

    Yields ``((first row, first column), (last row, last column), value)``; one xlwings call per
    range keeps a COM round trip per run instead of per cell.
    """
    def line(rc):
        return (rc[0], rc[1]) if along_rows else (rc[1], rc[0])

    start = prev = None
    for rc in sorted(cells, key=line):
        if prev is not None and line(rc)[0] == line(prev)[0] and line(rc)[1] == line(prev)[1] + 1 \
                and cells[rc] == cells[prev]:
            prev = rc
            continue
        if start is not None:
            yield start, prev, cells[start]
        start = prev = rc
    if start is not None:
        yield start, prev, cells[start]


def colour_rekap(book, outputs: OutputSheets) -> int:
    """Fill the Rekap rows of ranked OPDs with their category colour; returns how many rows."""
    sheet = find_book_sheet(book, SHEET_REKAP)
    if sheet is None:
        return 0
    fills = rekap_row_fills(sheet_grid(sheet, with_formats=False), outputs.rekap_colours)
    for f in fills:
        sheet.range((f.row, f.first_column), (f.row, f.last_column)).color = f.colour
    return len(fills)


def write_outputs(book, outputs: OutputSheets) -> None:
    for model in outputs.sheets:
        write_sheet(book, model)
    colour_rekap(book, outputs)


# --- the command -------------------------------------------------------------------------------------

def summary(result: PeriodResult) -> str:
    """The closing message, in Indonesian."""
    galat = sum(1 for m in result.masalah if m.tingkat == GALAT)
    peringatan = len(result.masalah) - galat
    teks = (f"Indeks Tahun {result.tahun} Triwulan {ROMAN[result.triwulan]} selesai dihitung: "
            f"{len(result.hasil)} OPD dinilai")
    if len(result.unranked):
        teks += f", {len(result.unranked)} OPD tidak dinilai"
    teks += f"; {galat} galat, {peringatan} peringatan."
    if result.sementara:
        teks += (" Hasil SEMENTARA: " + ("hadiah ditahan sampai data lengkap." if result.prizes_withheld
                                         else "hadiah tetap dibagi (diizinkan).") + " Lihat sheet Masalah.")
    return teks + " Hasil ada di sheet Peringkat, Riwayat, Masalah dan Log."


def alert(book, pesan: str) -> None:
    """Show a message box where the engine supports one (it does nothing elsewhere)."""
    try:
        book.app.alert(pesan, title=ALERT_TITLE)
    except (NotImplementedError, AttributeError):
        pass


def hitung_indeks(book, now: datetime | None = None, show_summary: bool = True) -> PeriodResult | None:
    """*Hitung Indeks*: compute the active period of ``book`` and write the output sheets.

    Returns the period's result, or None when the workbook cannot be used (the reasons are
    shown in the alert and nothing is written). ``now`` is the run time (local time);
    ``show_summary=False`` skips the closing message box (scripts, tests on desktop Excel,
    where the box waits for a click).
    """
    try:
        data = read_book(book)
        tahun, triwulan = choose_period(data, None, None)
        result = compute_period(data, tahun, triwulan)
        outputs = build_outputs(result, data, now or datetime.now(),
                                existing_riwayat=_existing_rows(book, SHEET_RIWAYAT),
                                existing_log=_existing_rows(book, SHEET_LOG))
    except UnusableWorkbook as e:  # nothing is written: not even a Riwayat that could not be read back
        alert(book, "Indeks tidak dapat dihitung:\n" + "\n".join(
            f"- {m.lokasi + ': ' if m.lokasi else ''}{m.pesan}" for m in e.masalah[:10]))
        return None
    write_outputs(book, outputs)
    if show_summary:
        alert(book, summary(result))
    return result


# --- entry points ------------------------------------------------------------------------------------

def hitung_indeks_tombol() -> None:
    """The *Hitung Indeks* button (VBA ``RunPython``).

    An unexpected failure (a protected sheet, Excel busy) ends in a one-line Indonesian
    message instead of RunPython's traceback box.
    """
    book = xw.Book.caller()
    try:
        hitung_indeks(book)
    except Exception as e:  # noqa: BLE001 - shown to the user, who can do nothing with a traceback
        alert(book, f"Hitung Indeks gagal: {type(e).__name__}: {e}. Periksa apakah ada sheet yang diproteksi "
                    "atau sel yang sedang disunting, lalu coba lagi. Bila tetap gagal, laporkan pesan ini.")


@xw.script
def hitung_indeks_server(book: xw.Book):
    """The *Hitung Indeks* script of xlwings Server (same code path as the button)."""
    hitung_indeks(book)


def _not_yet(fitur: str) -> None:
    alert(xw.Book.caller(), f"Fitur {fitur} belum tersedia di versi ini. Untuk sementara gunakan perintah "
                            "indeks-opd di baris perintah, atau hubungi pengelola buku kerja.")


def buat_templat_tombol() -> None:
    """Button *Buat Templat OPD* (not built yet)."""
    _not_yet("Buat Templat OPD")


def impor_templat_tombol() -> None:
    """Button *Impor Templat OPD* (not built yet)."""
    _not_yet("Impor Templat OPD")


def rapor_tombol() -> None:
    """Button *Rapor PDF* (not built yet)."""
    _not_yet("Rapor PDF")
