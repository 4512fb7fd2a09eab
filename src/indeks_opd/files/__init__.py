"""File I/O: reading workbooks into ``Sheet`` grids, editing the OOXML package, safe writes.

:mod:`.package_check` (what every reader checks before parsing a package), :mod:`.reader`
(openpyxl/calamine to grids), :mod:`.template_reader` (received OPD templates),
:mod:`.xlsx_package` (editing sheets of an .xlsx/.xlsm in place), :mod:`.writer` (the output
sheets of ``hitung``), :mod:`.safe_write` (locks, backups, atomic replace) and :mod:`.sample`
(the bundled sample workbook).
"""

from indeks_opd.files.reader import open_workbook, read_contract_sheets, read_workbook, sheet_from_openpyxl
from indeks_opd.files.safe_write import WorkbookLocked, WriteFailed, replace_atomically, workbook_lock
from indeks_opd.files.sample import sample_path, sample_rows, write_contract_workbook
from indeks_opd.files.template_reader import RefusedFile, read_received
from indeks_opd.files.writer import outputs_for, read_for_hitung, render_outputs, write_outputs
from indeks_opd.files.xlsx_package import Package, Styles, Worksheet

__all__ = ["Package", "RefusedFile", "Styles", "WorkbookLocked", "Worksheet", "WriteFailed", "open_workbook", "outputs_for",
           "read_contract_sheets", "read_for_hitung", "read_received", "read_workbook", "render_outputs", "replace_atomically",
           "sample_path", "sample_rows", "sheet_from_openpyxl", "workbook_lock", "write_contract_workbook", "write_outputs"]
