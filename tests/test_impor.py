"""Importing templates into the master: round trip, replace-not-duplicate, all or nothing, nothing lost."""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from conftest import hitung_json, run_cli
from indeks_opd.files.reader import read_workbook
from templat_util import FIRST, VBA_BYTES, fill, make_master, make_rich_master, make_templates, parts, set_cell_xml, sheet_part

R = FIRST


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rows_of(path: Path, sheet: str, kode: str, tahun=2022, triwulan=4) -> list[dict]:
    data = read_workbook(path)
    df = getattr(data, sheet.lower())
    df = df[(df["kode"] == kode) & (df["tahun"] == tahun) & (df["triwulan"] == triwulan)]
    return df.drop(columns="baris").to_dict("records")


def expected_kategori(indeks: float) -> str:
    for batas, nama in ((91, "Sangat Tinggi"), (76, "Tinggi"), (66, "Sedang"), (51, "Rendah")):
        if indeks >= batas:
            return nama
    return "Sangat Rendah"


def test_round_trip_generate_fill_import_hitung(tmp_path):
    master = make_master(tmp_path)
    r = run_cli("templat", master, "--tahun", "2023", "--triwulan", "1", "--keluaran", tmp_path / "kirim")
    assert r.returncode == 0, r.stderr
    mutu = {}
    for i, p in enumerate(sorted((tmp_path / "kirim").iterdir())):
        kode = p.name.split("_")[3]
        q = 0.55 + 0.025 * i  # every component of this OPD achieves q: its index is 100 q
        mutu[kode] = q
        fill(p, {"target_keuangan": 1_000_000_000, "realisasi_keuangan": 1_000_000_000 * q, "target_fisik": 25,
                 "realisasi_fisik": 25 * q, "target_p3dn": 400_000_000, "realisasi_p3dn": 400_000_000 * q}, faktor=q)
    r = run_cli("impor", tmp_path / "kirim", "--ke", master, "--tahun", "2023", "--triwulan", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "18 berkas diimpor untuk TW I 2023" in r.stdout

    kode, hasil, err = hitung_json(master, "--tahun", "2023", "--triwulan", "1")
    assert kode == 0, err
    urut = sorted(mutu, key=mutu.get, reverse=True)
    assert [h["kode"] for h in hasil["hasil"]] == urut
    assert [h["peringkat"] for h in hasil["hasil"]] == list(range(1, 19))
    for h in hasil["hasil"]:
        assert h["indeks"] == pytest.approx(100 * mutu[h["kode"]], abs=1e-6)
        assert h["kategori"] == expected_kategori(round(100 * mutu[h["kode"]], 2))
    assert [h["hadiah"] for h in hasil["hasil"][:4]] == [5_000_000, 3_000_000, 1_000_000, 0]
    # the earlier periods are untouched
    kode, tw4, _ = hitung_json(master, "--tahun", "2022", "--triwulan", "4")
    assert kode == 0 and tw4["hasil"][0]["nama"] == "Dinas Perhubungan"


def test_corrected_reimport_replaces_never_duplicates(tmp_path):
    master = make_master(tmp_path)
    sebelum = read_workbook(master)
    p = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"], {"realisasi_keuangan": 800_000_000})
    assert run_cli("impor", p, "--ke", master).returncode == 0
    assert [r["realisasi_keuangan"] for r in rows_of(master, "Realisasi", "2.15")] == [800_000_000]

    def satu_indikator_saja(wb):  # the corrected file drops its last two indicators
        for r in (R + 1, R + 2):
            for col in "DEFGHIJ":
                wb["Indikator"][f"{col}{r}"] = None
    fill(p, {"realisasi_keuangan": 850_000_000}, ubah=satu_indikator_saja)
    r = run_cli("impor", p, "--ke", master)
    assert r.returncode == 0, r.stderr
    assert [r["realisasi_keuangan"] for r in rows_of(master, "Realisasi", "2.15")] == [850_000_000]
    ind = rows_of(master, "Indikator", "2.15")
    assert [i["indikator"] for i in ind] == ["Angka kecelakaan lalu lintas"]
    sesudah = read_workbook(master)
    assert len(sesudah.realisasi) == len(sebelum.realisasi)
    assert len(sesudah.indikator) == len(sebelum.indikator) - 2
    lain = sebelum.realisasi[sebelum.realisasi["kode"] != "2.15"].drop(columns="baris").reset_index(drop=True)
    assert sesudah.realisasi[sesudah.realisasi["kode"] != "2.15"].drop(columns="baris").reset_index(
        drop=True).equals(lain)


def test_refused_import_changes_no_byte_of_the_master(tmp_path):
    master = make_rich_master(tmp_path)
    t = make_templates(master, tmp_path / "t", kode=["2.15", "5.01"])
    fill(t["2.15"])
    fill(t["5.01"], {"realisasi_keuangan": "sembilan ratus juta"})
    sebelum = digest(master)
    r = run_cli("impor", tmp_path / "t", "--ke", master)
    assert r.returncode == 2
    assert "IMPOR DIBATALKAN: 1 dari 2 berkas bermasalah; buku kerja induk tidak diubah" in r.stderr
    assert f"Templat_2022_TW4_5.01_Bappeda.xlsx Realisasi!F{R}: Nilai Realisasi Keuangan" in r.stderr
    assert digest(master) == sebelum
    assert not list(tmp_path.glob("*cadangan*"))
    (laporan,) = tmp_path.glob("induk - laporan impor *.txt")
    teks = laporan.read_text(encoding="utf-8")
    assert "Templat_2022_TW4_5.01_Bappeda.xlsx — OPD 5.01 — BERMASALAH (tidak diimpor)" in teks
    assert f"GALAT (sheet Realisasi, sel F{R}): Nilai Realisasi Keuangan 'sembilan ratus juta' tidak terbaca" in teks


def test_two_imports_in_the_same_second_keep_both_reports(tmp_path):
    from datetime import datetime

    from indeks_opd.impor.run import finish_import, plan_import

    master = make_master(tmp_path)
    t = make_templates(master, tmp_path / "t", kode=["2.15"])
    fill(t["2.15"], {"realisasi_keuangan": "sembilan ratus juta"})
    waktu = datetime(2024, 1, 15, 10, 30, 5)
    pertama = finish_import(plan_import(read_workbook(master), [t["2.15"]], master, 2022, 4), master, waktu)
    fill(t["2.15"], {"realisasi_keuangan": "delapan ratus juta"})
    kedua = finish_import(plan_import(read_workbook(master), [t["2.15"]], master, 2022, 4), master, waktu)
    assert (pertama.report_path.name, kedua.report_path.name) == (
        "induk - laporan impor 20240115-103005.txt", "induk - laporan impor 20240115-103005 (2).txt")
    assert "'sembilan ratus juta'" in pertama.report_path.read_text(encoding="utf-8")
    assert "'delapan ratus juta'" in kedua.report_path.read_text(encoding="utf-8")


def test_skip_bad_files_imports_the_good_and_reports_the_rest(tmp_path):
    master = make_master(tmp_path)
    t = make_templates(master, tmp_path / "t", kode=["2.15", "5.01"])
    fill(t["2.15"], {"realisasi_keuangan": 777_000_000})
    fill(t["5.01"], {"realisasi_fisik": "150%"})
    r = run_cli("impor", t["2.15"], t["5.01"], "--ke", master, "--lewati-bermasalah")
    assert r.returncode == 3, r.stderr
    assert "1 berkas diimpor untuk TW IV 2022 (OPD 2.15). 1 berkas bermasalah dilewati" in r.stderr
    assert [x["realisasi_keuangan"] for x in rows_of(master, "Realisasi", "2.15")] == [777_000_000]
    assert [x["realisasi_fisik"] for x in rows_of(master, "Realisasi", "5.01")] != [150]
    ws = openpyxl.load_workbook(master)["Masalah"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Tingkat", "Lokasi", "Kode OPD", "Pesan", "Tahun", "Triwulan"]
    assert rows[1][:3] == ["Galat", f"[Templat_2022_TW4_5.01_Bappeda.xlsx]Realisasi!H{R}", "5.01"]
    assert "melebihi 100%" in rows[1][3] and rows[1][4:] == [2022, 4]
    assert len(list(tmp_path.glob("induk.cadangan-*.xlsx"))) == 1  # the previous master is kept


def test_import_keeps_vba_tables_validations_and_other_sheets(tmp_path):
    master = make_rich_master(tmp_path)
    sebelum = parts(master)
    t = make_templates(master, tmp_path / "t", tahun=2023, triwulan=1, kode=["2.15", "4.02"])
    fill(t["2.15"], ubah=lambda wb: (wb["Indikator"].__setitem__(f"E{R}", "=SUM(A1:A3)"),
                                     setattr(wb["Indikator"][f"E{R}"], "data_type", "s"),
                                     wb["Indikator"].__setitem__(f"D{R}", "-Program baru")))
    fill(t["4.02"])
    r = run_cli("impor", tmp_path / "t", "--ke", master, "--tahun", "2023", "--triwulan", "1")
    assert r.returncode == 0, r.stderr
    assert "tampak seperti rumus; disimpan sebagai teks" in r.stdout
    sesudah = parts(master)
    berubah = {n for n in sebelum if sebelum[n] != sesudah.get(n)}
    baru = set(sesudah) - set(sebelum)
    assert baru == {sheet_part(master, "Status"), sheet_part(master, "Log")}  # the workflow's sheets (docs/alur.md)
    dimiliki = {sheet_part(master, "Realisasi"), sheet_part(master, "Indikator"), sheet_part(master, "Masalah"),
                "xl/tables/table1.xml", "xl/styles.xml",  # styles: cell formats appended for the new rows
                "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "docProps/app.xml"}
    assert dimiliki - {"xl/styles.xml", "docProps/app.xml"} <= berubah
    for n in berubah - dimiliki:  # parts the editor parsed and wrote back: same XML, other bytes at most
        assert etree.tostring(etree.fromstring(sebelum[n]), method="c14n") == etree.tostring(
            etree.fromstring(sesudah[n]), method="c14n"), n
    assert sesudah["xl/vbaProject.bin"] == VBA_BYTES
    wb = openpyxl.load_workbook(master, keep_vba=True)
    ind = wb["Indikator"]
    assert ind.tables["tblIndikator"].ref == f"A1:J{ind.max_row}"  # the table grew over the new rows
    assert str(wb["Realisasi"].data_validations.dataValidation[0].sqref) == "B2:B1000"
    assert wb["Catatan"]["A1"].value == "Catatan rapat: jangan dihapus"
    assert set(wb.defined_names) >= {"TahunAktif", "TriwulanAktif"}
    sel = next(c for c in ind["E"] if c.value == "=SUM(A1:A3)")
    assert sel.data_type == "s"  # stored as text, never a formula
    assert "<f>" not in sesudah[sheet_part(master, "Indikator")].decode()
    assert next(c for c in ind["D"] if c.value == "-Program baru").data_type == "s"
    assert len(rows_of(master, "Realisasi", "4.02", 2023, 1)) == 1
    assert openpyxl.load_workbook(master)["Masalah"]["A2"].value == "Peringatan"  # the old "isi lama" rows replaced


def test_messy_values_people_send_are_read_right(tmp_path):
    master = make_master(tmp_path)
    p = make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"]

    def berantakan(p3dn):
        def ubah(wb):
            ws = wb["Realisasi"]
            ws[f"D{R}"] = "2.000.000.000"
            ws[f"E{R}"] = "Rp 1.000.000.000,00"
            ws[f"G{R}"] = "80,5"
            ws[f"H{R}"] = 0.725
            ws[f"H{R}"].number_format = "0.0%"  # 72,5% in a percent-formatted cell
            ws[f"I{R}"] = p3dn
            ind = wb["Indikator"]
            if ind[f"D{R + 3}"].value is None:
                ind.move_range(f"A{R + 1}:J{R + 2}", rows=2)  # two blank rows in the middle
                ind.merge_cells(f"D{R + 3}:D{R + 4}")  # one program merged over its two indicators
        return ubah
    fill(p, ubah=berantakan("40%"))
    p = set_cell_xml(p, "Realisasi", f"F{R}", f'<c r="F{R}"><f>E{R}*0.9</f><v>900000000</v></c>')
    r = run_cli("impor", p, "--ke", master)
    assert r.returncode == 2 and f"Realisasi!I{R}: Nilai Target P3DN berisi persen ('40%')" in r.stderr

    fill(p, ubah=berantakan("400.000.000"))
    p = set_cell_xml(p, "Realisasi", f"F{R}", f'<c r="F{R}"><f>E{R}*0.9</f><v>900000000</v></c>')
    r = run_cli("impor", p, "--ke", master)
    assert r.returncode == 0, r.stderr
    assert f"Sel D{R + 3}:D{R + 4} digabung" in r.stdout
    (real,) = rows_of(master, "Realisasi", "2.15")
    assert (real["pagu"], real["target_keuangan"], real["realisasi_keuangan"]) == (2e9, 1e9, 9e8)
    assert (real["target_fisik"], real["realisasi_fisik"], real["target_p3dn"]) == (80.5, 72.5, 4e8)
    ind = rows_of(master, "Indikator", "2.15")
    assert [i["program"] for i in ind] == ["Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan"] * 3


def test_workbook_with_macros_is_read_as_data(tmp_path):
    master = make_master(tmp_path)
    p = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"])
    with zipfile.ZipFile(p, "a") as z:
        z.writestr("xl/vbaProject.bin", VBA_BYTES)
    makro = p.rename(p.with_suffix(".xlsm"))
    r = run_cli("impor", makro, "--ke", master)
    assert r.returncode == 0, r.stderr
    assert "berisi makro (VBA). Makro tidak dijalankan" in r.stdout
    assert len(rows_of(master, "Realisasi", "2.15")) == 1


def test_master_open_in_excel_is_refused_untouched(tmp_path):
    master = make_master(tmp_path)
    p = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"])
    (tmp_path / "~$induk.xlsx").write_bytes(b"owner")
    sebelum = digest(master)
    r = run_cli("impor", p, "--ke", master)
    assert r.returncode == 2 and "sedang dibuka di Excel" in r.stderr and "Traceback" not in r.stderr
    assert digest(master) == sebelum


def test_master_reader_never_expands_entities():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML  # openpyxl parses the master with defusedxml


@pytest.mark.libreoffice
def test_libreoffice_opens_the_imported_master(tmp_path):
    master = make_rich_master(tmp_path)
    p = fill(make_templates(master, tmp_path / "t", tahun=2023, triwulan=1, kode=["2.15"])["2.15"],
             {"realisasi_keuangan": 123_456_789})
    assert run_cli("impor", p, "--ke", master, "--tahun", "2023", "--triwulan", "1").returncode == 0
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profil", "--convert-to",
                    "xlsx", "--outdir", str(out), str(master)], check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(next(out.iterdir()))["Realisasi"]
    baris = [[c.value for c in r] for r in ws.iter_rows() if r[2].value == "2.15" and r[0].value == 2023]
    assert len(baris) == 1 and baris[0][5] == 123_456_789


def test_report_names_every_problem_with_file_sheet_and_cell(tmp_path):
    master = make_master(tmp_path)
    p = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"], {"target_fisik": None})
    (tmp_path / "t" / "catatan.pdf").write_bytes(b"%PDF-1.4")
    r = run_cli("impor", tmp_path / "t", "--ke", master)
    assert r.returncode == 2
    assert re.search(rf"GALAT: {re.escape(p.name)} Realisasi!G{R}: Target Fisik kosong\. Isi angkanya", r.stderr)
    assert "catatan.pdf: Bukan berkas Excel (.xlsx); diabaikan." in r.stderr


def test_import_into_a_real_macro_master_keeps_vba_button_ribbon_and_shapes(tmp_path):
    from oletools.olevba import VBA_Parser

    from macro_workbook import build_macro_workbook

    master = build_macro_workbook(make_master(tmp_path / "polos"), tmp_path / "IndeksKinerjaOPD.xlsm")
    sebelum = parts(master)
    t = make_templates(master, tmp_path / "t", tahun=2023, triwulan=1, kode=["2.15", "5.01"])
    fill(t["2.15"])
    fill(t["5.01"], {"realisasi_fisik": "sembilan puluh"})
    assert run_cli("impor", tmp_path / "t", "--ke", master, "--tahun", "2023", "--triwulan", "1").returncode == 2
    assert parts(master) == sebelum  # refused: not one byte changed

    fill(t["5.01"])
    r = run_cli("impor", tmp_path / "t", "--ke", master, "--tahun", "2023", "--triwulan", "1")
    assert r.returncode == 0, r.stderr
    sesudah = parts(master)
    dimiliki = {sheet_part(master, n) for n in ("Realisasi", "Indikator", "Masalah")} | {
        "xl/styles.xml", "xl/tables/table1.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml", sheet_part(master, "Indikator").replace("worksheets/", "worksheets/_rels/") + ".rels"}
    for n in set(sebelum) - dimiliki:
        assert sesudah[n] == sebelum[n], n  # VBA, button VML, shapes, ribbon, shared strings, other sheets
    assert {"xl/vbaProject.bin", "customUI/customUI14.xml"} <= set(sesudah)
    vba = VBA_Parser(str(master))
    assert vba.detect_vba_macros() and any(code for *_, code in vba.extract_macros())
    wb = openpyxl.load_workbook(master, keep_vba=True)
    ind = wb["Indikator"]
    assert ind.tables["tblIndikator"].ref.endswith(str(ind.max_row))
    assert len(rows_of(master, "Realisasi", "5.01", 2023, 1)) == 1
    kode, hasil, err = hitung_json(master, "--tahun", "2023", "--triwulan", "1")
    assert hasil is not None and {h["kode"] for h in hasil["hasil"]} == {"2.15", "5.01"}, err


def test_quiet_import_prints_only_galat_and_the_summary(tmp_path):
    master = make_master(tmp_path)
    t = make_templates(master, tmp_path / "t", kode=["2.15", "5.01"])

    def teks_rumus(wb):  # text that looks like a formula: a warning only
        c = wb["Indikator"][f"D{R}"]
        c.value = "=Program"
        c.data_type = "s"
    fill(t["2.15"], ubah=teks_rumus)
    fill(t["5.01"], {"pagu": "dua miliar"})
    r = run_cli("impor", tmp_path / "t", "--ke", master)
    assert "PERINGATAN: Templat_2022_TW4_2.15_Dishub.xlsx Indikator!D4: Teks '=Program'" in r.stderr
    r = run_cli("impor", tmp_path / "t", "--ke", master, "--diam")
    assert r.returncode == 2 and r.stdout == ""
    assert "Templat_2022_TW4_5.01_Bappeda.xlsx Realisasi!D4: Nilai Pagu Anggaran 'dua miliar'" in r.stderr
    assert "PERINGATAN" not in r.stderr and "2.15" not in r.stderr and "IMPOR DIBATALKAN" in r.stderr


@pytest.mark.libreoffice
def test_template_saved_by_libreoffice_with_a_formula_is_imported_with_its_cached_value(tmp_path):
    master = make_master(tmp_path)
    p = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"],
             ubah=lambda wb: wb["Realisasi"].__setitem__(f"F{R}", f"=E{R}*0.9"))
    out = tmp_path / "disimpan-lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profil", "--convert-to",
                    "xlsx", "--outdir", str(out), str(p)], check=True, capture_output=True, timeout=180)
    (disimpan,) = out.iterdir()
    with zipfile.ZipFile(disimpan) as z:  # LibreOffice computed and stored the formula's value
        assert re.search(rb"<f[^>]*>E4\*0\.9</f><v>900000000</v>", z.read(sheet_part(disimpan, "Realisasi")))
    r = run_cli("impor", disimpan, "--ke", master)
    assert r.returncode == 0, r.stderr
    assert [x["realisasi_keuangan"] for x in rows_of(master, "Realisasi", "2.15")] == [900_000_000]


def test_weights_are_never_dropped_when_the_master_has_no_bobot_column(tmp_path, write_workbook):
    from indeks_opd.files.sample import sample_rows

    rows = sample_rows()
    rows["Indikator"] = [r[:9] for r in rows["Indikator"]]  # a master without the optional Bobot column
    master = write_workbook(rows, nama="induk.xlsx")
    p = fill(make_templates(master, tmp_path / "t", kode=["2.15"])["2.15"],
             ubah=lambda wb: [wb["Indikator"].__setitem__(f"J{r}", 1) for r in (R, R + 1, R + 2)])
    sebelum = digest(master)
    r = run_cli("impor", p, "--ke", master)
    assert r.returncode == 2
    assert "Kolom 'Bobot' tidak ada di sheet Indikator buku kerja induk" in r.stderr
    assert digest(master) == sebelum


def test_import_keeps_bappeda_scores_and_stamps_tanggal_diterima(tmp_path):
    """An OPD template never carries Tanggal Diterima or an extra component (docs/metode.md): the import keeps
    the master's SAKIP scores and received dates, and stamps the import time where the date was blank."""
    import datetime as dt

    from indeks_opd.files.sample_kelompok import write_kelompok_sample

    master = write_kelompok_sample(tmp_path / "induk.xlsx")
    sebelum = {k: rows_of(master, "Realisasi", k)[0] for k in ("2.15", "7.01")}
    wb = openpyxl.load_workbook(master)
    ws = wb["Realisasi"]
    kolom = {c.value: c.column for c in ws[1]}
    baris = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, kolom["Kode OPD"]).value == "2.15"
                 and ws.cell(r, kolom["Triwulan"]).value == 4)
    ws.cell(baris, kolom["Tanggal Diterima"]).value = None
    wb.save(master)
    templates = make_templates(master, tmp_path / "t", kode=["2.15", "7.01"])
    judul = {c.value for c in openpyxl.load_workbook(templates["7.01"])["Realisasi"][3]}
    assert "Tanggal Diterima" not in judul and "Nilai SAKIP" not in judul  # OPDs do not score themselves
    mulai = dt.datetime.now().replace(second=0, microsecond=0)
    r = run_cli("impor", fill(templates["2.15"]), fill(templates["7.01"]), "--ke", master)
    assert r.returncode == 0, r.stdout + r.stderr
    sesudah = {k: rows_of(master, "Realisasi", k)[0] for k in ("2.15", "7.01")}
    assert {k: v["Nilai SAKIP"] for k, v in sesudah.items()} == {k: v["Nilai SAKIP"] for k, v in sebelum.items()}
    assert sesudah["7.01"]["tanggal_diterima"] == sebelum["7.01"]["tanggal_diterima"]
    assert mulai <= sesudah["2.15"]["tanggal_diterima"] <= dt.datetime.now()
    assert sesudah["2.15"]["realisasi_keuangan"] != sebelum["2.15"]["realisasi_keuangan"]  # the template's figures
    sel = openpyxl.load_workbook(master)["Realisasi"].cell(baris, kolom["Tanggal Diterima"])
    assert sel.is_date and isinstance(sel.value, dt.datetime) and sel.value >= mulai  # a date cell, not text


def test_first_hour_mistakes_get_a_message_that_says_what_happened(tmp_path):
    """The complaints: a mistyped folder gave 'OPD ? — BERMASALAH' and suggested --lewati-bermasalah; swapped
    arguments gave 44 row errors; 'Perbaiki masalah di bawah' when they are printed above; a template of
    another quarter never pointed at --tahun/--triwulan or TahunAktif/TriwulanAktif; a template still open in
    Excel was read silently."""
    master = make_master(tmp_path)
    sebelum = digest(master)
    r = run_cli("impor", tmp_path / "Templat Masuk", "--ke", master)
    assert r.returncode == 2 and "Berkas atau folder" in r.stderr and "Templat Masuk' tidak ditemukan" in r.stderr
    assert "--lewati-bermasalah" not in r.stderr and "?" not in r.stdout + r.stderr

    t = make_templates(master, tmp_path / "t", kode=["2.15"])
    fill(t["2.15"])
    r = run_cli("impor", master, "--ke", t["2.15"])  # arguments swapped
    said = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 2 and said.count("GALAT") == 1
    assert "tampaknya templat OPD (hanya sheet Realisasi dan Indikator), bukan buku kerja induk" in said
    assert "Mungkin urutannya tertukar" in said
    salinan = master.with_name("salinan.xlsx")
    salinan.write_bytes(master.read_bytes())
    r = run_cli("impor", master, "--ke", salinan)  # a master given as a template
    said = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 2
    assert "tampaknya buku kerja induk (ada sheet Parameter dan OPD), bukan templat OPD" in said
    assert said.count("GALAT") == 1 and "--lewati-bermasalah" not in said
    assert "Perbaiki masalah yang tercantum" in said and "di bawah" not in said

    lain = make_templates(master, tmp_path / "tw3", triwulan=3, kode=["2.15"])
    fill(lain["2.15"])
    (lain["2.15"].parent / ("~$" + lain["2.15"].name)).write_bytes(b"owner")  # still open in Excel
    r = run_cli("impor", lain["2.15"], "--ke", master)
    said = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 2 and "berisi data TW III 2022 padahal yang diimpor TW IV 2022" in said
    assert "ubah TahunAktif/TriwulanAktif di sheet Parameter" in said and "--tahun dan --triwulan" in said
    assert "sedang terbuka di Excel/LibreOffice" in said and "belum disimpan tidak ikut diimpor" in said
    assert digest(master) == sebelum
    r = run_cli("impor", lain["2.15"], "--ke", master, "--triwulan", "3")
    assert r.returncode == 0, r.stderr
    assert "belum disimpan tidak ikut diimpor" in r.stdout + r.stderr

