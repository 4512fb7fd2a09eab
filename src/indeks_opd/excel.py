"""Excel shell: *Hitung Indeks* and the other buttons on a live workbook through the xlwings ``Book`` API.

``hitung_indeks(book)`` reads the contract sheets (Parameter, OPD, Realisasi, Indikator and
the single-value defined names) into :class:`~indeks_opd.contract.sheets.Sheet` grids, lets
:func:`indeks_opd.contract.read_contract` and :func:`indeks_opd.core.compute_period` do all
the work for the active period, and renders the shared output model
:mod:`indeks_opd.contract.output_sheets` — the same model the CLI's file writer renders, so both
give identical sheets. Input sheets are only read; output sheets are cleared and
rewritten whole (so running twice gives the same sheets); Rekap only gets row fills.

The same function runs on every xlwings engine:

- classic xlwings (Windows/macOS): a VBA button calls
  ``RunPython "import indeks_opd.excel as x; x.hitung_indeks_tombol()"``;
- xlwings Server / the remote engine: the ``hitung_indeks_server`` script (the module is
  the server's custom-scripts module), where the ``Book`` is built from the JSON the
  Office.js add-in sends and the writes go back as actions.

The other buttons live here too: *Buat Templat* (:func:`buat_templat`), *Impor Templat*
(:func:`impor_templat`, the only writer of input sheets: it replaces an imported OPD's rows
of the period in Realisasi/Indikator, by the plan of :func:`indeks_opd.impor.run.prepare_import`)
and *Rapor* (:func:`rapor`). Every ``*_tombol()`` entry point acts on the workbook chosen by
:func:`target_book` (the active workbook when the caller is the add-in).

Engine differences handled here: the remote engine cannot read number formats
synchronously (cells are then read without them, see docs/excel-layer.md), and only engines
with an ``alert`` show the closing summary.

Public contract — keep these names and this module path (``indeks_opd.excel``): the VBA of
the workbook and the add-in (``addin/vba/IndeksOPD.bas``) calls the ``*_tombol``
functions by this name, and xlwings Server calls ``hitung_indeks_server``; the actions on a
``Book`` (``hitung_indeks``, ``buat_templat``, ``impor_templat``, ``rapor``), ``target_book``,
``read_book`` and ``NoWorkbook`` are for scripts and tests. Everything else is private.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from indeks_opd.alur.master import (
    Rule,
    actor_now,
    change_models,
    decide,
    findings,
    import_change,
    in_period,
    locking,
    unlocking,
    verifying,
    with_findings,
    workflow_of,
)
from indeks_opd.alur.rules import Change, Workflow, check_unlocked, status_lines
from indeks_opd.alur.sheets import SHEET_PERIODE, SHEET_STATUS, STATUS_HEADERS, read_workflow
from indeks_opd.contract import SINGLE_VALUES, choose_period, read_contract, require_data
from indeks_opd.contract.numbers import read_moment, read_text
from indeks_opd.contract.output_sheets import (
    SHEET_LOG,
    SHEET_REKAP,
    SHEET_RIWAYAT,
    OutputSheets,
    SheetModel,
    build_outputs,
    needs_text_protection,
    rekap_row_fills,
)
from indeks_opd.contract.sheets import Sheet, column_index, column_letter, find_header_row, header_key
from indeks_opd.core import PeriodResult, compute_period
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_OPD, SHEET_PARAMETER, SHEET_REALISASI
from indeks_opd.core.masalah import GALAT, UnusableWorkbook, galat
from indeks_opd.core.period import Period
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.writer import WorkbookContents
from indeks_opd.present.messages import LIHAT_MASALAH, RAPOR_DITANDAI, sementara

# xlwings imports matplotlib whenever it is installed, to insert figures as pictures, which this module never asks of it
# (~0.25 s). Where this module is imported first (scripts, tests), matplotlib reads as absent while xlwings is imported
# (an ImportError, which xlwings catches); rapor imports it as usual afterwards. A button's RunPython command imports
# xlwings itself before this module, so a click loads matplotlib anyway (docs/excel-layer.md, "Start-up of a click").
if "xlwings" in sys.modules or "matplotlib" in sys.modules:
    import xlwings as xw
else:
    sys.modules["matplotlib"] = None
    try:
        import xlwings as xw
    finally:
        del sys.modules["matplotlib"]

# Every button click runs in a new Python process (RunPython) that ends with the job: its last cycle collection would
# scan every object of pandas, matplotlib and xlwings (~0.1 s of a click, docs/excel-layer.md). They are frozen at exit
# (gc.freeze), before that collection, so it skips them; a long-lived process (a server, a test run) pays nothing else.
atexit.register(gc.freeze)

if TYPE_CHECKING:
    from indeks_opd.impor.rows import RowReplacement
    from indeks_opd.impor.run import ImportOutcome
    from indeks_opd.rapor.run import ReportRun

__all__ = [
    "NoWorkbook", "buat_templat", "buat_templat_tombol", "hitung_indeks", "hitung_indeks_server", "hitung_indeks_tombol",
    "impor_templat", "impor_templat_tombol", "rapor", "rapor_tombol", "read_book", "target_book",
    "status_periode", "status_periode_tombol", "verifikasi_opd", "verifikasi_opd_tombol", "perlu_perbaikan",
    "perlu_perbaikan_tombol", "kunci_periode",
    "kunci_periode_tombol", "buka_periode", "buka_periode_tombol",
]

_INPUT_SHEETS = (SHEET_PARAMETER, SHEET_OPD, SHEET_REALISASI, SHEET_INDIKATOR)
_ALERT_TITLE = "Indeks Kinerja OPD"
_TEXT_PREFIX = "'"
"""Excel's text marker: a value written as ``'=x`` is stored as the text ``=x``, never a formula."""


# --- reading -----------------------------------------------------------------------------------------

def _find_book_sheet(book, nama: str):
    """The sheet called ``nama`` (case and spaces ignored), or None."""
    kunci = header_key(nama)
    return next((s for s in book.sheets if header_key(s.name) == kunci), None)


def _sheet_grid(sheet, with_formats: bool = True) -> Sheet:
    """A worksheet's used range as a ``Sheet`` grid (values, and number formats where the engine has them)."""
    rng = sheet.used_range
    values = _range_values(rng)
    formats = _number_formats(rng, len(values), len(values[0]) if values else 0) if with_formats else None
    return Sheet(sheet.name, values, formats, first_row=rng.row, first_column=rng.column)


def _range_values(rng) -> list[list]:
    """A range's values as a 2-D list; Excel errors as their text (``#N/A``), never as a blank.

    xlwings' remote engine takes any text shaped like an ISO date-time for a date and fails on
    one without a trailing ``Z`` (such as the ``Dihitung Pada`` text of workbooks written before
    issue 13, when times were ISO text); the raw values it was sent are then used as they are.
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


def _read_defined_names(book, sheets: dict[str, Sheet]) -> dict:
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
        hasil[nama] = (value, fmt, dict(sheet=cell.sheet.name, baris=cell.row, kolom=column_letter(cell.column)))
    return hasil


def _read_book_sheets(book) -> tuple[dict[str, Sheet], dict]:
    """The contract sheets of a live workbook as grids, and its single-value defined names."""
    wanted = {header_key(n) for n in _INPUT_SHEETS}
    sheets = {s.name: _sheet_grid(s) for s in book.sheets if header_key(s.name) in wanted}
    return sheets, _read_defined_names(book, sheets)


def read_book(book):
    """The contract data of a live workbook (raises ``UnusableWorkbook`` like the file reader)."""
    return read_contract(*_read_book_sheets(book))


def _existing_rows(book, nama: str):
    sheet = _find_book_sheet(book, nama)
    return None if sheet is None else _sheet_grid(sheet, with_formats=False)


def _book_workflow(book) -> Workflow:
    """The workflow state (Status and Periode sheets) of a live workbook."""
    return read_workflow(_existing_rows(book, SHEET_STATUS), _existing_rows(book, SHEET_PERIODE))


# --- writing -----------------------------------------------------------------------------------------

def _excel_value(value):
    """A model value as written through xlwings: text that looks like a formula gets Excel's text marker."""
    return _TEXT_PREFIX + value if needs_text_protection(value) else value


def _write_sheet(book, model: SheetModel) -> None:
    """Clear (or create) the owned sheet and write the model from A1: values, formats, fills, bold, wrapped and
    centred cells, widths, the header's height, frozen panes and the print setup."""
    sheet = _find_book_sheet(book, model.name)
    if sheet is None:
        sheet = book.sheets.add(model.name, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet.clear()
    width = max([model.width] + [len(r) for r in model.rows])
    values = [[_excel_value(r[j]) if j < len(r) else None for j in range(width)] for r in model.rows]
    sheet.range((1, 1)).value = values
    styles = {(r, c): style for r, c, _, style in model.cells()}
    for attribute, by_rows in (("number_format", False), ("fill", True), ("bold", True), ("wrap", True),
                               ("centred", False)):
        wanted = {rc: getattr(st, attribute) for rc, st in styles.items() if getattr(st, attribute)}
        for (r1, c1), (r2, c2), value in _runs(wanted, by_rows):
            rng = sheet.range((r1, c1), (r2, c2))
            if attribute == "number_format":
                rng.number_format = value
            elif attribute == "fill":
                rng.color = value
            elif attribute == "bold":
                rng.font.bold = True
            elif attribute == "wrap":
                rng.wrap_text = True
            else:
                _centre(rng)
    for j, w in enumerate(model.widths):
        sheet.range((1, j + 1)).column_width = w
    if model.header_height:
        sheet.range((model.header_row, 1)).row_height = model.header_height
    _freeze_and_print(sheet, model)


def _centre(rng) -> None:
    """Centre a range; xlwings Server clients other than the Office.js add-in cannot, and leave it as it is."""
    with contextlib.suppress(NotImplementedError):
        rng.horizontal_alignment = "center"


_XL_LANDSCAPE, _XL_PAPER_A4 = 2, 9
"""Excel's ``XlPageOrientation.xlLandscape`` and ``XlPaperSize.xlPaperA4``."""


def _freeze_and_print(sheet, model: SheetModel) -> None:
    """Frozen header rows and the print setup of ``model`` on a live sheet.

    The remote engine (xlwings Server) freezes panes but has no print setup: the sheet then
    prints with Excel's defaults. Desktop Excel on Windows gets both through its object model
    (``Window.FreezePanes`` acts on the active sheet, so the sheet is activated for it); a print
    setup Excel refuses (no printer driver installed) leaves the defaults, the results are written.
    """
    if sheet.book.app.engine.name == "remote":
        if model.freeze_below:
            sheet.freeze_panes.freeze_at(f"1:{model.freeze_below}")
        return
    api = sheet.api
    if not hasattr(api, "PageSetup"):  # not Excel's COM object model (macOS): nothing more to set
        return
    if model.freeze_below:
        active = sheet.book.sheets.active
        sheet.activate()
        window = sheet.book.api.Windows(1)
        window.FreezePanes = False
        window.ScrollRow, window.ScrollColumn = 1, 1
        window.SplitColumn, window.SplitRow = 0, model.freeze_below
        window.FreezePanes = True
        active.activate()
    if model.page is not None:
        app = sheet.book.app.api
        app.PrintCommunication = False  # one exchange with the printer driver instead of one per property
        try:
            setup = api.PageSetup
            setup.Orientation, setup.PaperSize = _XL_LANDSCAPE, _XL_PAPER_A4
            setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall = False, 1, False
            setup.PrintTitleRows = f"${model.header_row}:${model.header_row}"
            setup.CenterHeader = model.page.header.replace("&", "&&")
            setup.CenterFooter = "Halaman &P dari &N"
        except Exception:  # noqa: BLE001 - pywin32's com_error: Excel without a printer driver refuses page setup
            pass
        finally:
            app.PrintCommunication = True


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


def _colour_rekap(book, outputs: OutputSheets) -> int:
    """Fill the Rekap rows of ranked OPDs with their category colour; returns how many rows."""
    sheet = _find_book_sheet(book, SHEET_REKAP)
    if sheet is None:
        return 0
    fills = rekap_row_fills(_sheet_grid(sheet, with_formats=False), outputs.rekap_colours)
    for f in fills:
        sheet.range((f.row, f.first_column), (f.row, f.last_column)).color = f.colour
    return len(fills)


def _write_outputs(book, outputs: OutputSheets) -> None:
    for model in outputs.sheets:
        _write_sheet(book, model)
    _colour_rekap(book, outputs)


# --- the command -------------------------------------------------------------------------------------

def _summary(result: PeriodResult) -> str:
    """The closing message, in Indonesian."""
    galat = sum(1 for m in result.masalah if m.tingkat == GALAT)
    peringatan = len(result.masalah) - galat
    teks = (f"Indeks {Period(result.tahun, result.triwulan).title()} selesai dihitung: "
            f"{len(result.hasil)} OPD dinilai")
    if len(result.unranked):
        teks += f", {len(result.unranked)} OPD tidak dinilai"
    teks += f"; {galat} galat, {peringatan} peringatan."
    if result.sementara:
        teks += f" {sementara(galat, result.prizes_withheld)} {LIHAT_MASALAH}"
    return teks + " Hasil ada di sheet Peringkat, Riwayat, Masalah dan Log."


def _alert(book, pesan: str) -> None:
    """Show a message box where the engine supports one (it does nothing elsewhere)."""
    with contextlib.suppress(NotImplementedError, AttributeError):
        book.app.alert(pesan, title=_ALERT_TITLE)


def hitung_indeks(book, now: datetime | None = None, show_summary: bool = True) -> PeriodResult | None:
    """*Hitung Indeks*: compute the active period of ``book`` and write the output sheets.

    Returns the period's result, or None when the workbook cannot be used (the reasons are
    shown in the alert and nothing is written). ``now`` is the run time (local time);
    ``show_summary=False`` skips the closing message box (scripts, tests on desktop Excel,
    where the box waits for a click).
    """
    try:
        contents = _book_contents(book)
        data = contents.data
        tahun, triwulan = choose_period(data, None, None)
        require_data(data, tahun, triwulan)
        wf = workflow_of(contents)
        check_unlocked(wf, tahun, triwulan, "Hitung Indeks", book.name)
        found = findings(contents, wf)  # the CLI's tamper check: a locked period edited by hand (docs/alur.md)
        result = compute_period(with_findings(data, found), tahun, triwulan)
        outputs = build_outputs(result, data, now or datetime.now(),
                                existing_riwayat=contents.existing.get(SHEET_RIWAYAT),
                                existing_log=contents.existing.get(SHEET_LOG))
    except UnusableWorkbook as e:  # nothing is written: not even a Riwayat that could not be read back
        _alert(book, "Indeks tidak dapat dihitung:\n" + _problem_lines(e.masalah))
        return None
    _write_outputs(book, outputs)
    if show_summary:
        _alert(book, "\n\n".join([_summary(result), *map(str, found)]))
    return result


# --- the workbook a button acts on ------------------------------------------------------------------

_ADDIN_SUFFIXES = (".xlam", ".xla")


class NoWorkbook(Exception):
    """A button of the add-in was pressed while no workbook (other than add-ins) is active."""


def _is_addin(book) -> bool:
    """Whether ``book`` is an Excel add-in (its name ends in .xlam/.xla), which holds no data."""
    return str(book.name).lower().endswith(_ADDIN_SUFFIXES)


def target_book(caller=None):
    """The workbook a button acts on: one rule for every ``*_tombol()`` entry point.

    ``caller`` defaults to ``xw.Book.caller()``: the workbook whose VBA ran ``RunPython``.
    A button in the master workbook acts on the master. The ribbon tab lives in the add-in
    ``IndeksOPD.xlam``, and then the caller is the add-in itself, so the button acts on the
    active workbook of the same Excel instance. Raises ``NoWorkbook`` when that is an
    add-in too (no workbook open).
    """
    caller = xw.Book.caller() if caller is None else caller
    if not _is_addin(caller):
        return caller
    active = caller.app.books.active
    if active is None or _is_addin(active):
        raise NoWorkbook("Tidak ada buku kerja yang aktif. Buka dan klik buku kerja induk Indeks Kinerja OPD, "
                         "lalu tekan tombol di tab Indeks OPD lagi.")
    return active


def _run_button(fitur: str, action) -> None:
    """Run ``action(book)`` on the button's workbook; every failure ends in a short Indonesian message.

    A workbook that cannot be used (``UnusableWorkbook``) lists its problems; anything
    unexpected (a protected sheet, Excel busy) is one line instead of RunPython's traceback.
    """
    caller = xw.Book.caller()
    try:
        book = target_book(caller)
    except NoWorkbook as e:
        _alert(caller, str(e))
        return
    try:
        action(book)
    except UnusableWorkbook as e:
        _alert(book, f"{fitur} tidak dapat dijalankan:\n" + _problem_lines(e.masalah))
    except Exception as e:  # noqa: BLE001 - shown to the user, who can do nothing with a traceback
        _alert(book, f"{fitur} gagal: {type(e).__name__}: {e}. Periksa apakah ada sheet yang diproteksi "
                    "atau sel yang sedang disunting, lalu coba lagi. Bila tetap gagal, laporkan pesan ini.")


def _problem_lines(masalah, limit: int = 10) -> str:
    return "\n".join(f"- {m.lokasi + ': ' if m.lokasi else ''}{m.pesan}" for m in masalah[:limit])


# --- the saved master on disk ------------------------------------------------------------------------

def _saved_path(book) -> Path:
    """The file of ``book`` on disk; refused (``UnusableWorkbook``) when it was never saved or is online only.

    ``book.fullname`` is the full path of a saved workbook and just its name (``Book1``)
    for one never saved; OneDrive/SharePoint workbooks answer with a web address.
    """
    nama = str(book.fullname)
    if nama.lower().startswith(("http://", "https://")):
        raise UnusableWorkbook([galat(
            f"Buku kerja ini dibuka dari OneDrive/SharePoint ({nama}), bukan dari folder di komputer ini. Simpan "
            "salinannya di folder lokal (File › Save As › This PC), buka salinan itu, lalu tekan tombol lagi.")])
    path = Path(nama)
    if not path.is_absolute() or not path.is_file():
        raise UnusableWorkbook([galat(
            f"Buku kerja '{book.name}' belum pernah disimpan. Simpan dulu sebagai .xlsm (File › Save As), lalu "
            "tekan tombol lagi: berkas keluaran ditulis ke folder di sebelah buku kerja.")])
    return path


def _comparable(value):
    """A cell value as both readers give it (Excel through xlwings, the file through openpyxl; a date-time to
    the nearest second, as either may be a millisecond off)."""
    if isinstance(value, datetime):
        return read_moment(value).isoformat()
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 9)
    return value


def _cells(grid: Sheet) -> dict:
    return {(grid.row_number(i), grid.first_column + j): _comparable(v)
            for i, row in enumerate(grid.values) for j, v in enumerate(row) if v not in (None, "")}


def _unsaved_sheets(book, path: Path, names: tuple[str, ...]) -> list[str]:
    """The sheets among ``names`` whose cell values in Excel differ from the file saved at ``path``.

    Engine independent (the remote engine has no "saved" flag): what matters to a report
    made from the file is that the file holds what the user sees.
    """
    from indeks_opd.files.reader import opened, sheet_from_openpyxl

    keys = {header_key(n) for n in names}
    with opened(path) as wb:
        disk = {header_key(ws.title): _cells(sheet_from_openpyxl(ws)) for ws in wb.worksheets
                if header_key(ws.title) in keys}
    berbeda = []
    for sheet in book.sheets:
        k = header_key(sheet.name)
        if k in keys and _cells(_sheet_grid(sheet, with_formats=False)) != disk.pop(k, None):
            berbeda.append(sheet.name)
    return berbeda + [n for n in names if header_key(n) in disk]


# --- Buat Templat ------------------------------------------------------------------------------------

def buat_templat(book, show_summary: bool = True) -> list[Path]:
    """*Buat Templat*: one template per active OPD for the active period, from the data Excel shows.

    Written to the folder ``Templat <tahun> TW<n>`` next to the saved master
    (:func:`indeks_opd.templat.generate.outgoing_folder`), the same files as ``indeks-opd templat``.
    """
    # the template writer (openpyxl): loaded only when this button is pressed
    from indeks_opd.templat.generate import generate_templates, incoming_folder, outgoing_folder, templates_summary

    path = _saved_path(book)
    data = read_book(book)
    tahun, triwulan = choose_period(data, None, None)
    folder = outgoing_folder(path, tahun, triwulan)
    templat = generate_templates(data, tahun, triwulan, folder)
    _workflow(book, None, None)  # the period is open: every active OPD Belum Dikirim in Status (docs/alur.md)
    if show_summary:
        _alert(book, f"Templat OPD untuk {Period(tahun, triwulan).title()}: {templates_summary(templat, folder)}"
                    f"\n\nKirim setiap berkas ke OPD-nya. Templat yang sudah diisi simpan di folder "
                    f"'{incoming_folder(path, tahun, triwulan).name}' di sebelah buku kerja ini, lalu tekan Impor "
                    "Templat.\n\nSheet Status kini mencatat periode ini (semua OPD: Belum Dikirim); simpan buku kerja "
                    "(Ctrl+S).")
    return templat.paths


# --- Impor Templat -----------------------------------------------------------------------------------

def _consecutive(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _text_value(value):
    """An imported value as written through xlwings: every text with Excel's text marker.

    Excel would otherwise turn the text ``1.10`` (a Kode OPD) into the number 1.1 or ``1-2``
    into a date, and ``=x`` into a formula; the marker keeps each one the text it was.
    """
    return _TEXT_PREFIX + value if isinstance(value, str) else value


def _write_rows(book, r: RowReplacement) -> None:
    """Apply one sheet's row replacement (:class:`indeks_opd.impor.rows.RowReplacement`) to the live workbook.

    Only the contract cells of the rows in the plan are written, in blocks of consecutive
    rows and columns; an Excel table whose header is the data header is first stretched
    over appended rows.
    """
    sheet = _find_book_sheet(book, r.sheet)
    columns = {f: column_index(letter) for f, letter in r.kolom.items()}
    writes = r.writes()
    if r.appended_rows:
        _stretch_tables(sheet, r.header_row, r.appended_rows[-1])
    by_column = {j: f for f, j in columns.items()}
    records = dict(writes)
    for rows in _consecutive([n for n, _ in writes]):
        for cols in _consecutive(sorted(by_column)):
            sheet.range((rows[0], cols[0]), (rows[-1], cols[-1])).value = [
                [None if records[n] is None else _text_value(records[n].get(by_column[j])) for j in cols]
                for n in rows]
    for cell, link in r.evidence_links().items():
        if link:
            sheet.range(cell).add_hyperlink(link[1], link[0], "Buka bukti dukung")
        else:
            _clear_hyperlink(sheet.range(cell))


def _clear_hyperlink(rng) -> None:
    """Remove a cell's hyperlink, keeping its format (desktop Excel 2010+); the remote engine has no such call,
    so there an emptied Bukti Dukung cell may keep its old link until the file import rewrites it."""
    with contextlib.suppress(Exception):  # the remote engine and macOS have no Range.ClearHyperlinks
        rng.api.ClearHyperlinks()


def _stretch_tables(sheet, header_row: int, last_row: int) -> None:
    try:
        tables = list(sheet.tables)
    except (NotImplementedError, AttributeError):
        return
    for t in tables:
        rng = t.range
        if rng.row == header_row and rng.last_cell.row < last_row:
            t.resize(sheet.range((rng.row, rng.column), (last_row, rng.last_cell.column)))


def impor_templat(book, waktu: datetime | None = None, show_summary: bool = True) -> ImportOutcome | None:
    """*Impor Templat*: import the filled templates of the active period into the live workbook.

    The templates are read from the folder ``Templat Masuk <tahun> TW<n>`` next to the saved
    master (:func:`indeks_opd.templat.generate.incoming_folder`; created, with a message, when
    missing) and judged by exactly what ``indeks-opd impor`` runs
    (:func:`indeks_opd.impor.run.prepare_import`) against the data Excel shows. All or nothing:
    one bad file and no row is written. Otherwise each imported OPD's rows of the period
    in ``Realisasi``/``Indikator`` are replaced through the ``Book`` API. The report goes to
    the ``Masalah`` sheet and to a text file next to the master either way. The workbook is
    not saved: the user saves it (or closes without saving to undo).
    """
    # the template reader and the import rules (openpyxl): loaded only when this button is pressed
    from indeks_opd.impor.run import collect_files, finish_import, masalah_for_master, prepare_import
    from indeks_opd.impor.writer import masalah_sheet
    from indeks_opd.templat.generate import incoming_folder

    waktu = waktu or datetime.now()
    path = _saved_path(book)
    sheets, names = _read_book_sheets(book)
    master = read_contract(sheets, names)
    tahun, triwulan = choose_period(master, None, None)
    folder = incoming_folder(path, tahun, triwulan)
    if not folder.is_dir() or not collect_files([folder], path)[0]:
        folder.mkdir(parents=True, exist_ok=True)
        if show_summary:
            _alert(book, f"Belum ada templat untuk diimpor. Simpan templat .xlsx yang sudah diisi OPD untuk "
                         f"{Period(tahun, triwulan).title()} di folder:\n{folder}\nlalu tekan Impor Templat lagi.")
        return None
    wf = _book_workflow(book)
    plan, replacements = prepare_import(sheets, master, path, [folder], tahun, triwulan, False, waktu, wf)
    for r in replacements:
        _write_rows(book, r)
    _write_sheet(book, masalah_sheet(masalah_for_master(plan), plan.tahun, plan.triwulan))
    change = import_change(wf, master, plan, actor_now(waktu)) if replacements else None
    if change is not None:
        for model in change_models({n: _existing_rows(book, n) for n in (SHEET_LOG, SHEET_PERIODE)}, change):
            _write_sheet(book, model)
    outcome = finish_import(plan, path, waktu, change)
    if show_summary:
        _alert(book, _import_summary(outcome))
    return outcome


def _import_summary(outcome: ImportOutcome) -> str:
    """The closing message of *Impor Templat*, in Indonesian."""
    from indeks_opd.impor.run import unfilled_note

    plan = outcome.plan
    if outcome.written:
        teks = (f"{len(plan.to_import)} templat diimpor ke {Period(plan.tahun, plan.triwulan).title()} "
                f"(OPD {', '.join(sorted(f.kode for f in plan.to_import))}): baris Realisasi dan Indikator OPD itu "
                "untuk periode ini diganti. Simpan buku kerja (Ctrl+S) untuk menyimpan hasil impor, lalu tekan "
                "Hitung Indeks.")
    elif plan.bad:
        teks = (f"IMPOR DIBATALKAN: {len(plan.bad)} dari {len(plan.files)} berkas bermasalah; tidak ada data yang "
                "diubah. Perbaiki berkas sesuai sheet Masalah, lalu impor lagi.")
    else:
        teks = "IMPOR DIBATALKAN: tidak ada berkas yang dapat diimpor; tidak ada data yang diubah."
    if plan.unfilled:
        teks += "\n" + unfilled_note(plan)
    if outcome.status:
        teks += "\nStatus: " + ", ".join(f"OPD {k} {v}" for k, v in sorted(outcome.status.items())) + "."
    if outcome.pesan:
        teks += "\n\n" + "\n".join(outcome.pesan)
    peringatan = sum(1 for f in plan.files for m in f.masalah if m.tingkat != GALAT)
    if peringatan:
        teks += f" {peringatan} peringatan: lihat sheet Masalah."
    return teks + f"\n\nLaporan lengkap: {outcome.report_path}"


# --- Rapor -------------------------------------------------------------------------------------------

def rapor(book, dihitung: datetime | None = None, show_summary: bool = True) -> ReportRun:
    """*Rapor*: the rapor of every OPD and the Rakorpok report for the active period, as ``indeks-opd rapor``.

    Made from the master saved on disk (read while Excel keeps it open), so a workbook never
    saved, or whose data or Riwayat differ from the saved file, is refused with a message.
    Written to the folder ``Rapor <tahun> TW<n>`` next to the master.
    """
    from indeks_opd.rapor.run import produce_reports  # charts and PDF: loaded only when this button is pressed

    path = _saved_path(book)
    berbeda = _unsaved_sheets(book, path, _INPUT_SHEETS + (SHEET_RIWAYAT,))
    if berbeda:
        raise UnusableWorkbook([galat(
            f"Ada perubahan yang belum disimpan di sheet {', '.join(berbeda)}. Rapor dibuat dari berkas yang "
            "tersimpan: simpan dulu buku kerja (Ctrl+S), lalu tekan Rapor lagi.")])
    data = read_workbook(path)
    tahun, triwulan = choose_period(data, None, None)
    require_data(data, tahun, triwulan)
    folder = path.parent / f"Rapor {Period(tahun, triwulan).folder_tag()}"
    hasil = produce_reports(path, data, tahun, triwulan, folder, dihitung=dihitung)
    teks = (f"Rapor {Period(tahun, triwulan).title()} selesai: {len(hasil.rapors)} rapor OPD, laporan "
            f"Rakorpok dan buku kerja rapor ditulis ke folder:\n{folder}")
    if hasil.result.sementara:
        jumlah = sum(1 for m in hasil.result.masalah if m.blocking)
        teks += f"\n\n{sementara(jumlah, hasil.result.prizes_withheld)} {LIHAT_MASALAH} {RAPOR_DITANDAI}"
    if show_summary:
        _alert(book, teks)
    return hasil


# --- the quarter's workflow (docs/alur.md) --------------------------------------------------------

def _book_contents(book) -> WorkbookContents:
    """The live workbook as the workflow reads a master file: contract data and the sheets it updates."""
    sheets, names = _read_book_sheets(book)
    existing = {n: _existing_rows(book, n) for n in (SHEET_RIWAYAT, SHEET_LOG, SHEET_STATUS, SHEET_PERIODE)}
    return WorkbookContents(read_contract(sheets, names), {n: g for n, g in existing.items() if g is not None}, sheets)


def _workflow(book, rule: Rule | None, now: datetime | None) -> tuple[WorkbookContents, Change]:
    """Run a workflow rule on the active period of the live workbook (the same rules as the CLI) and write
    Status, Periode and Log. A refusal raises before any cell is written. The workbook is not saved."""
    contents = _book_contents(book)
    change, models = decide(contents, in_period(None, None, rule), now)
    for model in models:
        _write_sheet(book, model)
    return contents, change


def status_periode(book, now: datetime | None = None, show_summary: bool = True) -> str:
    """*Status*: open the active period in the Status sheet and show who has sent, waits, must fix, is verified."""
    contents, change = _workflow(book, None, now)
    tahun, triwulan = choose_period(contents.data, None, None)
    teks = "\n".join(status_lines(change.workflow, tahun, triwulan, book.name)
                     + [str(m) for m in findings(contents, change.workflow)])
    if show_summary:
        _alert(book, teks)
    return teks


def _selected_opd(book, tombol: str) -> list[str]:
    """Kode OPD of the Status rows the user selected (refused, naming the button ``tombol``, when the selection
    is elsewhere)."""
    rng = book.selection
    grid = _existing_rows(book, SHEET_STATUS)
    if rng is None or grid is None or header_key(rng.sheet.name) != header_key(SHEET_STATUS):
        raise UnusableWorkbook([galat(f"Pilih dulu baris OPD di sheet Status (klik atau blok barisnya), lalu tekan "
                                      f"{tombol}.", sheet=SHEET_STATUS)])
    header, columns, _ = find_header_row(grid, {header_key(h): h for h in STATUS_HEADERS})
    rows = range(max(rng.row, grid.row_number(header) + 1), rng.row + rng.shape[0])
    kodes = [read_text(grid.cell(r - grid.first_row, columns["Kode OPD"])) for r in rows]
    kodes = [k for k in kodes if k]
    if not kodes:
        raise UnusableWorkbook([galat("Baris yang dipilih di sheet Status tidak berisi Kode OPD. Pilih baris OPD "
                                      f"(bukan judul kolom), lalu tekan {tombol}.", sheet=SHEET_STATUS)])
    return kodes


def verifikasi_opd(book, now: datetime | None = None, show_summary: bool = True) -> Change:
    """*Verifikasi*: mark the OPDs of the selected Status rows Terverifikasi (the rules of ``indeks-opd verifikasi``)."""
    return _verify(book, "Verifikasi", None, now, show_summary)


def perlu_perbaikan(book, catatan: str, now: datetime | None = None, show_summary: bool = True) -> Change:
    """*Perlu Perbaikan*: send the OPDs of the selected Status rows back with ``catatan`` (the rules of
    ``indeks-opd verifikasi --perlu-perbaikan --catatan``; a blank note is refused)."""
    return _verify(book, "Perlu Perbaikan", catatan, now, show_summary)


def _verify(book, tombol: str, catatan: str | None, now: datetime | None, show_summary: bool) -> Change:
    """Verify (``catatan`` None) or send back the OPDs of the selected Status rows; the alert says what changed."""
    _, change = _workflow(book, verifying(_selected_opd(book, tombol), catatan is not None, catatan, book.name), now)
    if show_summary:
        _alert(book, "\n".join(change.pesan) + "\nSimpan buku kerja (Ctrl+S) untuk menyimpan status ini.")
    return change


def kunci_periode(book, alasan: str, now: datetime | None = None, show_summary: bool = True) -> Change:
    """*Kunci Periode*: lock the active period (refused unless every OPD is Terverifikasi: use the CLI's --paksa)."""
    _, change = _workflow(book, locking(alasan, False), now)
    if show_summary:
        e = change.events[-1]
        _alert(book, f"Periode {Period(e.tahun, e.triwulan).short()} dikunci oleh {e.oleh}. Simpan buku kerja (Ctrl+S); "
                     "impor dan Hitung Indeks untuk periode ini ditolak sampai dibuka dengan Buka Periode.")
    return change


def buka_periode(book, alasan: str, now: datetime | None = None, show_summary: bool = True) -> Change:
    """*Buka Periode*: unlock the active period, with the reason recorded in Periode and Log."""
    _, change = _workflow(book, unlocking(alasan), now)
    if show_summary:
        e = change.events[-1]
        _alert(book, f"Periode {Period(e.tahun, e.triwulan).short()} dibuka oleh {e.oleh}. Simpan buku kerja (Ctrl+S).")
    return change


def _vba_text(hex_utf16: str) -> str:
    """Text typed in a VBA InputBox, passed as hex UTF-16 code units (so no quote can end the RunPython code)."""
    try:
        return bytes.fromhex(hex_utf16).decode("utf-16-be")
    except ValueError:
        return ""


# --- entry points ------------------------------------------------------------------------------------

def hitung_indeks_tombol() -> None:
    """The *Hitung Indeks* button (VBA ``RunPython``), on the workbook of :func:`target_book`."""
    _run_button("Hitung Indeks", hitung_indeks)


@xw.script
def hitung_indeks_server(book: xw.Book):
    """The *Hitung Indeks* script of xlwings Server (same code path as the button)."""
    hitung_indeks(book)


def buat_templat_tombol() -> None:
    """Button *Buat Templat*: :func:`buat_templat` on the workbook of :func:`target_book`."""
    _run_button("Buat Templat", buat_templat)


def impor_templat_tombol() -> None:
    """Button *Impor Templat*: :func:`impor_templat` on the workbook of :func:`target_book`."""
    _run_button("Impor Templat", impor_templat)


def rapor_tombol() -> None:
    """Button *Rapor*: :func:`rapor` on the workbook of :func:`target_book`."""
    _run_button("Rapor", rapor)


def status_periode_tombol() -> None:
    """Button *Status*: :func:`status_periode` on the workbook of :func:`target_book`."""
    _run_button("Status", status_periode)


def verifikasi_opd_tombol() -> None:
    """Button *Verifikasi*: :func:`verifikasi_opd` on the selected rows of the Status sheet."""
    _run_button("Verifikasi", verifikasi_opd)


def perlu_perbaikan_tombol(catatan_hex: str) -> None:
    """Button *Perlu Perbaikan*: the note comes from the VBA InputBox (:func:`_vba_text`)."""
    _run_button("Perlu Perbaikan", lambda book: perlu_perbaikan(book, _vba_text(catatan_hex)))


def kunci_periode_tombol(alasan_hex: str) -> None:
    """Button *Kunci Periode*: the reason comes from the VBA InputBox (:func:`_vba_text`)."""
    _run_button("Kunci Periode", lambda book: kunci_periode(book, _vba_text(alasan_hex)))


def buka_periode_tombol(alasan_hex: str) -> None:
    """Button *Buka Periode*: the reason comes from the VBA InputBox (:func:`_vba_text`)."""
    _run_button("Buka Periode", lambda book: buka_periode(book, _vba_text(alasan_hex)))
