"""Real Microsoft Excel through xlwings (Windows/macOS with Excel installed); skipped elsewhere.

For the Bappeda IT officer: see README, section "Menguji dengan Excel sungguhan". Run with
``python -m pytest -m excel -v``. Every test opens its own copy of a workbook in a hidden Excel
instance and closes it without saving the original.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from indeks_opd.contract.output_sheets import FORMAT_HADIAH
from indeks_opd.core import compute_period
from indeks_opd.files.reader import read_workbook

pytestmark = pytest.mark.excel

MASTER = Path(__file__).resolve().parents[1] / "xlsm" / "IndeksKinerjaOPD.xlsm"


def _hex(rgb) -> str | None:
    return None if rgb is None else "#{:02X}{:02X}{:02X}".format(*rgb)


def _check_peringkat(book, expected):
    sheet = book.sheets["Peringkat"]
    assert sheet["A1"].value == f"Peringkat Indeks Kinerja OPD — Tahun {expected.tahun} Triwulan " \
                                f"{['I', 'II', 'III', 'IV'][expected.triwulan - 1]}"
    rows = sheet.range((6, 1), (5 + len(expected.hasil), 13)).value
    for i, (row, r) in enumerate(zip(rows, expected.hasil.itertuples(index=False))):
        assert row[1] == r.kode and row[2] == r.nama and int(row[0]) == r.peringkat
        assert row[8] == pytest.approx(r.indeks, abs=1e-9)
        assert row[7] is None if math.isnan(r.p3dn) else row[7] == pytest.approx(r.p3dn, abs=1e-9)
        assert int(row[11]) == r.hadiah
        assert _hex(sheet.range((6 + i, 1)).color) == r.warna
        assert _hex(sheet.range((6 + i, 13)).color) == r.warna
    assert sheet.range((6, 12)).number_format == FORMAT_HADIAH


@pytest.mark.skipif(os.name != "nt", reason="freeze panes and print setup go through Excel's COM object model")
def test_hitung_indeks_in_excel_freezes_and_sets_up_printing_as_the_file_writer(excel_app, sample_workbook, tmp_path):
    """Window.FreezePanes and PageSetup exist only in desktop Excel: saved and read back as the CLI's file is."""
    from indeks_opd.excel import hitung_indeks

    book = excel_app.books.open(str(sample_workbook))
    try:
        hitung_indeks(book, show_summary=False)
        book.save(str(tmp_path / "excel.xlsx"))
    finally:
        book.close()
    ws = openpyxl.load_workbook(tmp_path / "excel.xlsx")["Peringkat"]
    assert ws.freeze_panes == "A6" and ws.print_title_rows == "$5:$5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddHeader.center.text == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
    assert ws["C5"].alignment.wrap_text and ws["A6"].alignment.horizontal == "center"
    assert ws.row_dimensions[5].height == 45


def test_hitung_indeks_in_excel_matches_the_core(excel_app, sample_workbook):
    from indeks_opd.excel import hitung_indeks

    expected = compute_period(read_workbook(sample_workbook), 2022, 4)
    book = excel_app.books.open(str(sample_workbook))
    try:
        result = hitung_indeks(book, show_summary=False)
        assert list(result.hasil["kode"]) == list(expected.hasil["kode"])
        _check_peringkat(book, expected)
        assert [s.name for s in book.sheets][-4:] == ["Peringkat", "Riwayat", "Masalah", "Log"]
        hitung_indeks(book, show_summary=False)  # twice: same sheets, one more Log row
        _check_peringkat(book, expected)
        assert book.sheets["Log"].used_range.rows.count == 3
    finally:
        book.close()


def test_percent_formatted_cells_are_read_as_excel_shows_them(excel_app, write_workbook, tmp_path):
    """0.75 in a cell formatted 0% is 75 % fisik: Excel's number formats reach the contract reader."""
    from indeks_opd.excel import hitung_indeks
    from indeks_opd.files.sample import sample_rows

    path = write_workbook(sample_rows())
    wb = openpyxl.load_workbook(path)
    ws = wb["Realisasi"]
    for row in ws.iter_rows(min_row=2):
        for c in row[6:8]:  # Target Fisik, Realisasi Fisik
            c.value = c.value / 100
            c.number_format = "0.00%"
    wb.save(path)
    expected = compute_period(read_workbook(path), 2022, 4)
    book = excel_app.books.open(str(path))
    try:
        hitung_indeks(book, show_summary=False)
        _check_peringkat(book, expected)
    finally:
        book.close()


def test_hitung_indeks_button_of_the_master_workbook(excel_app, tmp_path):
    """The VBA button (RunPython) of the built master workbook runs the same code.

    The button ends with a message box that waits for a click, so this test runs only when
    INDEKS_OPD_UJI_INTERAKTIF=1 (someone at the PC clicks OK).
    """
    if os.environ.get("INDEKS_OPD_UJI_INTERAKTIF") != "1":
        pytest.skip("uji interaktif: set INDEKS_OPD_UJI_INTERAKTIF=1 dan klik OK pada kotak pesan")
    if not MASTER.exists():
        pytest.skip("xlsm/IndeksKinerjaOPD.xlsm belum dibangun (indeks-opd bangun)")
    copy = tmp_path / MASTER.name
    shutil.copy(MASTER, copy)
    expected = compute_period(read_workbook(copy), *_active_period(copy))
    book = excel_app.books.open(str(copy))
    try:
        book.macro("HitungIndeks")()
        _check_peringkat(book, expected)
    finally:
        book.close()


def test_udfs_compute_in_cells(excel_app, tmp_path):
    """Classic xlwings UDFs in the built master workbook (its VBA wrappers call indeks_opd.udfs)."""
    if not MASTER.exists():
        pytest.skip("xlsm/IndeksKinerjaOPD.xlsm belum dibangun (indeks-opd bangun)")
    copy = tmp_path / MASTER.name
    shutil.copy(MASTER, copy)
    book = excel_app.books.open(str(copy))
    try:
        sheet = book.sheets.add("Uji")
        sheet["A1"].formula = '=INDEKS_OPD(90,95,98,"")'
        sheet["A2"].formula = "=CAPAIAN(0,5)"
        sheet["A3"].formula = "=KATEGORI_KINERJA(90.995)"
        excel_app.calculate()
        assert sheet["A1"].value == pytest.approx(8600 / 90)
        assert str(sheet["A2"].value).startswith("#GALAT: Target 0")
        assert sheet["A3"].value == "Sangat Tinggi"
    finally:
        book.close()


def _active_period(path):
    data = read_workbook(path)
    return data.parameter.tahun_aktif, data.parameter.triwulan_aktif


def test_impor_templat_writes_the_rows_into_the_open_master(excel_app, tmp_path):
    """Impor Templat through the Book API of the built master while Excel has it open.

    Checks what only real Excel can show: the Kode OPD stays text (not the number 2.15), a
    formula-looking indicator name stays text, the table grows over appended rows, and the
    Rapor button refuses the unsaved result until it is saved.
    """
    from indeks_opd.core.masalah import UnusableWorkbook
    from indeks_opd.excel import impor_templat, rapor
    from indeks_opd.templat.generate import generate_templates, incoming_folder
    from templat_util import fill

    if not MASTER.exists():
        pytest.skip("xlsm/IndeksKinerjaOPD.xlsm belum dibangun (indeks-opd bangun)")
    copy = tmp_path / MASTER.name
    shutil.copy(MASTER, copy)
    tahun, triwulan = _active_period(copy)
    data = read_workbook(copy)
    kode = str(data.opd["kode"].iloc[0])
    template = generate_templates(data, tahun, triwulan, incoming_folder(copy, tahun, triwulan), [kode]).paths[0]

    def tambah(wb):  # one extra indicator row with a formula-looking name
        ws = wb["Indikator"]
        r = ws.max_row + 1
        for col, v in zip("ABCDEFGHI", (tahun, triwulan, kode, "Program uji", "=uji", "%", "Naik", 10, 9)):
            ws[f"{col}{r}"] = v
        ws[f"E{r}"].data_type = "s"

    fill(template, {"realisasi_keuangan": 123_456_789}, ubah=tambah)
    book = excel_app.books.open(str(copy))
    try:
        outcome = impor_templat(book, show_summary=False)
        assert outcome is not None and outcome.written
        real = book.sheets["Realisasi"].used_range.value
        row = next(r for r in real if r[2] == kode and r[0] == tahun and r[1] == triwulan)
        assert isinstance(row[2], str) and row[5] == 123_456_789
        ind = book.sheets["Indikator"].used_range.value
        assert any(r[2] == kode and r[4] == "=uji" for r in ind)
        with pytest.raises(UnusableWorkbook):
            rapor(book, show_summary=False)  # not saved yet
        book.save()
        rapor(book, show_summary=False)
        assert any((copy.parent / f"Rapor {tahun} TW{triwulan}").glob("*.pdf"))
    finally:
        book.close()


def _plain_address(address: str) -> str:
    """A hyperlink address as Excel may report it (``file://srv/a%20b``, ``file:///\\\\srv\\a b``, ``\\\\srv\\a b``),
    reduced to ``srv/a b`` for comparison."""
    from urllib.parse import unquote

    a = unquote(address).replace("\\", "/")
    return (a[len("file:"):] if a.lower().startswith("file:") else a).lstrip("/")


def test_evidence_links_are_hyperlinks_excel_opens(excel_app, tmp_path):
    """The Bukti Dukung hyperlinks the file import writes, as Excel reads them, and those Impor Templat adds."""
    from indeks_opd.excel import impor_templat
    from indeks_opd.templat.generate import incoming_folder
    from templat_util import FIRST, fill, make_master, make_templates

    web = "https://contoh.go.id/bukti?opd=2.15&tw=4"
    unc = "\\\\bappeda-fs01\\Data Bersama\\Bukti TW IV\\Laporan Dishub ü.pdf"

    def links(wb):
        wb["Indikator"][f"K{FIRST}"] = web
        wb["Indikator"][f"K{FIRST + 1}"] = unc

    master = make_master(tmp_path / "berkas")
    assert run_cli("impor", fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"], ubah=links),
                   "--ke", master).returncode == 0
    live = make_master(tmp_path / "excel")
    fill(make_templates(live, incoming_folder(live, 2022, 4), kode=["2.15"])["2.15"], ubah=links)
    for path, import_live in ((master, False), (live, True)):
        book = excel_app.books.open(str(path))
        try:
            if import_live:
                assert impor_templat(book, show_summary=False).written
            sheet = book.sheets["Indikator"]
            rows = [i + 1 for i, r in enumerate(sheet.used_range.value) if r[2] == "2.15" and r[0] == 2022
                    and r[1] == 4]
            cells = [sheet.range((r, 11)) for r in rows[:2]]
            assert [c.value for c in cells] == [web, unc]
            assert [_plain_address(c.hyperlink) for c in cells] == [
                web, "bappeda-fs01/Data Bersama/Bukti TW IV/Laporan Dishub ü.pdf"]
        finally:
            book.close()
