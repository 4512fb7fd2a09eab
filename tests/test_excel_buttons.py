"""The buttons Buat Templat, Impor Templat, Rapor (and Hitung Indeks from the add-in) on xlwings' remote engine.

Each test presses the real entry point (``indeks_opd.excel.*_tombol()``) with
``xw.Book.caller()`` set to a book the remote engine opened from a real .xlsx
(tests/officejs.py), applies the returned actions to that workbook, and asserts on what a
user sees: the sheets, the alert, and the files written next to the master.

Desktop Excel answers ``book.fullname`` with the saved file's full path; the Office.js client
of the remote engine only sends the workbook's name, so the tests send the path as the name
to stand for a saved master (and a bare name for one never saved).
"""

from __future__ import annotations

import copy

import openpyxl
import pytest
import xlwings as xw

from indeks_opd.alur.sheets import STATUS_HEADER_ROW
from indeks_opd.excel import (
    NoWorkbook,
    buat_templat_tombol,
    hitung_indeks_tombol,
    impor_templat_tombol,
    rapor_tombol,
    read_book,
    target_book,
)
from indeks_opd.files.reader import read_workbook
from officejs import Workbook, book_json, payload_of
from templat_util import FIRST, fill, make_master, make_templates

INCOMING = "Templat Masuk 2022 TW4"


def saved_payload(path) -> dict:
    payload = book_json(path)
    payload["book"]["name"] = str(path)
    return payload


def open_remote(payload: dict):
    return xw.Book(json=copy.deepcopy(payload))


def press(button, payload: dict, caller_payload: dict | None = None) -> Workbook:
    """Press ``button`` for the workbook of ``payload`` (the active one); returns that workbook afterwards.

    ``caller_payload`` is the book whose VBA ran the macro when it is not the workbook itself
    (the add-in): it is opened first, so the workbook is the active one.
    """
    caller = open_remote(caller_payload) if caller_payload else None
    book = open_remote(payload)
    (caller or book).set_mock_caller()
    try:
        button()
    finally:
        del xw.Book._mock_caller
    if caller is not None:
        assert caller.json()["actions"] == []  # the add-in itself is never written to
    return Workbook(payload).apply(book.json()["actions"])


def rows_of(wb: Workbook, payload: dict, sheet: str, kode: str) -> list[dict]:
    """The contract rows of one OPD for 2022 TW 4 in the workbook as it is now (read back like Excel would)."""
    data = read_book(open_remote(payload_of(wb, payload)))
    df = getattr(data, sheet.lower())
    df = df[(df["kode"] == kode) & (df["tahun"] == 2022) & (df["triwulan"] == 4)]
    return df.drop(columns="baris").to_dict("records")


def other_cells(wb: Workbook, sheet: str, kode: str) -> dict:
    """Every cell of ``sheet`` outside the rows of OPD ``kode`` in 2022 TW 4."""
    st = wb.sheet(sheet)
    rows = st.rows()
    skip = {i + 1 for i, r in enumerate(rows) if r[:3] == [2022, 4, kode]}
    return {rc: v for rc, v in st.values.items() if rc[0] not in skip}


@pytest.fixture
def master(tmp_path):
    return make_master(tmp_path)


# --- Impor Templat ---------------------------------------------------------------------------------

def test_import_fills_the_rows_and_a_corrected_template_replaces_them(master, tmp_path):
    payload = saved_payload(master)
    before = Workbook(payload)
    p = make_templates(master, tmp_path / INCOMING, kode=["2.15"])["2.15"]

    def nama_rumus(wb):  # typed as text by the OPD (openpyxl would write "=..." as a formula)
        cell = wb["Indikator"][f"E{FIRST}"]
        cell.value, cell.data_type = "=1+1 kecelakaan", "s"

    fill(p, {"realisasi_keuangan": 800_000_000}, ubah=nama_rumus)
    wb = press(impor_templat_tombol, payload)

    assert wb.alerts[0].startswith("1 templat diimpor ke Tahun 2022 Triwulan IV (OPD 2.15)")
    assert "Simpan buku kerja (Ctrl+S)" in wb.alerts[0]
    assert [r["realisasi_keuangan"] for r in rows_of(wb, payload, "Realisasi", "2.15")] == [800_000_000]
    ind = rows_of(wb, payload, "Indikator", "2.15")
    assert len(ind) == 3 and ind[0]["indikator"] == "=1+1 kecelakaan"  # text, never a formula
    for sheet in ("Realisasi", "Indikator"):  # no other row is touched
        assert other_cells(wb, sheet, "2.15") == other_cells(before, sheet, "2.15")
    masalah = wb.sheet("Masalah").rows()
    assert masalah[0][:4] == ["Tingkat", "Lokasi", "Kode OPD", "Pesan"]
    assert masalah[1][0] == "Peringatan" and masalah[1][1] == f"[{p.name}]Indikator!E{FIRST}"
    laporan = list(tmp_path.glob("induk - laporan impor *.txt"))
    assert len(laporan) == 1 and "diimpor" in laporan[0].read_text(encoding="utf-8")
    assert str(laporan[0]) in wb.alerts[0]

    def dua_indikator_dihapus(wb):
        for r in (FIRST + 1, FIRST + 2):
            for col in "DEFGHIJ":
                wb["Indikator"][f"{col}{r}"] = None

    fill(p, {"realisasi_keuangan": 850_000_000}, ubah=dua_indikator_dihapus)
    again = press(impor_templat_tombol, payload_of(wb, payload))
    assert again.alerts[0].startswith("1 templat diimpor")
    assert [r["realisasi_keuangan"] for r in rows_of(again, payload, "Realisasi", "2.15")] == [850_000_000]
    assert [i["indikator"] for i in rows_of(again, payload, "Indikator", "2.15")] == ["=1+1 kecelakaan"]
    for sheet in ("Realisasi", "Indikator"):
        assert other_cells(again, sheet, "2.15") == other_cells(before, sheet, "2.15")
    assert wb.sheet("Indikator").rows()[-1] == again.sheet("Indikator").rows()[-1]  # nothing appended
    data = read_book(open_remote(payload_of(again, payload)))
    assert len(data.indikator) == len(read_workbook(master).indikator) - 2


def test_import_makes_evidence_links_clickable_in_the_live_workbook(master, tmp_path):
    payload = saved_payload(master)
    p = make_templates(master, tmp_path / INCOMING, kode=["2.15"])["2.15"]
    unc = "\\\\bappeda-fs01\\Bukti Dukung\\Laporan Dishub.pdf"

    def bukti(wb):
        wb["Indikator"][f"K{FIRST}"] = "https://contoh.go.id/bukti/2.15"
        wb["Indikator"][f"K{FIRST + 2}"] = unc

    fill(p, ubah=bukti)
    wb = press(impor_templat_tombol, payload)
    ind = wb.sheet("Indikator")
    rows = [r for r, row in enumerate(ind.rows(), 1) if row[:3] == [2022, 4, "2.15"]]
    assert ind.links == {
        (rows[0], 11): "https://contoh.go.id/bukti/2.15",
        (rows[2], 11): "file://bappeda-fs01/Bukti%20Dukung/Laporan%20Dishub.pdf"}
    assert [ind.values.get((r, 11)) for r in rows] == ["https://contoh.go.id/bukti/2.15", None, unc]
    assert [i["bukti_dukung"] if isinstance(i["bukti_dukung"], str) else None
            for i in rows_of(wb, payload, "Indikator", "2.15")] == ["https://contoh.go.id/bukti/2.15", None, unc]


def test_import_appends_rows_when_an_opd_sends_more_indicators(master, tmp_path):
    payload = saved_payload(master)
    p = make_templates(master, tmp_path / INCOMING, kode=["2.15"])["2.15"]

    def dua_indikator_baru(wb):
        ws = wb["Indikator"]
        for r, nama in ((FIRST + 3, "Indikator baru A"), (FIRST + 4, "Indikator baru B")):
            for col, v in zip("DEFGHI", ("Program baru", nama, "%", "Naik", 50, 40)):
                ws[f"{col}{r}"] = v

    fill(p, ubah=dua_indikator_baru)
    wb = press(impor_templat_tombol, payload)
    assert wb.alerts[0].startswith("1 templat diimpor")
    ind = rows_of(wb, payload, "Indikator", "2.15")
    assert [i["indikator"] for i in ind][-2:] == ["Indikator baru A", "Indikator baru B"] and len(ind) == 5
    last = Workbook(payload).sheet("Indikator").rows()
    assert [r[:5] for r in wb.sheet("Indikator").rows()[len(last):]] == [  # below the last data row
        [2022, 4, "2.15", "Program baru", "Indikator baru A"], [2022, 4, "2.15", "Program baru", "Indikator baru B"]]


def test_a_bad_template_refuses_with_the_report_and_changes_no_data(master, tmp_path):
    payload = saved_payload(master)
    t = make_templates(master, tmp_path / INCOMING, kode=["2.15", "1.02"])
    fill(t["1.02"])
    fill(t["2.15"], {"realisasi_fisik": "tujuh puluh"})
    wb = press(impor_templat_tombol, payload)

    assert wb.alerts[0].startswith("IMPOR DIBATALKAN: 1 dari 2 berkas bermasalah; tidak ada data yang diubah.")
    before = Workbook(payload)
    for sheet in ("Parameter", "OPD", "Realisasi", "Indikator"):
        assert wb.sheet(sheet) == before.sheet(sheet), sheet
    galat = [r for r in wb.sheet("Masalah").rows()[1:] if r[0] == "Galat"]
    assert len(galat) == 1 and galat[0][1] == f"[{t['2.15'].name}]Realisasi!H{FIRST}" and galat[0][2] == "2.15"
    laporan = next(tmp_path.glob("induk - laporan impor *.txt")).read_text(encoding="utf-8")
    assert "IMPOR DIBATALKAN" in laporan and f"{t['2.15'].name} — OPD 2.15 — BERMASALAH" in laporan


def test_import_without_the_folder_creates_it_and_says_where(master, tmp_path):
    wb = press(impor_templat_tombol, saved_payload(master))
    assert (tmp_path / INCOMING).is_dir()
    assert wb.alerts == [(f"Belum ada templat untuk diimpor. Simpan templat .xlsx yang sudah diisi OPD untuk Tahun "
                          f"2022 Triwulan IV di folder:\n{tmp_path / INCOMING}\nlalu tekan Impor Templat lagi.")]
    assert "Masalah" not in wb.names()


# --- Buat Templat and Rapor ----------------------------------------------------------------------

def test_templat_button_writes_every_active_opds_template_next_to_the_master(master, tmp_path):
    wb = press(buat_templat_tombol, saved_payload(master))
    folder = tmp_path / "Templat 2022 TW4"
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) == 18
    assert wb.alerts[0].startswith(f"Templat OPD untuk Tahun 2022 Triwulan IV: 18 templat dibuat di {folder}.\n")
    assert INCOMING in wb.alerts[0]
    kode = {openpyxl.load_workbook(f)["Realisasi"][f"C{FIRST}"].value for f in files}
    opd = read_workbook(master).opd
    assert kode == set(opd[opd["aktif"].eq(True)]["kode"]) and "9.99" not in kode  # active OPDs only
    before = Workbook(saved_payload(master))
    assert wb.names() == before.names() + ["Status", "Log"]  # only the period opened (docs/alur.md)
    assert [(s.name, s.values) for s in wb.sheets[:len(before.sheets)]] == [(s.name, s.values) for s in before.sheets]
    assert {r[4] for r in wb.sheet("Status").rows()[STATUS_HEADER_ROW:]} == {"Belum Dikirim"}


def test_rapor_button_writes_the_reports_of_the_active_period(master, tmp_path):
    wb = press(rapor_tombol, saved_payload(master))
    folder = tmp_path / "Rapor 2022 TW4"
    assert wb.alerts == [(f"Rapor Tahun 2022 Triwulan IV selesai: 18 rapor OPD, laporan Rakorpok dan buku kerja "
                          f"rapor ditulis ke folder:\n{folder}")]
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert len(pdfs) == 20 and "laporan_rakorpok_2022_TW4.pdf" in pdfs and "rapor_2022_TW4_semua.pdf" in pdfs
    assert all((folder / p).read_bytes()[:5] == b"%PDF-" for p in pdfs)
    sheets = openpyxl.load_workbook(folder / "rapor_2022_TW4.xlsx", read_only=True).sheetnames
    assert "Rakorpok" in sheets and "Rapor 2.15" in sheets


def test_rapor_refuses_a_workbook_with_unsaved_changes(master, tmp_path):
    payload = saved_payload(master)
    realisasi = next(s for s in payload["sheets"] if s["name"] == "Realisasi")
    realisasi["values"][1][5] = 123  # typed in Excel, not saved
    wb = press(rapor_tombol, payload)
    assert wb.alerts == [("Rapor tidak dapat dijalankan:\n- Ada perubahan yang belum disimpan di sheet Realisasi. "
                          "Rapor dibuat dari berkas yang tersimpan: simpan dulu buku kerja (Ctrl+S), lalu tekan "
                          "Rapor lagi.")]
    assert not (tmp_path / "Rapor 2022 TW4").exists()


@pytest.mark.parametrize("button", [buat_templat_tombol, impor_templat_tombol, rapor_tombol])
def test_a_workbook_never_saved_is_asked_to_be_saved_first(master, tmp_path, button):
    payload = book_json(master)
    payload["book"]["name"] = "Book1"
    wb = press(button, payload)
    assert len(wb.alerts) == 1 and "Buku kerja 'Book1' belum pernah disimpan. Simpan dulu" in wb.alerts[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["induk.xlsx"]


# --- which workbook a button acts on -------------------------------------------------------------

ADDIN = {"client": "Office.js", "version": xw.__version__,
         "book": {"name": "IndeksOPD.xlam", "active_sheet_index": 0, "selection": "A1"}, "names": [],
         "sheets": [{"name": "IndeksOPD", "values": [["Add-in Indeks Kinerja OPD"]], "pictures": [], "shapes": [],
                     "charts": [], "notes": [], "tables": [], "pivot_tables": [], "visibility": "Visible",
                     "show_gridlines": True, "print_area": None}]}


def test_the_add_in_acts_on_the_active_workbook(master):
    wb = press(hitung_indeks_tombol, saved_payload(master), caller_payload=ADDIN)
    assert wb.alerts[0].startswith("Indeks Tahun 2022 Triwulan IV selesai dihitung: 18 OPD dinilai")
    assert wb.sheet("Peringkat").rows()[5][1] == "2.15"


def test_the_add_in_with_no_workbook_open_says_so():
    addin = open_remote(ADDIN)
    addin.set_mock_caller()
    try:
        with pytest.raises(NoWorkbook):
            target_book(addin)
        hitung_indeks_tombol()
    finally:
        del xw.Book._mock_caller
    assert [a["args"][0] for a in addin.json()["actions"]] == [
        ("Tidak ada buku kerja yang aktif. Buka dan klik buku kerja induk Indeks Kinerja OPD, lalu tekan tombol di "
         "tab Indeks OPD lagi.")]


def test_a_button_in_the_workbook_acts_on_that_workbook(master):
    book = open_remote(saved_payload(master))
    open_remote(ADDIN)  # the add-in is loaded and even active: the workbook's own button still means the workbook
    assert target_book(book) is book


@pytest.mark.parametrize("button", [hitung_indeks_tombol, rapor_tombol])
def test_a_mistyped_tahun_aktif_is_refused_by_the_buttons_and_nothing_is_written(master, tmp_path, button):
    # issue 13 item 2 in Excel: TahunAktif 2032 for 2022 must not put an empty SEMENTARA ranking over the real one
    wb = openpyxl.load_workbook(master)
    ws = wb["Parameter"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "TahunAktif")
    ws.cell(cell.row, cell.column + 1).value = 2032
    wb.save(master)
    payload = saved_payload(master)
    after = press(button, payload)
    (alert,) = after.alerts
    assert "Tidak ada data TW IV 2032 di sheet Realisasi maupun Indikator" in alert, alert
    assert "Periode yang ada datanya: TW I 2022, TW II 2022, TW III 2022, TW IV 2022" in alert
    before = Workbook(payload)
    assert after.names() == before.names()
    assert [(s.name, s.values) for s in after.sheets] == [(s.name, s.values) for s in before.sheets]
    assert not (tmp_path / "Rapor 2032 TW4").exists()


def test_impor_button_skips_templates_nobody_filled_and_says_which(master, tmp_path):
    payload = saved_payload(master)
    t = make_templates(master, tmp_path / INCOMING, kode=["2.15", "5.01"])
    fill(t["2.15"])
    wb = press(impor_templat_tombol, payload)
    assert wb.alerts[0].startswith("1 templat diimpor ke Tahun 2022 Triwulan IV (OPD 2.15)")
    assert "\n1 templat belum diisi dilewati (status OPD-nya tidak berubah): OPD 5.01." in wb.alerts[0]
    assert {r[2]: r[4] for r in wb.sheet("Status").rows() if r[2] in ("2.15", "5.01")} == {
        "2.15": "Diterima", "5.01": "Belum Dikirim"}
