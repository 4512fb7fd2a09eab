"""The workbook contract: what the master workbook's sheets hold and how they are read and written.

:mod:`.sheets` (the ``Sheet`` grid every reader produces), :mod:`.numbers` (reading cells the
Indonesian way), :mod:`.reader` (grids to the core's ``InputData``), :mod:`.output_sheets`
(the ``SheetModel`` of the output sheets that both writers render) and :mod:`.schema` (every input
table and field, declared once). No file access here.
"""

from indeks_opd.contract.output_sheets import OutputSheets, SheetModel, build_outputs
from indeks_opd.contract.reader import (
    HEADERS,
    KIND,
    OPTIONAL,
    SINGLE_VALUES,
    choose_period,
    default_headers,
    find_sheet,
    read_contract,
    read_parameter,
    read_table,
    require_data,
    require_openable,
)
from indeks_opd.contract.sheets import Sheet, header_key

__all__ = ["HEADERS", "KIND", "OPTIONAL", "SINGLE_VALUES", "OutputSheets", "Sheet", "SheetModel",
           "build_outputs", "choose_period", "default_headers", "find_sheet", "header_key", "read_contract",
           "read_parameter", "read_table", "require_data", "require_openable"]
