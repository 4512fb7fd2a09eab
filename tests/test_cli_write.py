"""``indeks-opd hitung`` (writing the output sheets) and ``demo`` as a user runs them, on real files read back.

In-process through ``cli.main(argv)``; ``demo`` runs as the README says, in a fresh interpreter.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from conftest import hitung_json, libreoffice_pdf, run_cli, run_cli_process
from indeks_opd.contract.output_sheets import CATATAN_P3DN, FORMAT_HADIAH, TIDAK_ADA_MASALAH
from indeks_opd.files.safe_write import backups_of
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from macro_workbook import build_macro_workbook
from templat_util import parts

INPUT_SHEETS = ("Parameter", "OPD", "Realisasi", "Indikator", "Beranda")


@pytest.fixture
def macro_book(tmp_path) -> Path:
    contract = write_contract_workbook(tmp_path / "sumber.xlsx", sample_rows())
    return build_macro_workbook(contract, tmp_path / "IndeksKinerjaOPD.xlsm")


def _values(path, sheets=INPUT_SHEETS) -> dict:
    wb = openpyxl.load_workbook(path)
    return {s: [[c.value for c in row] for row in wb[s].iter_rows()] for s in sheets}


def _sheet_rows(path, sheet) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


def _fill(cell) -> str | None:
    return "#" + cell.fill.fgColor.rgb[2:] if cell.fill.fill_type == "solid" else None


def test_nothing_is_lost_from_a_macro_workbook(macro_book):
    before_parts, before_values = parts(macro_book), _values(macro_book)
    before_names = {n: d.attr_text for n, d in openpyxl.load_workbook(macro_book).defined_names.items()}
    r = run_cli("hitung", macro_book)
    assert r.returncode == 0, r.stderr
    after = parts(macro_book)
    # the parts hitung owns or must register new sheets in; every other part is byte-identical
    changed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
               "xl/worksheets/sheet5.xml"}  # sheet5 = Rekap (row fills)
    for must_survive in ("xl/vbaProject.bin", "customUI/customUI14.xml", "_rels/.rels",
                         "xl/drawings/vmlDrawing1.vml", "xl/drawings/drawing1.xml", "xl/tables/table1.xml",
                         "xl/sharedStrings.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/_rels/sheet6.xml.rels"):
        assert must_survive in before_parts and must_survive not in changed
    assert {n: b for n, b in after.items() if n in before_parts and n not in changed} == \
        {n: b for n, b in before_parts.items() if n not in changed}
    assert _values(macro_book) == before_values
    wb = openpyxl.load_workbook(macro_book)
    assert {n: d.attr_text for n, d in wb.defined_names.items()} == before_names
    assert wb.sheetnames == ["Parameter", "OPD", "Realisasi", "Indikator", "Rekap", "Beranda",
                             "Peringkat", "Riwayat", "Masalah", "Log"]
    assert wb["OPD"].data_validations.dataValidation[0].formula1 == '"Ya,Tidak"'
    assert len(wb["Realisasi"].conditional_formatting) == 1
    assert wb["Indikator"].tables["tblIndikator"].ref.startswith("A1:")
    # styles are appended only: every existing cell format keeps its index
    old_xfs = before_parts["xl/styles.xml"].split(b"<cellXfs")[1].split(b"</cellXfs>")[0].split(b">", 1)[1]
    assert old_xfs in after["xl/styles.xml"]
    vba = VBA_Parser(str(macro_book))
    assert vba.detect_vba_macros()
    vba.close()


def test_rekap_rows_get_the_category_colour_and_nothing_else_changes(macro_book):
    before = openpyxl.load_workbook(macro_book)["Rekap"]
    before_values = [[c.value for c in row] for row in before.iter_rows()]
    code, doc, err = hitung_json(macro_book)
    assert code == 0, err
    assert run_cli("hitung", macro_book, "--diam").returncode == 0
    rekap = openpyxl.load_workbook(macro_book)["Rekap"]
    assert [[c.value for c in row] for row in rekap.iter_rows()] == before_values
    assert rekap["B4"].value == "=OPD!A2"  # formulas stay formulas
    colour = {h["kode"]: h["warna"] for h in doc["hasil"]}
    rows = {rekap.cell(r, 3).value: r for r in range(4, 4 + 19)}
    for kode, warna in colour.items():
        nama = next(o[1] for o in sample_rows()["OPD"] if o[0] == kode)
        assert [_fill(rekap.cell(rows[nama], c)) for c in range(1, 6)] == [warna] * 4 + [None]
    arsip = rows["Kantor Arsip (digabung ke Diskominfo)"]  # inactive, not ranked: untouched
    assert _fill(rekap.cell(arsip, 1)) is None
    assert _fill(rekap["A3"]) == "#1F4E78"  # the header keeps its own fill
    assert _fill(rekap.cell(arsip + 2, 1)) is None


def test_peringkat_shows_what_the_core_computed(sample_workbook):
    code, doc, _ = hitung_json(sample_workbook)
    r = run_cli("hitung", sample_workbook)
    assert r.returncode == 0 and "Rp 5.000.000" in r.stdout and "Terendah" in r.stdout
    ws = openpyxl.load_workbook(sample_workbook)["Peringkat"]
    assert ws["A1"].value == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV" and ws["A1"].font.b
    assert ws["A1"].value in r.stdout  # the terminal table carries the sheet's title
    assert ws["A2"].value.startswith("Dihitung: ") and ws["A3"].value is None
    assert ws["A5"].value == "Peringkat" and ws["M5"].value == "Keterangan"
    for i, h in enumerate(doc["hasil"]):
        row = [c for c in ws[6 + i]]
        assert [c.value for c in row[:4]] == [h["peringkat"], h["kode"], h["nama"], row[3].value]
        assert row[8].value == pytest.approx(h["indeks"], abs=1e-12) and row[8].number_format == "0.00"
        assert row[7].value == (None if h["p3dn"] is None else pytest.approx(h["p3dn"]))
        assert row[11].value == h["hadiah"] and row[11].number_format == FORMAT_HADIAH
        assert row[12].value == ("Terendah" if h["terendah"] else None)
        assert {_fill(c) for c in row} == {h["warna"]}
    assert ws.cell(6 + len(doc["hasil"]), 1).value is None
    masalah = _sheet_rows(sample_workbook, "Masalah")
    assert masalah == [("Tingkat", "Lokasi", "Kode OPD", "Pesan", "Tahun", "Triwulan"),
                       (TIDAK_ADA_MASALAH, None, None, None, None, None)]


def test_peringkat_reads_and_prints_as_an_officer_needs(sample_workbook):
    """Issue 13 item 9, read back with openpyxl: what Excel shows and prints."""
    assert run_cli("hitung", sample_workbook, "--diam").returncode == 0
    wb = openpyxl.load_workbook(sample_workbook)
    ws = wb["Peringkat"]
    # headers wrap in a row tall enough for "Capaian / Kinerja / Program" instead of being cut
    assert all(c.alignment.wrap_text for c in ws[5]) and ws.row_dimensions[5].height == 45
    assert not ws["A6"].alignment.wrap_text
    # the rank, the code, the category and the zone are centred, so "1" and "2.15" never read "12.15"
    assert [ws.cell(6, c).alignment.horizontal for c in range(1, 14)] == \
        ["center", "center", None, None, None, None, None, None, None, "center", "center", None, None]
    assert ws["A5"].alignment.horizontal == "center" and ws["C5"].alignment.horizontal is None
    # the header stays on screen; A4 landscape, one page wide, header row on every page, period on top
    assert ws.freeze_panes == "A6" and ws.print_title_rows == "$5:$5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.oddHeader.center.text == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
    assert ws.oddFooter.center.text == "Halaman &P dari &N"
    # no prize: the number 0, shown "–" as in the console and the PDF
    no_prize = next(ws.cell(r, 12) for r in range(6, 24) if ws.cell(r, 12).value == 0)
    assert no_prize.number_format == FORMAT_HADIAH and FORMAT_HADIAH.split(";")[2] == '"–"_)'
    assert ws["A4"].value == CATATAN_P3DN  # the sample has OPDs without a P3DN target
    for name in ("Riwayat", "Masalah", "Log"):
        assert wb[name].freeze_panes == "A2" and wb[name]["A1"].alignment.wrap_text, name
        assert wb[name].print_title_rows is None, name  # printed as they are: only Peringkat is a report


@pytest.mark.libreoffice
def test_libreoffice_prints_peringkat_on_a4_landscape(sample_workbook, tmp_path):
    assert run_cli("hitung", sample_workbook, "--diam").returncode == 0
    pdf, pages = libreoffice_pdf(sample_workbook, tmp_path)
    [page] = [i + 1 for i, t in enumerate(pages) if "Dinas Perhubungan" in t and "Zona" in t]
    info = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    width, height = (float(x) for x in info.split(f"Page {page:>4} size:")[1].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    lines = [line.strip() for line in pages[page - 1].splitlines() if line.strip()]
    assert lines[0] == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"  # the page header
    assert lines[-1] == f"Halaman {page} dari {len(pages)}"
    assert all(word in pages[page - 1] for word in ("Capaian", "Kinerja", "Program"))  # wrapped, not cut
    first = next(line for line in lines if "Dinas Perhubungan" in line).split()
    assert first[:3] == ["1", "2.15", "Dinas"]
    no_prize = next(line for line in lines if "Dinas Sosial" in line)
    assert no_prize.split()[-1] == "–" and "Rp0" not in pages[page - 1]


def test_twice_and_two_periods_keep_one_set_of_rows_per_period(sample_workbook):
    for args in ((), (), ("--triwulan", "3"), ("--tahun", "2022", "--triwulan", "4")):
        r = run_cli("hitung", sample_workbook, "--diam", *args)
        assert r.returncode == 0, r.stderr
    riwayat = _sheet_rows(sample_workbook, "Riwayat")
    assert riwayat[0][:3] == ("Tahun", "Triwulan", "Kode OPD")
    periods = [(t, w) for t, w, *_ in riwayat[1:]]
    assert periods == [(2022, 3)] * 18 + [(2022, 4)] * 18
    assert len({(t, w, k) for t, w, k, *_ in riwayat[1:]}) == 36
    log = _sheet_rows(sample_workbook, "Log")
    assert len(log) == 1 + 4 and [row[2] for row in log[1:]] == [4, 4, 3, 4]
    assert log[1][7] == log[2][7] == log[4][7] != log[3][7]  # the data fingerprint per period
    assert len(backups_of(sample_workbook)) == 4


def test_lock_file_means_refusal_and_an_untouched_file(macro_book):
    before = macro_book.read_bytes()
    lock = macro_book.parent / f"~${macro_book.name}"
    lock.write_bytes(b"\x00pengguna")
    r = run_cli("hitung", macro_book)
    assert r.returncode == 2
    assert "sedang dibuka di Excel" in r.stderr and "Traceback" not in r.stderr
    assert macro_book.read_bytes() == before and backups_of(macro_book) == []
    lock.unlink()
    assert run_cli("hitung", macro_book, "--diam").returncode == 0


def test_a_failure_while_writing_leaves_the_original_intact(sample_workbook, monkeypatch, capsys):
    from indeks_opd.cli import main
    before = sample_workbook.read_bytes()
    real = zipfile.ZipFile.writestr
    written = []

    def disk_full_after_three_parts(self, name, data, *a, **k):
        written.append(name)
        if len(written) > 3:
            raise OSError(28, "No space left on device")
        return real(self, name, data, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", disk_full_after_three_parts)
    assert main(["hitung", str(sample_workbook), "--diam"]) == 2
    assert "Berkas asli tidak diubah" in capsys.readouterr().err and len(written) == 4
    assert sample_workbook.read_bytes() == before
    assert sorted(p.name for p in sample_workbook.parent.iterdir()) == [sample_workbook.name]


def test_exit_codes_and_messages(write_workbook, tmp_path):
    rows = sample_rows()
    missing = write_workbook({"OPD": rows["OPD"], "Realisasi": rows["Realisasi"]}, nama="tanpa.xlsx")
    before = missing.read_bytes()
    r = run_cli("hitung", missing)
    assert r.returncode == 2 and "Sheet 'Indikator' tidak ditemukan" in r.stderr and "Traceback" not in r.stderr
    assert missing.read_bytes() == before and backups_of(missing) == []

    bukan = tmp_path / "bukan.xlsx"
    bukan.write_text("ini bukan buku kerja")
    r = run_cli("hitung", bukan)
    assert r.returncode == 2 and "bukan buku kerja Excel" in r.stderr and "Traceback" not in r.stderr
    assert bukan.read_text() == "ini bukan buku kerja"

    r = run_cli("hitung", tmp_path / "tidak-ada.xlsx")
    assert r.returncode == 2 and "tidak ditemukan" in r.stderr

    broken = copy.deepcopy(rows)
    i = next(i for i, x in enumerate(broken["Realisasi"]) if x[1] == 4 and x[2] == "1.02")
    broken["Realisasi"][i][5] = "banyak"
    provisional = write_workbook(broken, nama="sementara.xlsx")
    r = run_cli("hitung", provisional)
    assert r.returncode == 3 and "SEMENTARA" in r.stderr and "ditahan" in r.stderr
    ws = openpyxl.load_workbook(provisional)["Peringkat"]
    assert ws["A3"].value.startswith("SEMENTARA — ada 1 galat data; hadiah ditahan")
    assert {ws.cell(r, 12).value for r in range(6, 23)} == {0}
    assert ws.cell(23, 2).value == "1.02" and ws.cell(23, 13).value == "Tidak dinilai: lihat Masalah"
    masalah = _sheet_rows(provisional, "Masalah")
    assert masalah[1][0] == "Galat" and masalah[1][1].startswith("Realisasi!F") and masalah[1][2] == "1.02"

    r = run_cli("hitung", provisional, "--izinkan-hadiah-sementara", "--diam")
    assert r.returncode == 3 and "tetap dibagi" in r.stderr
    ws = openpyxl.load_workbook(provisional)["Peringkat"]
    assert ws["L6"].value == 5_000_000 and "diizinkan" in ws["A3"].value
    assert "Ya" in _sheet_rows(provisional, "Log")[-1][8]  # IzinkanHadiahSementara in the snapshot


def test_json_alone_does_not_write_and_keluaran_leaves_the_input_alone(sample_workbook, tmp_path):
    before = sample_workbook.read_bytes()
    sample_workbook.chmod(0o444)  # a read-only input is fine for a report
    code, doc, err = hitung_json(sample_workbook)
    assert code == 0 and doc["hasil"][0]["kode"] == "2.15"
    assert sample_workbook.read_bytes() == before and backups_of(sample_workbook) == []
    r = run_cli("hitung", sample_workbook)
    assert r.returncode == 2 and "hanya-baca" in r.stderr and sample_workbook.read_bytes() == before

    out = tmp_path / "hasil" / "salinan.xlsx"
    out.parent.mkdir()
    code, doc2, err = hitung_json(sample_workbook, "--keluaran", out)
    assert code == 0 and doc2 == doc
    assert sample_workbook.read_bytes() == before
    assert _sheet_rows(out, "Peringkat")[5][1] == "2.15"
    r = run_cli("hitung", sample_workbook, "--keluaran", tmp_path / "salah.xlsm")
    assert r.returncode == 2 and "harus berakhiran .xlsx" in r.stderr


def test_keluaran_folders_that_do_not_exist_yet_are_made(sample_workbook, tmp_path):
    """The complaint: `hitung --keluaran out/` with a new folder said 'harus berakhiran .xlsm'."""
    before = sample_workbook.read_bytes()
    r = run_cli("hitung", sample_workbook, "--keluaran", str(tmp_path / "out") + "/", "--diam")
    assert r.returncode == 0, r.stderr
    assert _sheet_rows(tmp_path / "out" / sample_workbook.name, "Peringkat")[5][1] == "2.15"
    r = run_cli("hitung", sample_workbook, "--keluaran", tmp_path / "tidak" / "ada" / "x.xlsx", "--diam")
    assert r.returncode == 0, r.stderr
    assert _sheet_rows(tmp_path / "tidak" / "ada" / "x.xlsx", "Peringkat")[5][1] == "2.15"
    assert sample_workbook.read_bytes() == before and backups_of(sample_workbook) == []
    (tmp_path / "berkas").write_text("bukan folder")
    r = run_cli("hitung", sample_workbook, "--keluaran", tmp_path / "berkas" / "x.xlsx")
    assert r.returncode == 2 and "'" + str(tmp_path / "berkas") + "' adalah berkas, bukan folder" in r.stderr


def test_formula_looking_text_is_written_as_text(write_workbook):
    rows = copy.deepcopy(sample_rows())
    rows["OPD"][1][1] = '=HYPERLINK("http://contoh.invalid","klik")'
    rows["OPD"][2][2] = "@Dukcapil"
    book = write_workbook(rows)
    assert run_cli("hitung", book, "--diam").returncode == 0
    ws = openpyxl.load_workbook(book)["Peringkat"]
    assert ws["C6"].value == '=HYPERLINK("http://contoh.invalid","klik")' and ws["C6"].data_type == "s"
    assert ws["D7"].value == "@Dukcapil"
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


def test_demo_on_a_fresh_folder(tmp_path):
    r = run_cli_process("demo", cwd=tmp_path)  # the README's first command, in a fresh interpreter
    assert r.returncode == 0, r.stderr
    result = tmp_path / "hasil-demo" / "contoh-indeks-opd.xlsx"
    assert str(result) in r.stdout.replace("\n", "")
    for text in ("Dinas Perhubungan", "Rp 5.000.000", "Rp 3.000.000", "Rp 1.000.000", "Terendah", "98,21"):
        assert text in r.stdout
    assert _sheet_rows(result, "Peringkat")[5][:3] == (1, "2.15", "Dinas Perhubungan")
    quiet = run_cli("demo", "--keluaran", tmp_path / "lain", "--diam")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert (tmp_path / "lain" / "contoh-indeks-opd.xlsx").exists()


def test_demo_leaves_no_backups_of_its_own_copy(tmp_path):
    """The complaint: the first demo run left a backup, every rerun two more."""
    for _ in range(2):
        r = run_cli("demo", "--diam", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "hasil-demo").iterdir()) == ["contoh-indeks-opd.xlsx"]


@pytest.mark.parametrize("args", [(), ("hitung",), ("demo",)])
def test_help_is_indonesian(args):
    r = run_cli(*args, "--help")
    assert r.returncode == 0 and "Pemakaian:" in r.stdout and "opsi" in r.stdout
    assert "usage" not in r.stdout and "show this help" not in r.stdout


@pytest.mark.libreoffice
def test_libreoffice_opens_the_written_workbook(macro_book, tmp_path):
    assert run_cli("hitung", macro_book, "--diam").returncode == 0
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice headless (soffice) is needed: apt-get install libreoffice-calc-nogui"
    out = tmp_path / "lo"
    # sheet 7 = Peringkat, exported as UTF-8 CSV
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profil",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,7",
                    "--outdir", str(out), str(macro_book)], check=True, capture_output=True, timeout=180)
    [csv] = list(out.glob("*.csv"))
    text = csv.read_text(encoding="utf-8")
    assert text.startswith("Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV")
    assert "1,2.15,Dinas Perhubungan,Dishub,100,100," in text


def test_existing_output_sheets_are_rewritten_whole_keeping_their_setup(sample_workbook):
    from openpyxl.worksheet.table import Table
    wb = openpyxl.load_workbook(sample_workbook)
    p = wb.create_sheet("PERINGKAT")  # Excel names are case-insensitive: this is Peringkat
    for r in range(1, 40):
        p.cell(r, 1, f"lama {r}")
    p.merge_cells("A1:M1")
    p.freeze_panes = "A6"
    riwayat = wb.create_sheet("Riwayat")
    riwayat.append(["Tahun", "Triwulan", "Kode OPD", "Nama OPD", "Serapan Anggaran", "Realisasi Fisik",
                    "Capaian Kinerja Program", "P3DN", "Indeks", "Peringkat", "Kategori", "Zona", "Hadiah",
                    "Terendah", "Sementara", "Dihitung Pada"])
    riwayat.append([2021, 4, "9.99", "Kantor Arsip", 90, 90, 90, None, 90, 1, "Tinggi", "Hijau", 0, "Tidak",
                    "Tidak", "2022-01-10T09:00:00"])
    riwayat.add_table(Table(displayName="tblRiwayat", ref="A1:P2"))
    log = wb.create_sheet("Log")
    log.append(["Waktu", "Tahun", "Triwulan"])
    log.append(["2022-01-10T09:00:00", 2021, 4])
    wb.save(sample_workbook)
    assert run_cli("hitung", sample_workbook, "--diam").returncode == 0
    wb = openpyxl.load_workbook(sample_workbook)
    assert wb.sheetnames.count("PERINGKAT") == 1 and "Peringkat" not in wb.sheetnames
    p = wb["PERINGKAT"]
    assert p.max_row == 5 + 18 and p["A1"].value.startswith("Peringkat Indeks") and not p.merged_cells.ranges
    assert p.freeze_panes == "A6"
    rows = list(wb["Riwayat"].iter_rows(values_only=True))
    assert rows[1][:4] == (2021, 4, "9.99", "Kantor Arsip") and len(rows) == 2 + 18
    assert wb["Riwayat"].tables["tblRiwayat"].ref == "A1:P20"
    log = list(wb["Log"].iter_rows(values_only=True))
    # the older rows are kept; their ISO text time (written before issue 13) is now the same moment as a date-time
    assert log[1][:3] == (datetime(2022, 1, 10, 9, 0), 2021, 4) and log[2][1:3] == (2022, 4) and len(log) == 3


def test_demo_of_the_kelompok_sample_writes_one_block_per_group(tmp_path):
    r = run_cli("demo", "--contoh", "kelompok", "--keluaran", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Kelompok Dinas/Badan" in r.stdout and "Kelompok Kecamatan" in r.stdout
    rows = _sheet_rows(tmp_path / "contoh-kelompok-indeks-opd.xlsx", "Peringkat")
    header = rows[4]
    assert header[:3] == ("Peringkat", "Peringkat Umum", "Kode OPD")
    assert header[8:11] == ("P3DN", "Ketepatan Waktu", "Nilai SAKIP")
    assert rows[5][0] == "Kelompok Dinas/Badan" and rows[6][0] == 1
    title = next(i for i, row in enumerate(rows) if row[0] == "Kelompok Kecamatan")
    assert rows[title + 1][0] == 1 and rows[title + 1][1] > 1  # first of its group, not first overall
    riwayat = _sheet_rows(tmp_path / "contoh-kelompok-indeks-opd.xlsx", "Riwayat")
    assert riwayat[0][-4:] == ("Kelompok", "Peringkat Umum", "Ketepatan Waktu", "Nilai SAKIP")


ENGLISH = ("openpyxl", "xlrd", "zip file", "No such file", "Errno", "Cfb", "Traceback", "support", "please")


@pytest.mark.parametrize("name, content, advice", [
    ("data.csv", b"Kode OPD;Nama OPD\n2.15;Dinas Perhubungan\n",
     "berisi teks (misalnya CSV), bukan buku kerja Excel. Buka berkas itu di Excel, pilih File > Simpan Sebagai"),
    ("induk.xls", None, "sebenarnya buku kerja Excel .xlsx, tetapi namanya berakhiran '.xls'. Ganti akhiran namanya "
                        "menjadi .xlsx"),
    ("induk.xlsx", b"PK\x03\x04 terpotong", "bukan buku kerja Excel yang utuh"),
    ("laporan.xlsx", b"%PDF-1.4\n", "adalah dokumen PDF, bukan buku kerja Excel"),
    ("tidak-ada.xlsx", "missing", "tidak ditemukan"),
])
def test_library_messages_never_reach_the_user(tmp_path, name, content, advice):
    """The complaint: 'openpyxl does not support .csv', 'please use xlrd', 'File is not a zip file'."""
    path = tmp_path / name
    if content is None:  # an .xlsx renamed .xls
        path.write_bytes(write_contract_workbook(tmp_path / "asli.xlsx", sample_rows()).read_bytes())
    elif content != "missing":
        path.write_bytes(content)
    master = write_contract_workbook(tmp_path / "master.xlsx", sample_rows())
    runs = [("hitung", path), ("rapor", path, "--keluaran", tmp_path / "r"), ("templat", path, "--keluaran",
            tmp_path / "t"), ("impor", path, "--ke", master)]
    for args in runs:
        r = run_cli(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        said = " ".join((r.stdout + r.stderr).split())
        assert advice in said, (args, said)
        assert not any(w in said for w in ENGLISH), (args, said)


def test_mistyped_year_leaves_the_master_byte_identical(tmp_path):
    """The complaint: `hitung induk.xlsm --tahun 2023` (no 2023 data) wrote an empty SEMENTARA Peringkat."""
    master = tmp_path / "induk.xlsm"
    master.write_bytes((Path(__file__).resolve().parents[1] / "xlsm" / "IndeksKinerjaOPD.xlsm").read_bytes())
    before = master.read_bytes()
    for args in (("--tahun", "2023"), ("--tahun", "2023", "--json")):
        r = run_cli("hitung", master, *args)
        assert r.returncode == 2, r.stderr
        assert "Tidak ada data TW IV 2023 di sheet Realisasi maupun Indikator" in r.stderr
        assert "Periode yang ada datanya: TW I 2022, TW II 2022, TW III 2022, TW IV 2022." in r.stderr
        assert "Traceback" not in r.stderr and r.stdout == ""
    assert master.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["induk.xlsm"]
    r = run_cli("rapor", master, "--tahun", "2023", "--keluaran", tmp_path / "rapor")
    assert r.returncode == 2 and "Periode yang ada datanya: TW I 2022" in r.stderr
    assert not (tmp_path / "rapor").exists()

