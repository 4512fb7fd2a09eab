"""Evidence links (Indikator.Bukti Dukung, docs/kontrak.md): only http(s) addresses and paths on the office
network are accepted, by the template import and by hitung on the master; everything else is a galat at its
cell and nothing is changed; accepted links become clickable in the master, the rapor PDF and the rapor sheet.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pandas as pd
import pytest

from conftest import hitung_json, run_cli
from helpers import data, indikator, opd, realisasi, sheets
from indeks_opd.contract import read_contract
from indeks_opd.contract.sheets import Sheet
from indeks_opd.core import compute_period
from indeks_opd.core.masalah import UnusableWorkbook
from templat_util import FIRST, fill, make_master, make_templates, set_cell_xml

UNC = "\\\\bappeda-fs01\\Data Bersama\\Bukti TW IV\\Laporan Dinas Perhubungan – Triwulan IV ü.pdf"
ACCEPTED = [
    "https://drive.google.com/file/d/1AbC/view?usp=sharing",
    "http://sipd.contoh.go.id/laporan?opd=2.15&tw=4",
    UNC,
    "\\\\10.20.1.5\\bukti\\2.15.pdf",
    "\\\\fs01.bappeda.local\\bukti\\a.pdf",
    "S:\\Bukti Dukung\\Dishub\\Laporan Akhir.pdf",
]
REFUSED = {
    "javascript:alert(document.cookie)": "skema 'javascript:'",
    "JavaScript:alert(1)": "skema 'javascript:'",
    "vbscript:msgbox(1)": "skema 'vbscript:'",
    "data:text/html;base64,PHNjcmlwdD4=": "skema 'data:'",
    "mailto:bappeda@contoh.go.id": "skema 'mailto:'",
    "file://evil.example.com/share/x.pdf": "URL file:",
    "file:///C:/Windows/System32/calc.exe": "URL file:",
    "\\\\evil.example.com\\share\\x.pdf": "bukan server jaringan kantor",
    "\\\\8.8.8.8\\share\\x.pdf": "bukan server jaringan kantor",
    "\\\\?\\C:\\Windows\\calc.exe": "jalur perangkat Windows",
    '=HYPERLINK("javascript:alert(1)","https://ok.go.id")': "tampak seperti rumus",
    "+cmd|' /C calc'!A0": "tampak seperti rumus",
    "@SUM(1)": "tampak seperti rumus",
    "lihat lampiran di map biru": "bukan tautan",
    "Laporan.pdf": "bukan tautan",
    "www.contoh.go.id/bukti.pdf": "tidak diawali http:// atau https://",
    "https://contoh.go.id/laporan triwulan.pdf": "berisi spasi",
    "https://contoh.go.id/a\nhttps://contoh.go.id/b": "karakter kendali",
    "https://contoh.go.id/a,https://contoh.go.id/b": "lebih dari satu tautan",
    "https://contoh.go.id/laporan\u202efdp.exe": "karakter kendali atau karakter tak terlihat",
    "https://admin:rahasia@contoh.go.id/x": "nama pengguna atau kata sandi",
    "https://www.google.com@evil.example.com/": "nama pengguna atau kata sandi",
    "https://": "tidak menyebut nama situs",
    "https://contoh.go.id/" + "a" * 2100: "terlalu panjang (2121 karakter",
    "\\\\bappeda-fs01": "tidak lengkap",
    "\\\\bappeda-fs01\\bukti\\a|b.pdf": "karakter |",
}


def _indikator_with(link) -> list:
    return [indikator("A") + (link,), indikator("B")]


def _problems(link) -> tuple[list, object]:
    d = data([opd("A"), opd("B")], [realisasi("A"), realisasi("B")], _indikator_with(link))
    return [m for m in d.masalah if m.lokasi == "Indikator!K2"], d


def _links_read(d) -> list:
    return [None if pd.isna(v) else v for v in d.indikator["bukti_dukung"]]


@pytest.mark.parametrize("link", ACCEPTED)
def test_accepted_links_are_read_exactly_as_typed(link):
    found, d = _problems(link)
    assert found == []
    assert _links_read(d) == [link, None]


@pytest.mark.parametrize("link,why", REFUSED.items())
def test_every_unsafe_form_is_a_galat_at_its_cell_and_blocks_that_opd(link, why):
    found, d = _problems(link)
    assert [m.tingkat for m in found] == ["galat"], found
    assert why in found[0].pesan and found[0].pesan.startswith("Nilai Bukti Dukung '"), found[0].pesan
    assert "\n" not in found[0].pesan and "\u202e" not in found[0].pesan  # the quoted value is shown safely
    assert _links_read(d) == [None, None]  # never read as a link
    hasil = compute_period(d, 2023, 4)
    assert hasil.sementara and hasil.hasil["kode"].tolist() == ["B"]


def test_numbers_and_dates_are_not_links():
    found, _ = _problems(12345.0)
    assert "'12345' bukan tautan" in found[0].pesan


def test_the_same_link_on_several_indicators_is_fine():
    d = data([opd("A")], [realisasi("A")], [indikator("A", nama="X") + (UNC,), indikator("A", nama="Y") + (UNC,)])
    assert d.masalah == [] and _links_read(d) == [UNC, UNC]


def test_a_second_bukti_dukung_column_is_refused():
    s = sheets([opd("A")], [realisasi("A")], [indikator("A") + (UNC, UNC)])
    s["Indikator"] = Sheet("Indikator", [s["Indikator"].values[0] + ["Bukti Dukung"], *s["Indikator"].values[1:]])
    with pytest.raises(UnusableWorkbook, match="'Bukti Dukung' muncul lebih dari sekali"):
        read_contract(s, {})


def _links(path: Path, sheet: str) -> dict[str, str]:
    wb = openpyxl.load_workbook(path)
    return {c.coordinate: c.hyperlink.target for row in wb[sheet].iter_rows() for c in row if c.hyperlink}


def _with_links(links: dict[int, str]):
    def ubah(wb):
        for i, link in links.items():
            wb["Indikator"][f"K{FIRST + i}"] = link
            wb["Indikator"][f"K{FIRST + i}"].data_type = "s"  # typed as text, even '=…' (a formula is tested below)
    return ubah


def test_template_offers_the_input_cell_and_import_makes_the_master_links_clickable(tmp_path):
    master = make_master(tmp_path)
    t = make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"]
    ws = openpyxl.load_workbook(t)["Indikator"]
    header = [c.value for c in ws[FIRST - 1]]
    assert header[10] == "Bukti Dukung"
    assert not ws[f"K{FIRST}"].protection.locked and ws[f"K{FIRST}"].fill.fgColor.rgb.endswith("FFF2CC")
    assert any(f"K{FIRST}" in dv.sqref and dv.type == "custom" for dv in ws.data_validations.dataValidation)

    fill(t, ubah=_with_links({0: ACCEPTED[0], 1: UNC}))
    r = run_cli("impor", t, "--ke", master)
    assert r.returncode == 0, r.stdout + r.stderr
    wb = openpyxl.load_workbook(master)
    ind = wb["Indikator"]
    rows = [row for row in ind.iter_rows(min_row=2) if row[2].value == "2.15" and row[0].value == 2022
            and row[1].value == 4]
    assert [row[10].value for row in rows] == [ACCEPTED[0], UNC, None]
    assert [row[10].hyperlink.target if row[10].hyperlink else None for row in rows] == [
        ACCEPTED[0], "file://bappeda-fs01/Data%20Bersama/Bukti%20TW%20IV/"
        "Laporan%20Dinas%20Perhubungan%20%E2%80%93%20Triwulan%20IV%20%C3%BC.pdf", None]

    # a corrected file without the second link: its hyperlink goes too, nothing else is linked
    fill(t, ubah=_with_links({0: ACCEPTED[2], 1: None}))
    assert run_cli("impor", t, "--ke", master).returncode == 0
    assert list(_links(master, "Indikator").values()) == ["file://bappeda-fs01/Data%20Bersama/Bukti%20TW%20IV/"
                                                         "Laporan%20Dinas%20Perhubungan%20%E2%80%93%20Triwulan%20IV%20%C3%BC.pdf"]
    with zipfile.ZipFile(master) as z:
        rels = [n for n in z.namelist() if n.endswith(".rels") and "worksheets" in n]
        assert sum(z.read(n).decode().count('TargetMode="External"') for n in rels) == 1  # the old one is gone


@pytest.mark.parametrize("link", ["javascript:alert(1)", "file://evil.example.com/x", "=1+1", "lihat lampiran"])
def test_import_refuses_an_unsafe_link_naming_file_sheet_and_cell_and_changes_nothing(tmp_path, link):
    master = make_master(tmp_path)
    t = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"], ubah=_with_links({1: link}))
    sebelum = hashlib.sha256(master.read_bytes()).hexdigest()
    r = run_cli("impor", t, "--ke", master)
    assert r.returncode == 2
    assert hashlib.sha256(master.read_bytes()).hexdigest() == sebelum
    assert f"GALAT: {t.name} Indikator!K{FIRST + 1}: Nilai Bukti Dukung" in r.stderr, r.stderr


def test_a_hyperlink_formula_in_the_template_is_refused(tmp_path):
    master = make_master(tmp_path)
    t = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"])
    set_cell_xml(t, "Indikator", f"K{FIRST}", f'<c r="K{FIRST}" t="str"><f>HYPERLINK("javascript:alert(1)",'
                                              f'"https://contoh.go.id/a")</f><v>https://contoh.go.id/a</v></c>')
    r = run_cli("impor", t, "--ke", master)
    assert r.returncode == 2
    assert f"GALAT: {t.name} Indikator!K{FIRST}: Nilai Bukti Dukung berisi rumus" in r.stderr, r.stderr


def test_hitung_refuses_a_link_typed_into_the_master_as_a_galat_at_its_cell(tmp_path):
    master = make_master(tmp_path)
    wb = openpyxl.load_workbook(master)
    ws = wb["Indikator"]
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"C{r}"].value == "2.15" and ws[f"A{r}"].value == 2022
               and ws[f"B{r}"].value == 4)
    ws[f"K{row}"] = "javascript:alert(1)"
    wb.save(master)
    kode, hasil, err = hitung_json(master)
    assert kode == 3, err
    galat = [m for m in hasil["masalah"] if m["lokasi"] == f"Indikator!K{row}"]
    assert galat and galat[0]["tingkat"] == "galat" and "skema 'javascript:'" in galat[0]["pesan"]
    assert "2.15" not in [h["kode"] for h in hasil["hasil"]]


def test_rapor_pdf_and_sheet_open_the_link(tmp_path):
    master = make_master(tmp_path)
    t = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"],
             ubah=_with_links({0: ACCEPTED[0], 1: UNC}))
    assert run_cli("impor", t, "--ke", master).returncode == 0
    r = run_cli("rapor", master, "--opd", "2.15", "--keluaran", tmp_path / "rapor", "--diam")
    assert r.returncode in (0, 3), r.stderr
    pdf = next((tmp_path / "rapor").glob("rapor_*_2.15.pdf")).read_bytes()
    uris = re.findall(rb"/URI \((.*?)\)", pdf)
    assert ACCEPTED[0].encode() in uris and b"file://bappeda-fs01/Data%20Bersama/Bukti%20TW%20IV/" in uris[1]
    book = next((tmp_path / "rapor").glob("*.xlsx"))
    sheet = next(s for s in openpyxl.load_workbook(book).sheetnames if "2.15" in s)
    assert sorted(_links(book, sheet).values()) == sorted([ACCEPTED[0], uris[1].decode()])


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_masters_evidence_links(tmp_path):
    """An independent reader and writer: LibreOffice opens the imported master and saves the links back as links."""
    master = make_master(tmp_path)
    t = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"], ubah=_with_links({0: ACCEPTED[1], 1: UNC}))
    assert run_cli("impor", t, "--ke", master).returncode == 0
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}",
                    "--convert-to", "xlsx", "--outdir", str(out), str(master)], check=True, capture_output=True,
                   timeout=180)
    saved = _links(next(out.iterdir()), "Indikator")
    # LibreOffice writes the non-ASCII letters of the path back unescaped (an IRI): the same address
    assert sorted(map(unquote, saved.values())) == sorted(map(unquote, _links(master, "Indikator").values()))
    assert len(saved) == 2


def test_the_longest_accepted_link_is_imported_and_printed_whole_in_the_rapor(tmp_path):
    panjang = "https://contoh.go.id/" + "a" * 1979  # 2000 characters: the limit itself is accepted
    master = make_master(tmp_path)
    t = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"], ubah=_with_links({0: panjang}))
    assert run_cli("impor", t, "--ke", master).returncode == 0
    assert list(_links(master, "Indikator").values()) == [panjang]
    assert run_cli("rapor", master, "--opd", "2.15", "--keluaran", tmp_path / "rapor", "--diam").returncode in (0, 3)
    pdf = (tmp_path / "rapor" / "rapor_2022_TW4_2.15.pdf")
    assert set(re.findall(rb"/URI \((.*?)\)", pdf.read_bytes())) == {panjang.encode()}  # one per printed line
    teks = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert teks.replace("\n", "").count("a" * 100) >= 19  # wrapped over lines, not cut
