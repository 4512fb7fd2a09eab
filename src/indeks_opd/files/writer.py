"""File shell, writing side: the output sheets of Hitung Indeks into a workbook on disk.

Renders the model of :mod:`indeks_opd.contract.output_sheets` (the same one the xlwings writer
renders) by editing the OOXML package (:mod:`indeks_opd.files.xlsx_package`): the owned sheets
(Peringkat, Riwayat, Masalah, Log) are rewritten whole — created when missing — and only
the fills of the ranked OPDs' rows change in Rekap. Every other part (input sheets, VBA
project, buttons, shapes, ribbon, names, validations, conditional formats, tables) is
copied byte for byte. Writing is safe (:mod:`indeks_opd.files.safe_write`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from indeks_opd.contract import read_contract
from indeks_opd.contract.output_sheets import (
    SHEET_LOG,
    SHEET_REKAP,
    SHEET_RIWAYAT,
    CellStyle,
    OutputSheets,
    SheetModel,
    build_outputs,
    rekap_row_fills,
    riwayat_kept_rows,
)
from indeks_opd.contract.sheets import Sheet, column_letter, header_key
from indeks_opd.core import InputData, PeriodResult
from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.files.kept_rows import riwayat_kept_in_bytes
from indeks_opd.files.reader import CONTRACT_SHEETS, read_package
from indeks_opd.files.safe_write import BACKUPS_KEPT, replace_atomically
from indeks_opd.files.xlsx_package import Package, Styles, Worksheet, q

READ_BACK_SHEETS = {header_key(n): n for n in (SHEET_RIWAYAT, SHEET_LOG, SHEET_REKAP, "Status", "Periode")}
DEFERRED_SHEETS = frozenset({header_key(SHEET_RIWAYAT)})
"""Read as a grid only when used (:class:`~indeks_opd.files.reader.DeferredSheet`): hitung decides from Riwayat's
bytes which rows it keeps (:mod:`indeks_opd.files.kept_rows`)."""


@dataclass
class WorkbookContents:
    """What hitung, impor and the workflow need from a workbook: the contract and the sheets they update."""

    data: InputData
    existing: dict[str, Sheet]
    """Riwayat, Log, Rekap, Status and Periode grids (cached values) under their canonical names, when present."""
    sheets: dict[str, Sheet]
    """The contract sheets' grids ``data`` was read from, under their names in the workbook (only when asked
    for: impor rewrites their rows; hitung lets them go once the contract is read)."""
    package: Package | None = None
    """The package read, already checked: :func:`write_outputs` saves from it instead of opening and checking
    the file again (read from a file only)."""


def read_for_hitung(path: Path | str, keep_grids: bool = False) -> WorkbookContents:
    """Read the contract and the sheets Hitung Indeks and the workflow update, in one pass over the file.

    ``keep_grids``: keep the contract sheets' grids (``sheets``); a 22,000-OPD master's grids are
    hundreds of MB that hitung does not need once the contract is read."""
    pkg, sheets, names = read_package(path, CONTRACT_SHEETS | set(READ_BACK_SHEETS), DEFERRED_SHEETS)
    contract = {n: s for n, s in sheets.items() if header_key(n) in CONTRACT_SHEETS}
    existing = {READ_BACK_SHEETS[header_key(n)]: s for n, s in sheets.items() if header_key(n) in READ_BACK_SHEETS}
    data = read_contract(contract, names)
    return WorkbookContents(data, existing, contract if keep_grids else {}, pkg)


def outputs_for(result: PeriodResult, contents: WorkbookContents, run_time: datetime) -> OutputSheets:
    """The output sheets of a run on a file: the other periods' Riwayat rows are kept in the file as they are
    when they can be, decided from the sheet's bytes (:func:`riwayat_kept_in_bytes`) or else from its grid
    (:func:`riwayat_kept_rows`, :meth:`Package.rows_in_order`), so a run costs the same after years of history."""
    riwayat = contents.existing.get(SHEET_RIWAYAT)
    pkg = contents.package
    ref = pkg.find_sheet(SHEET_RIWAYAT) if pkg is not None and riwayat is not None else None
    found = riwayat_kept_in_bytes(pkg, ref.part, result) if ref is not None else None
    if found is not None:
        kept, riwayat = found  # the header row is all the model needs of the sheet
    else:
        kept = riwayat_kept_rows(result, riwayat)
        if kept is not None and (ref is None or not pkg.rows_in_order(ref.part, *kept)):
            kept = None
    return build_outputs(result, contents.data, run_time, existing_riwayat=riwayat,
                         existing_log=contents.existing.get(SHEET_LOG), riwayat_kept=kept)


def render_outputs(pkg: Package, outputs: OutputSheets, rekap: Sheet | None) -> None:
    """Write the owned sheets and the Rekap fills into an open package."""
    styles = Styles(pkg)
    rewritten = []
    for model in outputs.sheets:
        ref = pkg.find_sheet(model.name) or pkg.add_sheet(model.name)
        pkg.parse_without_rows(ref.part, model.kept)  # the old rows are dropped unparsed (or kept as text)
        ws = Worksheet(pkg, ref.part)
        ws.remove("mergeCells")
        height = model.header_height
        ws.write_rows(_styled_rows(model, styles), {model.header_row: height} if height else None)
        ws.set_widths(model.widths)
        ws.freeze_below(model.freeze_below)
        if model.page is not None:
            ws.set_print(model.page.header, model.header_row)
        ws.update_dimension()
        _fit_table_ranges(ws, model)
        rewritten.append(ref.sheet_id)
        pkg.serialise(ref.part)  # one sheet's text in memory at a time
    pkg.drop_calc_chain(rewritten)
    ref = pkg.find_sheet(SHEET_REKAP)
    if ref is not None and rekap is not None:
        ws = Worksheet(pkg, ref.part)
        for fill in rekap_row_fills(rekap, outputs.rekap_colours):
            ws.restyle(fill.row, fill.first_column, fill.last_column,
                       lambda s, colour=fill.colour: styles.with_fill(s, colour))


def _styled_rows(model: SheetModel, styles: Styles):
    """The cells of :meth:`SheetModel.cells` grouped by row, with their style index in ``styles``.

    Styles are looked up once per kind of row (rows share their formats tuple), not per cell: a cell's
    style depends on its row only through the row's formats, bold, fill, being the header and being
    a table row (:meth:`SheetModel.style`)."""
    ids: dict = {}
    for i, values in enumerate(model.rows):
        row, fill = i + 1, model.fills[i]
        fmts = model.formats[i] if i < len(model.formats) else ()
        key = (fmts, row in model.bold_rows, fill, row == model.header_row, model.table_row(row))
        row_ids = ids.get(key)
        if row_ids is None:
            row_ids = ids[key] = [(styles.xf(st.number_format, st.bold, st.fill, st.wrap, st.centred), st == _PLAIN)
                                  for st in (model.style(row, j + 1) for j in range(max(model.width, len(values))))]
        n = model.width if fill else len(values)
        if len(values) < n:
            values = (*values, *(None,) * (n - len(values)))
        cells = [(j, value, s) for j, value, (s, plain) in zip(range(1, n + 1), values, row_ids)
                 if value is not None or not plain]
        if cells:
            yield row, cells


_PLAIN = CellStyle()


def _fit_table_ranges(ws: Worksheet, model: SheetModel) -> None:
    """An autoFilter or a table set up over an owned sheet's table follows its new extent.

    A table elsewhere on the sheet, or with another number of columns, cannot be refitted:
    its old range would no longer match the rewritten cells and Excel would repair the file,
    so the run is refused (nothing is written) with what to do."""
    last_row = max(len(model.rows), model.header_row + 1)
    ref = f"A{model.header_row}:{column_letter(model.width)}{last_row}"
    ws.set_autofilter(ref)
    for table in ws.tables():
        first, *_ = ws.table_ref(table).split(":")
        root = ws.pkg.xml(table)
        columns = root.find(q("tableColumns"))
        if first.replace("$", "") != f"A{model.header_row}" or columns is None or len(columns) != model.width:
            raise UnusableWorkbook([galat(
                f"Tabel Excel '{root.get('displayName') or root.get('name')}' ({ws.table_ref(table)}) di sheet "
                f"{model.name} tidak dapat disesuaikan dengan hasil baru, yang mengisi A{model.header_row}:{ref[3:]} "
                f"({model.width} kolom). Ubah tabel itu menjadi rentang biasa (Table Design › Convert to Range) atau "
                "hapus, simpan, lalu jalankan lagi.", sheet=model.name)])
        for column, header in zip(columns.iterfind(q("tableColumn")), model.rows[model.header_row - 1]):
            column.set("name", str(header))  # a table's column names are its header cells
        ws.set_table_ref(table, ref)


def write_outputs(source: Path | str, target: Path | str, outputs: OutputSheets, rekap: Sheet | None,
                  keep_backups: int = BACKUPS_KEPT, package: Package | None = None) -> Path:
    """Safely write ``source`` + the outputs to ``target`` (may be ``source`` itself; 0 backups: none made).

    ``package``: ``source`` as read and checked by :func:`read_for_hitung` (saved from without a second
    check; :meth:`Package.save` refuses if the file changed since); None opens ``source`` here."""
    pkg = package if package is not None else Package.open(source)
    render_outputs(pkg, outputs, rekap)
    with replace_atomically(Path(target), keep_backups) as tmp:
        pkg.save(tmp)
    return Path(target)
