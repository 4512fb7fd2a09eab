"""The package editor used by the file writer and the template import: edit some parts, keep the rest."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from lxml import etree

from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from indeks_opd.files.xlsx_package import NS_REL, Package, Styles, Worksheet, q, shared_strings
from macro_workbook import build_macro_workbook


@pytest.fixture
def macro_book(tmp_path):
    contract = write_contract_workbook(tmp_path / "sumber.xlsx", sample_rows())
    return build_macro_workbook(contract, tmp_path / "master.xlsm")


def test_replace_data_rows_of_an_input_sheet_and_move_its_table(macro_book, tmp_path):
    pkg = Package.open(macro_book)
    ws = Worksheet(pkg, pkg.find_sheet("indikator").part)
    header = [v for (r, c), v in sorted(ws.cell_values(shared_strings(pkg)).items()) if r == 1]
    assert header[:3] == ["Tahun", "Triwulan", "Kode OPD"]
    [table] = ws.tables()
    ws.clear_rows(2)
    rows = [[2023, 1, "2.15", "Program A", "=1+1", "%", "Naik", 90, 91.5, None, None],
            [2023, 1, "2.15", "Program B", "Indikator B", "%", "Turun", 10, 9, 2, "https://contoh.go.id/b"]]
    ws.write_cells((2 + i, 1 + j, v, 0) for i, row in enumerate(rows) for j, v in enumerate(row))
    ws.set_table_ref(table, "A1:K3")
    ws.update_dimension()
    out = tmp_path / "baru.xlsm"
    pkg.save(out)
    wb = openpyxl.load_workbook(out)
    got = [list(r) for r in wb["Indikator"].iter_rows(min_row=2, values_only=True)]
    assert got == rows and wb["Indikator"]["E2"].data_type == "s"
    assert wb["Indikator"].tables["tblIndikator"].ref == "A1:K3"
    assert wb["Indikator"].dimensions == "A1:K3"
    assert len(wb["OPD"].data_validations.dataValidation) == 1
    with zipfile.ZipFile(macro_book) as a, zipfile.ZipFile(out) as b:
        same = [n for n in a.namelist()
                if n not in ("xl/worksheets/sheet4.xml", "xl/tables/table1.xml", "xl/sharedStrings.xml")]
        assert all(a.read(n) == b.read(n) for n in same)
        # the count of shared-string references drops by the references the cleared rows held; the strings stay
        def references(z):
            return sum(len(etree.fromstring(z.read(n)).findall(f".//{q('c')}[@t='s']")) for n in z.namelist()
                       if n.startswith("xl/worksheets/sheet"))

        old, new = (etree.fromstring(z.read("xl/sharedStrings.xml")) for z in (a, b))
        assert references(b) < references(a)
        assert int(old.get("count")) - int(new.get("count")) == references(a) - references(b)
        assert new.get("uniqueCount") == old.get("uniqueCount")


def test_fill_keeps_the_cell_format(macro_book, tmp_path):
    pkg = Package.open(macro_book)
    styles = Styles(pkg)
    ws = Worksheet(pkg, pkg.find_sheet("Realisasi").part)
    ws.restyle(2, 1, 12, lambda s: styles.with_fill(s, "#FFC000"))
    pkg.save(tmp_path / "isi.xlsm")
    sheet = openpyxl.load_workbook(tmp_path / "isi.xlsm")["Realisasi"]
    assert sheet["D2"].number_format == '"Rp"#,##0' and sheet["D2"].fill.fgColor.rgb == "FFFFC000"
    assert sheet["L2"].value is None and sheet["L2"].fill.fgColor.rgb == "FFFFC000"  # created, empty
    assert sheet["D3"].fill.fill_type is None
    assert [c.value for c in sheet[2]][:4] == [2022, 1, "2.15", sheet["D2"].value] and sheet["D2"].value > 0


def _with_calc_chain(path, tmp_path):
    pkg = Package.open(path)
    chain = (b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<c r="B4" i="5"/><c r="B5"/><c r="A1" i="7"/></calcChain>')
    pkg.parts["xl/calcChain.xml"] = chain
    pkg.add_relationship(pkg.workbook_part, NS_REL + "/calcChain", "xl/calcChain.xml")
    pkg.set_content_type("xl/calcChain.xml",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml")
    pkg.save(tmp_path / "rantai.xlsm")
    return Package.open(tmp_path / "rantai.xlsm")


def test_calc_chain_entries_of_rewritten_sheets_are_dropped(macro_book, tmp_path):
    pkg = _with_calc_chain(macro_book, tmp_path)
    pkg.drop_calc_chain([7])
    assert [c.get("r") for c in pkg.xml("xl/calcChain.xml")] == ["B4", "B5"]
    pkg.drop_calc_chain([5])
    assert "xl/calcChain.xml" not in pkg.parts
    assert b"calcChain" not in etree.tostring(pkg.rels(pkg.workbook_part))
    assert b"calcChain" not in etree.tostring(pkg.xml("[Content_Types].xml"))


def test_new_sheet_is_registered_everywhere(macro_book, tmp_path):
    pkg = Package.open(macro_book)
    ref = pkg.add_sheet("Peringkat")
    Worksheet(pkg, ref.part).write_cells([(1, 1, "judul", Styles(pkg).xf(bold=True))])
    with pytest.raises(UnusableWorkbook, match="sudah ada"):
        pkg.add_sheet("PERINGKAT")
    pkg.save(tmp_path / "baru.xlsm")
    wb = openpyxl.load_workbook(tmp_path / "baru.xlsm")
    assert wb.sheetnames[-1] == "Peringkat" and wb["Peringkat"]["A1"].font.b


def test_a_sheet_serialised_then_replaced_is_saved_as_replaced(macro_book, tmp_path):
    """A serialised sheet is deflated on a thread while the run goes on; if the part is replaced after that,
    the save writes the replacement, not the deflated earlier bytes, and the zip checks out."""
    pkg = Package.open(macro_book)
    ref = pkg.add_sheet("Peringkat")
    Worksheet(pkg, ref.part).write_cells([(1, 1, "lama", 0)])
    pkg.serialise(ref.part)
    Worksheet(pkg, ref.part).write_cells([(1, 1, "baru", 0)])
    pkg.serialise(ref.part)
    pkg.save(tmp_path / "baru.xlsm")
    assert zipfile.ZipFile(tmp_path / "baru.xlsm").testzip() is None
    assert openpyxl.load_workbook(tmp_path / "baru.xlsm")["Peringkat"]["A1"].value == "baru"
    pkg = Package.open(macro_book)
    ref = pkg.add_sheet("Peringkat")
    Worksheet(pkg, ref.part).write_cells([(1, 1, "lama", 0)])
    pkg.serialise(ref.part)
    pkg.parts[ref.part] = pkg.parts[ref.part].replace(b"lama", b"ganti")
    pkg.save(tmp_path / "ganti.xlsm")
    assert openpyxl.load_workbook(tmp_path / "ganti.xlsm")["Peringkat"]["A1"].value == "ganti"


def test_a_part_declaring_entities_is_refused_unexpanded(tmp_path):
    pkg = Package({"[Content_Types].xml": b"<Types/>", "_rels/.rels":
                   b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   b'<Relationship Id="rId1" Type="http://x/officeDocument" Target="xl/workbook.xml"/>'
                   b'</Relationships>',
                   "xl/sharedStrings.xml": b'<!DOCTYPE x [<!ENTITY a "AAAAAAAAAA">]><sst xmlns="'
                   b'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a;&a;</t></si></sst>'})
    with pytest.raises(UnusableWorkbook, match="rusak \\(bagian xl/sharedStrings.xml\\)") as e:
        pkg.xml("xl/sharedStrings.xml")
    assert "AAAA" not in str(e.value)  # refused, never expanded


def test_a_source_changed_since_it_was_read_is_not_written_from(tmp_path, sample_workbook):
    """hitung saves from the package it read (checked once): if the file changed in between (saved from
    Excel while the run computed), nothing is written rather than old parts mixed with new ones."""
    import os

    from indeks_opd.files.safe_write import replace_atomically

    path = sample_workbook
    pkg = Package.open(path)
    Worksheet(pkg, (pkg.find_sheet("Peringkat") or pkg.add_sheet("Peringkat")).part).write_cells([(1, 1, "x", 0)])
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    changed = path.read_bytes()
    with pytest.raises(UnusableWorkbook, match="berubah saat sedang dibaca"), replace_atomically(path) as tmp:
        pkg.save(tmp)
    assert path.read_bytes() == changed and sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_not_a_package(tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 rusak")
    with pytest.raises(UnusableWorkbook, match="bukan buku kerja"):
        Package.open(bad)


def test_outputs_into_a_workbook_saved_by_excel(tmp_path, sample_workbook):
    """xlwings' quickstart.xlsm was saved by Excel (mc:Ignorable namespaces, x14ac attributes, VBA)."""
    from datetime import datetime
    from importlib import resources

    from indeks_opd.core import compute_period
    from indeks_opd.files.writer import outputs_for, read_for_hitung, render_outputs

    excel_file = tmp_path / "quickstart.xlsm"
    excel_file.write_bytes((resources.files("xlwings") / "quickstart.xlsm").read_bytes())
    contents = read_for_hitung(sample_workbook)
    outputs = outputs_for(compute_period(contents.data, 2022, 4), contents, datetime(2023, 1, 9, 8, 0))
    pkg = Package.open(excel_file)
    render_outputs(pkg, outputs, None)
    pkg.save(tmp_path / "hasil.xlsm")
    styles = etree.fromstring(Package.open(tmp_path / "hasil.xlsm").parts["xl/styles.xml"])
    assert styles.nsmap == etree.fromstring(Package.open(excel_file).parts["xl/styles.xml"]).nsmap
    assert styles.find(q("fonts")).get("{http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac}knownFonts")
    wb = openpyxl.load_workbook(tmp_path / "hasil.xlsm", keep_vba=True)
    assert wb.sheetnames[-4:] == ["Peringkat", "Riwayat", "Masalah", "Log"]
    assert wb["Peringkat"]["C6"].value == "Dinas Perhubungan" and wb["Peringkat"]["C6"].fill.fgColor.rgb == "FF00B050"
    with zipfile.ZipFile(excel_file) as a, zipfile.ZipFile(tmp_path / "hasil.xlsm") as b:
        changed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
        assert all(a.read(n) == b.read(n) for n in a.namelist() if n not in changed)
