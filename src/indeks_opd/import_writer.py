"""Write imported rows into the master by editing its OOXML package, touching nothing else.

Built on :mod:`indeks_opd.xlsx_package` (parts we do not edit — the VBA project, buttons,
defined names, validations, conditional formats, other sheets — are written back byte for
byte) and :mod:`indeks_opd.safe_write` (temporary file, backup, atomic replace).

Inside ``Realisasi`` and ``Indikator`` only the contract cells of the replaced rows are
written: the imported OPDs' rows of the period are written where their old rows were
(keeping each cell's style and the row's other columns), extra rows are appended after the
last data row with the style of the row above, and surplus old rows have their contract
cells emptied (blank rows are skipped by every reader). An Excel table whose header is
the data header grows over appended rows. Text goes in as inline strings, so a value
starting with = + - @ stays text (DESIGN.md §6). The ``Masalah`` sheet is rendered from the
same model ``hitung`` uses (:func:`indeks_opd.output_sheets.build_masalah`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

from indeks_opd.core import PeriodResult
from indeks_opd.file_writer import render_outputs
from indeks_opd.masalah import Masalah
from indeks_opd.output_sheets import OutputSheets, build_masalah
from indeks_opd.parameter import Parameter
from indeks_opd.safe_write import replace_atomically
from indeks_opd.xlsx_package import Package, Worksheet, q, split_ref


def _existing_cells(ws: Worksheet) -> dict[tuple[int, int], object]:
    return {split_ref(c.get("r")): c for c in ws.data.iter(q("c")) if c.get("r")}


def _style_of(cells: dict, row: int, column: int) -> int:
    c = cells.get((row, column))
    return int(c.get("s") or 0) if c is not None else 0


def replace_rows(pkg: Package, part: str, kolom: dict[str, str], header_row: int, old_rows: list[int],
                 last_row: int, records: list[dict]) -> bool:
    """Write ``records`` (field → value) over ``old_rows``, append the rest, empty the surplus.

    Returns True when a formula cell was overwritten (its calculation-chain entries must go).
    """
    ws = Worksheet(pkg, part)
    cells = _existing_cells(ws)
    columns = {f: column_index_from_string(letter) for f, letter in kolom.items()}
    old_rows = sorted(old_rows)
    end = max(last_row, header_row)
    appended = list(range(end + 1, end + 1 + max(0, len(records) - len(old_rows))))
    writes = []
    for n, rec in zip(old_rows + appended, records):
        model = n if n in old_rows else end  # appended rows look like the last data row (never the header)
        writes += [(n, j, rec.get(f), _style_of(cells, model, j) if model > header_row else 0)
                   for f, j in columns.items()]
    for n in old_rows[len(records):]:
        writes += [(n, j, None, _style_of(cells, n, j)) for j in columns.values()]
    formula = any(cells.get((n, j)) is not None and cells[(n, j)].find(q("f")) is not None for n, j, _, _ in writes)
    ws.write_cells(writes)
    if appended:
        for table in ws.tables():
            c0, r0, c1, r1 = range_boundaries(ws.table_ref(table))
            if r0 == header_row and r1 < appended[-1]:
                ws.set_table_ref(table, f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{appended[-1]}")
    ws.update_dimension()
    return formula


def write_master(path: Path, edits, masalah: list[Masalah], tahun: int, triwulan: int) -> None:
    """Apply ``edits(pkg) -> sheet ids with overwritten formulas`` and the Masalah sheet, then swap safely.

    The caller holds :func:`indeks_opd.safe_write.workbook_lock` for the whole read-check-write run.
    """
    pkg = Package.open(path)
    pkg.drop_calc_chain(edits(pkg))
    kosong = pd.DataFrame()
    laporan = PeriodResult(tahun=tahun, triwulan=triwulan, parameter=Parameter(), hasil=kosong, unranked=kosong,
                           masalah=masalah)
    render_outputs(pkg, OutputSheets((build_masalah(laporan),)), None)
    with replace_atomically(path) as tmp:
        pkg.save(tmp)
