"""File I/O: reading workbooks into ``Sheet`` grids, editing the OOXML package, safe writes.

:mod:`.reader` (openpyxl/calamine to grids), :mod:`.template_reader` (received OPD templates),
:mod:`.xlsx_package` (editing sheets of an .xlsx/.xlsm in place), :mod:`.writer` (the output
sheets of ``hitung``), :mod:`.safe_write` (locks, backups, atomic replace) and :mod:`.sample`
(the bundled sample workbook).
"""
