"""Write imported rows into the master by editing its OOXML package, touching nothing else.

Built on :mod:`indeks_opd.files.xlsx_package` (parts we do not edit — the VBA project, buttons,
defined names, validations, conditional formats, other sheets — are written back byte for
byte) and :mod:`indeks_opd.files.safe_write` (temporary file, backup, atomic replace).

Inside ``Realisasi`` and ``Indikator`` only the contract cells of the replaced rows are
written: the imported OPDs' rows of the period are written where their old rows were
(keeping each cell's style and the row's other columns), extra rows are appended after the
last data row with the style of the row above, and surplus old rows have their contract
cells emptied (blank rows are skipped by every reader). An Excel table whose header is
the data header grows over appended rows. Text goes in as inline strings, so a value
starting with = + - @ stays text (docs/arsitektur.md, Conventions). The ``Masalah`` sheet is rendered from the
same model ``hitung`` uses (:func:`indeks_opd.contract.output_sheets.build_masalah`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

from indeks_opd.contract.output_sheets import OutputSheets, SheetModel, build_masalah
from indeks_opd.contract.sheets import header_key
from indeks_opd.core import PeriodResult
from indeks_opd.core.masalah import Masalah
from indeks_opd.core.parameter import Parameter
from indeks_opd.files.safe_write import replace_atomically
from indeks_opd.files.writer import render_outputs
from indeks_opd.files.xlsx_package import Package, Worksheet, q, split_ref
from indeks_opd.impor.rows import RowReplacement


def _existing_cells(ws: Worksheet) -> dict[tuple[int, int], object]:
    return {split_ref(c.get("r")): c for c in ws.data.iter(q("c")) if c.get("r")}


def _style_of(cells: dict, row: int, column: int) -> int:
    c = cells.get((row, column))
    return int(c.get("s") or 0) if c is not None else 0


def replace_rows(pkg: Package, r: RowReplacement) -> int | None:
    """Apply one sheet's row replacement to the package (:class:`indeks_opd.impor.rows.RowReplacement`).

    Written rows keep each cell's style; appended rows take the style of the last data row.
    Returns the sheet id when a formula cell was overwritten (its calculation-chain entries
    must go), else None.
    """
    ref = next(s for s in pkg.sheets() if header_key(s.name) == header_key(r.sheet))
    ws = Worksheet(pkg, ref.part)
    cells = _existing_cells(ws)
    columns = {f: column_index_from_string(letter) for f, letter in r.kolom.items()}
    writes = []
    for n, rec in r.writes():
        model = n if n in r.old_rows else r.end  # appended rows look like the last data row (never the header)
        style = model > r.header_row
        writes += [(n, j, None if rec is None else rec.get(f), _style_of(cells, model, j) if style else 0)
                   for f, j in columns.items()]
    formula = any(cells.get((n, j)) is not None and cells[(n, j)].find(q("f")) is not None for n, j, _, _ in writes)
    ws.write_cells(writes)
    ws.set_hyperlinks({cell: link and link[1] for cell, link in r.evidence_links().items()})
    appended = r.appended_rows
    if appended:
        for table in ws.tables():
            c0, r0, c1, r1 = range_boundaries(ws.table_ref(table))
            if r0 == r.header_row and r1 < appended[-1]:
                ws.set_table_ref(table, f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{appended[-1]}")
    ws.update_dimension()
    return ref.sheet_id if formula else None


def masalah_sheet(masalah: list[Masalah], tahun: int, triwulan: int) -> SheetModel:
    """The master's Masalah sheet after an import: the model ``hitung`` renders, with the import's problems."""
    kosong = pd.DataFrame()
    return build_masalah(PeriodResult(tahun=tahun, triwulan=triwulan, parameter=Parameter(), hasil=kosong,
                                      unranked=kosong, masalah=masalah))


def write_master(path: Path, edits, masalah: list[Masalah], tahun: int, triwulan: int,
                 sheets: list[SheetModel]) -> None:
    """Apply ``edits(pkg) -> sheet ids with overwritten formulas``, the Masalah sheet and the workflow
    ``sheets`` (Status, Log: :func:`indeks_opd.alur.master.change_models`), then swap safely.

    The caller holds :func:`indeks_opd.files.safe_write.workbook_lock` for the whole read-check-write run.
    """
    pkg = Package.open(path)
    pkg.drop_calc_chain(edits(pkg))
    render_outputs(pkg, OutputSheets((masalah_sheet(masalah, tahun, triwulan), *sheets)), None)
    with replace_atomically(path) as tmp:
        pkg.save(tmp)
