"""replace_rows on a real file: rows replaced in place, new rows appended in order with the style above.

Written with the linear row index of the import writer (binary search instead of a scan per
cell, found by benchmarks/run.py); what a user sees must not change.
"""

from __future__ import annotations

import zipfile

import openpyxl
from lxml import etree

from indeks_opd.import_writer import Package, replace_rows

KOLOM = {"kode": "A", "target": "B"}


def _master(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indikator"
    ws.append(["Kode OPD", "Target"])
    for i, kode in enumerate(["1.01", "1.02", "1.03"]):
        ws.append([kode, 10.0 * (i + 1)])
    ws["B4"].number_format = "0.000"  # the last row's style is what appended rows inherit
    wb.save(path)
    return path


def test_replace_and_append_many_rows(tmp_path):
    path = _master(tmp_path / "induk.xlsx")
    pkg = Package(path)
    part = pkg.sheet_parts()["Indikator"]
    records = [{"kode": "1.02", "target": 99.5}] + [{"kode": f"9.{i:03d}", "target": float(i)} for i in range(300)]
    replace_rows(pkg, part, KOLOM, header_row=1, old_rows=[3], last_row=4, records=records)
    out = tmp_path / "hasil.xlsx"
    pkg.save(out)

    ws = openpyxl.load_workbook(out)["Indikator"]
    assert [ws["A2"].value, ws["A3"].value, ws["B3"].value, ws["A4"].value] == ["1.01", "1.02", 99.5, "1.03"]
    assert ws.max_row == 4 + 300
    assert [ws.cell(5 + i, 1).value for i in range(300)] == [f"9.{i:03d}" for i in range(300)]
    assert ws.cell(304, 2).value == 299
    assert ws["B5"].number_format == "0.000" and ws["B304"].number_format == "0.000"

    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read(part))
    numbers = [int(r.get("r")) for r in root.iter("{*}row")]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers))  # Excel refuses rows out of order
