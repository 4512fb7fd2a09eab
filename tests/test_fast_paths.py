"""The fast paths of issue 17 give what the per-cell paths give, on the cells that make them differ.

- reading: python-calamine values + the byte scan (:func:`indeks_opd.files.reader.read_sheets`)
  against openpyxl read cell by cell (:func:`~indeks_opd.files.reader.sheet_from_openpyxl`);
- the contract, column by column: every value and every problem against the per-cell readers
  of :mod:`indeks_opd.contract.numbers`;
- the output rows written as XML text (:meth:`Worksheet.write_rows`) against the same cells
  written as a tree (:meth:`Worksheet.write_cells`);
- the Log's data fingerprint rows against ``json`` encoding each row;
- unchanged zip entries copied compressed: same bytes, the saved file still checks out.
"""

from __future__ import annotations

import json
import math
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd

from helpers import parameter_rows
from indeks_opd.contract import output_sheets, read_contract
from indeks_opd.contract.links import read_link
from indeks_opd.contract.numbers import UNCALCULATED, read_number, read_text
from indeks_opd.contract.output_sheets import _RECORD_JSON, _canonical, frame_records, rows_fingerprint
from indeks_opd.contract.reader import HEADERS, KIND, LINKS, read_table
from indeks_opd.contract.sheets import Sheet, header_key
from indeks_opd.files.reader import CONTRACT_SHEETS, open_workbook, read_sheets, sheet_from_openpyxl
from indeks_opd.files.xlsx_package import Package, Worksheet, shared_strings

TRICKY = [  # (value as typed into a cell, number format)
    (75.5, None), (0.755, "0.0%"), (0.07, "0%"), (1250000, '"Rp"#,##0'), ("75,5", None), ("1.250.000", None),
    ("Rp1.250.000,00", None), ("75.5", None), ("12,3,4", None), ("75%", None), ("=SUM(A1:A2)", None),
    ("@tag", None), ("+62", None), (" 80 ", None), ("", None), ("   ", None), (None, None), (True, None),
    (date(2024, 3, 31), "dd/mm/yyyy"), ("#DIV/0!", None), ("tw II", None), ("TW IV", None), (2.0, None),
    (2024, "0"), (-3.25, "0.00"), (1e-9, None), ("−5", None), ("5 %", None), ("Ya", None), ("Tidak", None),
]


def _tricky_workbook(path):
    """A contract workbook whose Indikator rows hold every tricky value in every column, and two cached errors."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for nama, rows in (("Parameter", parameter_rows(tahun=2024, triwulan=1)), ("OPD", [list(HEADERS["OPD"])] + [
            ["1.01", "Dinas A", "A", v] for v, _ in TRICKY]),
            ("Realisasi", [list(HEADERS["Realisasi"]), [2024, 1, "1.01", 1e9, 5e8, 4e8, 50, 40, 1e8, 5e7]])):
        ws = wb.create_sheet(nama)
        for r in rows:
            ws.append(r)
    ws = wb.create_sheet("Indikator")
    ws.append(list(HEADERS["Indikator"]))
    for value, fmt in TRICKY:
        ws.append([value] * len(HEADERS["Indikator"]))
        if fmt:
            for c in ws[ws.max_row]:
                c.number_format = fmt
    ws.append([2024, 1, "1.01", "P", "I", "%", "Naik", 10, 9, None])
    wb.save(path)
    # cached error values, as Excel saves them (openpyxl cannot write one)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet4.xml"  # openpyxl numbers the sheets in the order they were created
    xml = parts[sheet].decode()
    row = len(TRICKY) + 2
    xml = xml.replace(f'<c r="H{row}" t="n"><v>10</v></c>', f'<c r="H{row}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    xml = xml.replace(f'<c r="I{row}" t="n"><v>9</v></c>', f'<c r="I{row}" t="e"><v>#N/A</v></c>')
    assert "#N/A" in xml and "#DIV/0!" in xml
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return path


def _openpyxl_sheets(path) -> dict[str, Sheet]:
    """The per-cell reader: openpyxl cell by cell; a formula cell without a cached value (openpyxl's formula
    view has a formula where its value view has None) marked as the contract expects."""
    wb = open_workbook(path)
    try:
        sheets = {ws.title: sheet_from_openpyxl(ws) for ws in wb.worksheets if header_key(ws.title) in CONTRACT_SHEETS}
    finally:
        wb.close()
    formulas = openpyxl.load_workbook(path)
    for nama, sheet in sheets.items():
        for row in formulas[nama].iter_rows():
            for c in row:
                if c.data_type == "f" and sheet.values[c.row - 1][c.column - 1] is None:
                    sheet.values[c.row - 1][c.column - 1] = UNCALCULATED
    return sheets


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, datetime) and isinstance(b, date) and not isinstance(b, datetime):
        return False
    return a == b and type(a) in (type(b), int, float) and type(b) in (type(a), int, float)


def test_calamine_reader_gives_the_openpyxl_values_and_percent_formats(tmp_path):
    path = _tricky_workbook(tmp_path / "sulit.xlsx")
    fast, names = read_sheets(path, CONTRACT_SHEETS)
    slow = _openpyxl_sheets(path)
    assert set(fast) == set(slow)
    for nama, grid in slow.items():
        for i, row in enumerate(grid.values):
            for j, v in enumerate(row):
                w = fast[nama].cell(i, j)
                assert _same(v, w) or (isinstance(v, datetime) and w == v.date()), (nama, i, j, v, w)
                pct = ("%" in (grid.cell_format(i, j) or ""), "%" in (fast[nama].cell_format(i, j) or ""))
                assert pct[0] == pct[1], (nama, i, j, grid.cell_format(i, j))
    assert fast["Indikator"].cell(len(TRICKY) + 1, 7) == "#DIV/0!" and fast["Indikator"].cell(len(TRICKY) + 1, 8) == "#N/A"


def test_a_table_away_from_a1_is_read_where_it_stands(tmp_path):
    """calamine's rows start at the first used column; the grid is padded back to column A like openpyxl's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "OPD"
    ws["C3"], ws["D3"], ws["C4"], ws["D4"], ws["E6"] = "Kode OPD", "Nama OPD", "1.01", "Dinas A", 0.5
    ws["E6"].number_format = "0%"
    ws["D5"] = "=1+1"  # a formula saved without a value
    wb.save(tmp_path / "geser.xlsx")
    fast, _ = read_sheets(tmp_path / "geser.xlsx", {"opd"})
    slow = _openpyxl_sheets(tmp_path / "geser.xlsx")["OPD"]
    cells = [(i, j) for i in range(8) for j in range(7)]
    assert [fast["OPD"].cell(i, j) for i, j in cells] == [slow.cell(i, j) for i, j in cells]
    assert fast["OPD"].cell(2, 2) == "Kode OPD" and fast["OPD"].cell(4, 3) == UNCALCULATED
    assert fast["OPD"].cell_format(5, 4) == "0%"


def test_defined_names_resolve_like_openpyxl():
    from indeks_opd.files.sample import sample_path

    _, names = read_sheets(sample_path(), CONTRACT_SHEETS)
    wb = openpyxl.load_workbook(sample_path())
    expected = {}
    for nama, dn in wb.defined_names.items():
        sheet, ref = next(iter(dn.destinations))
        cell = wb[sheet][ref.replace("$", "").split(":")[0]]
        expected[nama] = (cell.value, dict(sheet=sheet, baris=cell.row, kolom=cell.column_letter))
    assert {n: (v, lokasi) for n, (v, _, lokasi) in names.items()} == {n: e for n, e in expected.items() if n in names}
    assert {"TahunAktif", "TriwulanAktif", "BatasCapaian"} <= set(names)


def test_the_contract_reads_both_grids_alike(tmp_path):
    path = _tricky_workbook(tmp_path / "sulit.xlsx")
    fast, names = read_sheets(path, CONTRACT_SHEETS)
    a, b = read_contract(fast, names), read_contract(_openpyxl_sheets(path), names)
    for frame in ("opd", "realisasi", "indikator"):
        pd.testing.assert_frame_equal(getattr(a, frame), getattr(b, frame))
    assert [str(m) for m in a.masalah] == [str(m) for m in b.masalah]
    assert any("#DIV/0!" in str(m) and "Indikator!H" in str(m) for m in a.masalah)


def test_column_wise_contract_equals_the_per_cell_readers():
    header = list(HEADERS["Indikator"])
    rows = [[v] * len(header) for v, _ in TRICKY]
    fmts = [[f] * len(header) for _, f in TRICKY]
    rows += [[2024.0, 1.0, "1.01", "P", "I", "%", "Naik", float(k), float(k) + 0.5, None, None] for k in range(50)]
    fmts += [[None] * len(header)] * 50
    grid = Sheet("Indikator", [header] + rows, [[None] * len(header)] + fmts)
    df, masalah, _ = read_table(grid, "Indikator")
    fields = list(HEADERS["Indikator"].values())
    kept = [i for i, r in enumerate(rows) if not all(v is None or (isinstance(v, str) and not v.strip()) for v in r)]
    assert list(df["baris"]) == [i + 2 for i in kept]
    expected_problems = 0
    for k, i in enumerate(kept):
        for j, f in enumerate(fields):
            v, fmt = rows[i][j], fmts[i][j]
            if f in KIND:
                x, error = read_number(v, KIND[f], fmt)
                if f == "triwulan" and error is None and x is not None and x not in (1, 2, 3, 4):
                    x, error = None, "tidak sah"
                if f == "tahun" and error is None and x is not None and not 2000 <= x <= 2100:
                    x, error = None, "tidak wajar"
                got = df[f].iloc[k]
                assert (math.isnan(got) and x is None) or got == x, (i, f, v, got, x)
                expected_problems += error is not None
            elif f in LINKS:
                x, error = read_link(v)
                assert df[f].iloc[k] == x or (df[f].iloc[k] is None and x is None), (i, f, v)
                expected_problems += error is not None
            else:
                assert df[f].iloc[k] == read_text(v) or (df[f].iloc[k] is None and read_text(v) is None), (i, f, v)
    assert len(masalah) == expected_problems
    assert all(m.baris == df["baris"].iloc[kept.index(m.baris - 2)] for m in masalah)


def test_column_wise_contract_keeps_the_period_and_code_of_each_problem():
    grid = Sheet("Indikator", [list(HEADERS["Indikator"])] + [
        [2024, 2, "1.01", "P", "I", "%", "Naik", "75.5", 80, None],
        [None] * 10,                                         # a blank row in the middle is skipped
        [2024, 3, "1.02", "P", "I", "%", "Naik", 70, "=A1", "x"],
    ])
    df, masalah, _ = read_table(grid, "Indikator")
    assert list(df["baris"]) == [2, 4]
    assert [(m.baris, m.kolom, m.kode, m.periode) for m in masalah] == [
        (2, "H", "1.01", (2024, 2)), (4, "I", "1.02", (2024, 3)), (4, "J", "1.02", (2024, 3))]


CELLS = [(1, 1, "judul", 0), (1, 3, 7.25, 2), (1, 4, 12, 0), (2, 1, "  spasi  ", 1), (2, 2, "baris\nbaru", 0),
         (2, 3, "a & b < c > d", 0), (2, 4, "=1+1", 0), (2, 5, True, 0), (2, 6, None, 3), (3, 1, float("nan"), 0),
         (3, 2, float("inf"), 0), (3, 3, -0.0, 0), (3, 4, 1e20, 0), (3, 5, "tab\there\r", 0), (3, 6, "ünï\x01cødé", 0),
         (3, 7, 2024.0, 1), (3, 8, False, 0), (4, 2, 0.1 + 0.2, 0)]


def _written(tmp_path, name, text: bool):
    from indeks_opd.files.sample import sample_path

    pkg = Package.open(sample_path())
    ref = pkg.find_sheet("OPD")
    if text:
        pkg.parse_without_rows(ref.part)
        rows: dict = {}
        for r, c, v, s in CELLS:
            rows.setdefault(r, []).append((c, v, s))
        Worksheet(pkg, ref.part).write_rows(sorted(rows.items()))
    else:
        ws = Worksheet(pkg, ref.part)
        ws.clear_rows(1)
        ws.write_cells(CELLS)
    ws = Worksheet(pkg, ref.part)
    ws.update_dimension()
    pkg.serialise(ref.part)
    pkg.save(tmp_path / name)
    out = Package.open(tmp_path / name)
    sheet = Worksheet(out, out.find_sheet("OPD").part)
    return sheet.cell_values(shared_strings(out)), [(c.get("r"), c.get("s"), c.get("t")) for c in sheet.data.iter()
                                                   if c.tag.endswith("}c")], sheet.root.find(
        "{*}dimension").get("ref")


def test_rows_written_as_text_equal_rows_written_as_a_tree(tmp_path):
    text = _written(tmp_path, "teks.xlsx", True)
    tree = _written(tmp_path, "pohon.xlsx", False)
    assert text == tree
    assert text[0][(2, 1)] == "  spasi  " and text[0][(2, 3)] == "a & b < c > d" and text[0][(3, 5)] == "tab\there\r"
    wb = openpyxl.load_workbook(tmp_path / "teks.xlsx")  # and a real reader opens it
    assert wb["OPD"]["D2"].value == "=1+1" and wb["OPD"]["D2"].data_type == "s"


def test_fingerprint_rows_equal_json_of_each_row(monkeypatch):
    df = pd.DataFrame({"a": [1.0, 2.5, math.nan, 1e20, -0.0, 1e-7, 123456789.125, 3.0],
                       "b": ["x", 'ku"tip', None, "ü\n", "1", "", "x", "\\"],
                       "c": [True, False, None, True, 1, 2.0, "t", math.inf],
                       "d": [7.0] * 8, "e": [0.1, 0.2, 0.30000000000000004, 1.5, 2.0, 1e-300, 5e300, 7.0],
                       "baris": range(8)})
    cols = sorted(c for c in df.columns if c != "baris")
    per_row = sorted(_RECORD_JSON([_canonical(v) for v in rec]) for rec in zip(*[df[c].tolist() for c in cols]))
    assert frame_records(df, frozenset(cols)) == [cols, per_row]
    monkeypatch.setattr(output_sheets, "_RECORDS_AT_ONCE", 3)  # rows a slice at a time: the same records
    assert frame_records(df, frozenset(cols)) == [cols, per_row]
    blank = df.assign(f=[None] * 8)  # a blank column counts only when it is one of ``always``
    assert frame_records(blank, frozenset(cols)) == [cols, per_row]
    assert frame_records(blank, frozenset(cols) | {"f"})[0] == [*cols, "f"]


def test_fingerprint_fed_in_pieces_is_the_hash_of_the_whole_json_text(monkeypatch):
    """rows_fingerprint hashes the canonical JSON text a slice at a time: the same hash as the text made whole."""
    import hashlib

    records = ['[1, "a"]', 'ku"tip \\ \n ü', "", "\x01", "€ 🙂", "[null, 2.5]"] * 3
    doc = {"opd": [["a", "b"], records], "indikator": [["kode"], records[::-1]], "parameter": {
        "Bobot": {"Serapan Anggaran": 20, "P3DN": 10.5}, "daftar": [1, None, True, "x", 1e-7, math.nan],
        "nomor": {2: "b", 1: "a"}}}
    for rows in (doc, records, [], {}, [[1, 2], ["a"]], "teks"):
        whole = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        monkeypatch.setattr(output_sheets, "_RECORDS_AT_ONCE", 4)
        assert rows_fingerprint(rows) == hashlib.sha256(whole.encode("utf-8")).hexdigest(), rows


def test_unchanged_entries_are_copied_compressed(tmp_path):
    from indeks_opd.files.sample import sample_path

    pkg = Package.open(sample_path())
    ref = pkg.find_sheet("Peringkat") or pkg.add_sheet("Peringkat")
    Worksheet(pkg, ref.part).write_cells([(1, 1, "x", 0)])
    pkg.save(tmp_path / "out.xlsx")
    with zipfile.ZipFile(sample_path()) as a, zipfile.ZipFile(tmp_path / "out.xlsx") as b:
        assert b.testzip() is None
        copied = [i for i in a.infolist() if i.filename not in (ref.part, "[Content_Types].xml", "xl/workbook.xml",
                                                                "xl/_rels/workbook.xml.rels")]
        for info in copied:
            other = b.getinfo(info.filename)
            assert (other.CRC, other.compress_size, other.compress_type) == (info.CRC, info.compress_size,
                                                                            info.compress_type)
            assert b.read(info.filename) == a.read(info.filename)


def _riwayat_xml(path) -> bytes:
    from indeks_opd.files.xlsx_package import Package

    pkg = Package.open(path)
    return pkg.parts[pkg.find_sheet("Riwayat").part]


def _sheet_values(path, name) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_riwayat_rows_of_other_periods_stay_as_they_are_and_read_as_a_rewrite_gives(tmp_path, sample_workbook):
    """After three quarters, computing the fourth keeps the earlier rows' XML byte for byte; the saved
    sheets read back as the same run with Riwayat rewritten whole (the slow path) gives."""
    import shutil

    from indeks_opd.cli.hitung import hitung_file
    from indeks_opd.contract.output_sheets import build_outputs
    from indeks_opd.core import compute_period
    from indeks_opd.files.writer import outputs_for, read_for_hitung, write_outputs

    waktu = datetime(2023, 1, 9, 8, 30)
    for tw in (1, 2, 3):
        hitung_file(sample_workbook, sample_workbook, 2022, tw, run_time=waktu, keep_backups=0)
    before = _riwayat_xml(sample_workbook)
    outputs = {}
    for jalur in ("cepat", "lambat"):
        target = shutil.copy(sample_workbook, tmp_path / f"{jalur}.xlsx")
        contents = read_for_hitung(target)
        result = compute_period(contents.data, 2022, 4)
        outputs[jalur] = (outputs_for(result, contents, waktu) if jalur == "cepat" else build_outputs(
            result, contents.data, waktu, contents.existing["Riwayat"], contents.existing["Log"]))
        write_outputs(target, target, outputs[jalur], contents.existing.get("Rekap"), 0, contents.package)
    n = len(outputs["cepat"].sheet("Peringkat").rows) - 5  # the OPDs ranked each quarter
    assert outputs["cepat"].sheet("Riwayat").kept == (2, 1 + 3 * n) and outputs["lambat"].sheet("Riwayat").kept is None
    start = before.index(b'<row r="2"')
    kept = before[start:before.index(b"</sheetData>")]
    assert kept in _riwayat_xml(tmp_path / "cepat.xlsx")  # the earlier quarters' rows, byte for byte
    for name in ("Riwayat", "Peringkat", "Log", "Masalah"):
        assert _sheet_values(tmp_path / "cepat.xlsx", name) == _sheet_values(tmp_path / "lambat.xlsx", name), name
    riwayat = _sheet_values(tmp_path / "cepat.xlsx", "Riwayat")
    assert [r[:2] for r in riwayat[1:]] == sorted(r[:2] for r in riwayat[1:]) and len(riwayat) == 1 + 4 * n


def test_riwayat_is_rewritten_whole_where_keeping_rows_would_differ(sample_workbook):
    """Recomputing an earlier quarter, rows sorted or blanked by hand, a note right of the table: the sheet is
    rewritten whole (kept is None), as before."""
    from indeks_opd.cli.hitung import hitung_file
    from indeks_opd.contract.output_sheets import riwayat_kept_rows
    from indeks_opd.core import compute_period
    from indeks_opd.files.writer import read_for_hitung

    waktu = datetime(2023, 1, 9, 8, 30)
    for tw in (1, 2, 3):
        hitung_file(sample_workbook, sample_workbook, 2022, tw, run_time=waktu, keep_backups=0)
    contents = read_for_hitung(sample_workbook)
    grid = contents.existing["Riwayat"]
    n = (len(grid.values) - 1) // 3
    tw4, tw2 = compute_period(contents.data, 2022, 4), compute_period(contents.data, 2022, 2)
    assert riwayat_kept_rows(tw4, grid) == (2, 1 + 3 * n)
    assert riwayat_kept_rows(compute_period(contents.data, 2022, 3), grid) == (2, 1 + 2 * n)  # TW III replaced
    assert riwayat_kept_rows(tw2, grid) is None  # TW III's rows come after TW II's
    body = grid.values[1:]

    def variant(values):
        return Sheet("Riwayat", [grid.values[0], *values])

    assert riwayat_kept_rows(tw4, variant(body[::-1])) is None  # sorted otherwise by hand
    assert riwayat_kept_rows(tw4, variant([*body[:n], [None] * len(body[0]), *body[n:]])) is None
    noted = [list(r) for r in body]
    noted[3] = [*noted[3], "catatan"]
    assert riwayat_kept_rows(tw4, variant(noted)) is None
    assert riwayat_kept_rows(tw4, variant([*body, [None] * len(body[0])])) == (2, 1 + 3 * n)  # blank rows below
    assert riwayat_kept_rows(tw4, Sheet("Riwayat", [["Tahun", "Triwulan"], *body])) is None  # other headers


def test_kept_riwayat_rows_may_hold_shared_strings_as_excel_saves_them(tmp_path):
    """A master saved by Excel keeps every text in sharedStrings.xml: the kept rows still point at their
    strings, and the count of references stays true (only the replaced rows' references are dropped)."""
    import re
    import sys

    from conftest import SRC

    sys.path.insert(0, str(SRC.parent / "benchmarks"))
    import generate  # the benchmark data: XlsxWriter writes shared strings, as Excel does
    from indeks_opd.cli.hitung import hitung_file

    rows = generate.contract_rows(6, 2, 1)
    rows.update(generate.history_rows(6, 3))
    master = generate.write_master(tmp_path / "induk.xlsx", rows, generate.TAHUN, 1)
    before = _sheet_values(master, "Riwayat")
    hitung_file(master, master, None, None, keep_backups=0)
    hitung_file(master, master, None, None, keep_backups=0)  # the computed period replaced, the rest kept
    after = _sheet_values(master, "Riwayat")
    assert after[:len(before)] == before and len(after) == len(before) + 6
    with zipfile.ZipFile(master) as z:
        sst = z.read("xl/sharedStrings.xml").decode()
        refs = sum(z.read(n).count(b't="s"') for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert int(re.search(r'\bcount="(\d+)"', sst).group(1)) == refs


def test_directions_read_once_per_distinct_text_as_cell_by_cell():
    from indeks_opd.core.capaian import NAIK, normalise_arah, normalise_arah_all

    for values in (["naik", " TURUN ", "Naik\n", "NAIK", "x", "", "  ", None, math.nan, "turun ", "Turun", "ñaik"],
                   [True, 1.0, "naik", None, 2, pd.NA], []):
        arah = pd.Series(values, dtype=object, index=range(10, 10 + len(values)))
        got = normalise_arah_all(arah)
        assert list(got) == [NAIK if v is None or v is pd.NA or v != v else normalise_arah(v) for v in values]
        assert got.index.equals(arah.index) and got.dtype == object


def test_rows_of_blanks_and_spaces_are_skipped_whichever_way_filled_rows_are_found():
    """Which rows are filled is settled three ways (a column filled in every row, numpy counts, row by row):
    each skips a row holding only blanks and spaces and keeps every other row, with its worksheet row."""
    header = list(HEADERS["Realisasi"])
    full = [2024, 1, "1.01", 1e9, 5e8, 4e8, 50, 40, 1e8, 5e7]
    cases = {  # the rows under the header → worksheet rows kept
        "kolom penuh": ([full, full[:3] + [None] * 7, full], [2, 3, 4]),
        "hitung numpy": ([full, [None] * 10, [None, None, "1.02"] + [None] * 7], [2, 4]),
        "baris demi baris": ([full, ["  ", None, " \t"] + [None] * 7, [None] * 9 + ["  "], full], [2, 5]),
        "spasi di kolom penuh": ([full, ["  "] + [None] * 9, full], [2, 4]),
    }
    for nama, (rows, kept) in cases.items():
        df, _, _ = read_table(Sheet("Realisasi", [header, *rows]), "Realisasi")
        assert df["baris"].tolist() == kept, nama
        assert df["kode"].tolist() == [rows[r - 2][2] for r in kept], nama



def test_a_float_column_is_taken_whole_only_when_every_value_reads_as_itself():
    """Blanks (None) and finite floats are taken as one array; a real NaN or an infinity sends the column cell by
    cell (the readers' messages), as do floats too large to add up — no python reader gives those today."""
    from indeks_opd.contract.reader import _whole_column
    from indeks_opd.contract.schema import ANGKA

    def whole(values):
        got = _whole_column("target", ANGKA, values, set(map(type, values)))
        return None if got is None else [None if x != x else x for x in got.tolist()]

    assert whole([1.5, None, 2.0]) == [1.5, None, 2.0]
    assert whole([None, None]) == [None, None]
    assert whole([1e308, 1e308]) == [1e308, 1e308]
    assert whole([math.nan, None]) is None
    assert whole([math.inf, 1.0]) is None and whole([None, -math.inf]) is None
    assert whole([1.0, "2"]) is None
