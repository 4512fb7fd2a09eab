"""Number formats read per cell, also when most rows share one (they share one list in memory)."""

from __future__ import annotations

import openpyxl

from indeks_opd.files.reader import open_workbook, sheet_from_openpyxl


def test_each_row_keeps_its_own_formats(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    for i in range(1, 7):
        ws.append([i, 0.8, "teks"])
        ws.cell(i, 2).number_format = "0.00"
    ws["B4"].number_format = "0%"          # one row in the middle differs
    ws["C6"].number_format = "@"           # and the last one in another column
    path = tmp_path / "f.xlsx"
    wb.save(path)

    wb = open_workbook(path)
    sheet = sheet_from_openpyxl(wb["Realisasi"])
    wb.close()
    assert [sheet.cell_format(i, 1) for i in range(6)] == ["0.00", "0.00", "0.00", "0%", "0.00", "0.00"]
    assert [sheet.cell_format(i, 2) for i in range(6)] == ["General"] * 5 + ["@"]
    assert [sheet.cell(i, 0) for i in range(6)] == [1, 2, 3, 4, 5, 6]
