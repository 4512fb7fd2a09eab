"""File I/O: reading workbooks into ``Sheet`` grids, editing the OOXML package, safe writes.

:mod:`.package_check` (what every reader checks before parsing a package), :mod:`.reader`
(openpyxl/calamine to grids), :mod:`.template_reader` (received OPD templates),
:mod:`.xlsx_package` (editing sheets of an .xlsx/.xlsm in place), :mod:`.writer` (the output
sheets of ``hitung``), :mod:`.safe_write` (locks, backups, atomic replace) and :mod:`.sample`
(the bundled sample workbook).
"""

from importlib import import_module

_HOME = {
    "open_workbook": "reader", "read_contract_sheets": "reader", "read_workbook": "reader",
    "sheet_from_openpyxl": "reader", "WorkbookLocked": "safe_write", "WriteFailed": "safe_write",
    "replace_atomically": "safe_write", "workbook_lock": "safe_write", "sample_path": "sample",
    "sample_rows": "sample", "write_contract_workbook": "sample", "RefusedFile": "template_reader",
    "read_received": "template_reader", "outputs_for": "writer", "read_for_hitung": "writer",
    "render_outputs": "writer", "write_outputs": "writer", "Package": "xlsx_package", "Styles": "xlsx_package",
    "Worksheet": "xlsx_package",
}
"""Each public name's module. The package imports a module when one of its names is first used, so a
command loads only the file I/O it needs (hitung never imports openpyxl, the sample writers or the
template reader; the click of docs/arsitektur.md)."""


def __getattr__(name: str):
    if name in _HOME:
        return getattr(import_module(f"indeks_opd.files.{_HOME[name]}"), name)
    raise AttributeError(f"module 'indeks_opd.files' has no attribute {name!r}")


__all__ = ["Package", "RefusedFile", "Styles", "WorkbookLocked", "Worksheet", "WriteFailed", "open_workbook", "outputs_for",
           "read_contract_sheets", "read_for_hitung", "read_received", "read_workbook", "render_outputs", "replace_atomically",
           "sample_path", "sample_rows", "sheet_from_openpyxl", "workbook_lock", "write_contract_workbook", "write_outputs"]
