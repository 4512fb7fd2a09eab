"""Worksheet.write_cells on a real file: rows and cells land in order between existing ones.

The row index is built once and searched by bisection (benchmarks/run.py found the old
per-row rebuild quadratic for a 22,000-row Riwayat); what is saved must not change.
"""

from __future__ import annotations

import random
import zipfile

import openpyxl
from lxml import etree

from indeks_opd.files.xlsx_package import Package, Worksheet


def test_write_cells_in_any_order_keeps_rows_and_cells_sorted(tmp_path):
    src = tmp_path / "buku.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Riwayat"
    ws["A5"], ws["F5"], ws["B9"] = "lama", "tetap", 9
    wb.save(src)

    pkg = Package.open(src)
    ref = pkg.find_sheet("Riwayat")
    sheet = Worksheet(pkg, ref.part)
    cells = [(r, c, f"{r}-{c}", 0) for r in range(1, 501) for c in (1, 3, 4) if (r, c) != (9, 1)]
    random.Random(8).shuffle(cells)
    sheet.write_cells(cells)
    sheet.write_cells([(5, 2, "tengah", 0), (600, 2, "akhir", 0)])
    sheet.update_dimension()
    out = tmp_path / "hasil.xlsx"
    pkg.save(out)

    ws = openpyxl.load_workbook(out)["Riwayat"]
    assert [ws[a].value for a in ("A5", "B5", "C5", "D5", "F5")] == ["5-1", "tengah", "5-3", "5-4", "tetap"]
    assert ws["B9"].value == 9 and ws["C9"].value == "9-3" and ws["A9"].value is None
    assert ws["D500"].value == "500-4" and ws["B600"].value == "akhir"

    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read(ref.part))
    rows = list(root.iter("{*}row"))
    numbers = [int(r.get("r")) for r in rows]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)) == 501
    for r in rows:
        cols = [openpyxl.utils.cell.coordinate_from_string(c.get("r"))[0] for c in r.iter("{*}c")]
        idx = [openpyxl.utils.column_index_from_string(c) for c in cols]
        assert idx == sorted(idx) and len(idx) == len(set(idx))  # Excel repairs a file with cells out of order


def test_parts_not_edited_are_saved_byte_for_byte(tmp_path):
    src = tmp_path / "buku.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    for i in range(2000):
        wb.active.append([i, f"baris {i}", i * 0.5])
    wb.create_sheet("Riwayat")["A1"] = "lama"
    wb.save(src)

    pkg = Package.open(src)
    sheet = Worksheet(pkg, pkg.find_sheet("Riwayat").part)
    sheet.clear_rows(1)
    sheet.write_cells([(1, 1, "baru", 0)])
    out = tmp_path / "hasil.xlsx"
    pkg.save(out)

    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        data_part = pkg.find_sheet("Data").part
        for name in (data_part, "xl/theme/theme1.xml", "docProps/app.xml"):  # never parsed: streamed as they are
            assert a.read(name) == b.read(name), name
    saved = openpyxl.load_workbook(out)
    assert saved["Riwayat"]["A1"].value == "baru" and saved["Data"]["B2000"].value == "baris 1999"
