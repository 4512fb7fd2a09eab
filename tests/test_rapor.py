"""`indeks-opd rapor`: PDFs read back with poppler, the output workbook with openpyxl, against the core."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image

from conftest import run_cli
from indeks_opd.core import compute_period
from indeks_opd.core.annual import annual_recap
from indeks_opd.core.stability import rank_stability
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from indeks_opd.present import fmt
from indeks_opd.rapor.history import RIWAYAT_HEADERS, rows_of_result

UNDIAN = 200


def pdf_text(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(teks: str) -> str:
    return re.sub(r"\s+", " ", teks)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def pdf_images(path: Path) -> int:
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.splitlines()[2:] if line.split()[2] == "image")


def prize_text(hadiah: int) -> str:
    return fmt.rupiah(hadiah) if hadiah else "–"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The whole sample (2022 TW IV, no Riwayat sheet) through the CLI once, with its core result."""
    folder = tmp_path_factory.mktemp("rapor")
    master = write_contract_workbook(folder / "contoh.xlsx", sample_rows())
    r = run_cli("rapor", master, "--keluaran", folder / "keluaran", "--json", "--undian", UNDIAN, "--benih", 11)
    assert r.returncode == 0, r.stderr
    data = read_workbook(master)
    return {"doc": json.loads(r.stdout), "dir": folder / "keluaran", "master": master, "data": data,
            "core": compute_period(data, 2022, 4)}


def test_every_opd_gets_its_rapor_with_the_core_figures(sample_run):
    core, doc = sample_run["core"], sample_run["doc"]
    n = len(core.hasil)
    assert n == 18 and set(doc["berkas"]["rapor"]) == set(core.hasil["kode"])
    total = 0
    for r in core.hasil.itertuples(index=False):
        pdf = Path(doc["berkas"]["rapor"][r.kode])
        teks = flat(pdf_text(pdf))
        assert r.nama in teks and f"Kode OPD {r.kode}" in teks
        assert f"{fmt.angka(r.indeks_bulat)} {r.peringkat} dari {n} {r.kategori} {r.zona} {prize_text(r.hadiah)}" in teks
        assert "Tahun 2022 Triwulan IV" in teks
        pages = pdf_pages(pdf)
        assert 1 <= pages <= 2
        total += pages
        assert pdf_images(pdf) == 2  # component chart and index-over-quarters chart
    gabungan = Path(doc["berkas"]["rapor_gabungan"])
    assert pdf_pages(gabungan) == total
    teks = flat(pdf_text(gabungan))
    assert all(nama in teks for nama in core.hasil["nama"])
    assert "Kantor Arsip" not in teks  # the inactive OPD gets no rapor


def test_rapor_components_add_up_and_indicators_are_listed(sample_run):
    core, doc = sample_run["core"], sample_run["doc"]
    kode = "4.02"  # Sekretariat DPRD: no P3DN target
    r = core.hasil.set_index("kode").loc[kode]
    rapor = next(x for x in doc["rapor"] if x["kode"] == kode)
    komp = {k["komponen"]: k for k in rapor["komponen"]}
    assert komp["p3dn"]["capaian"] is None and komp["p3dn"]["bobot"] == 0
    assert komp["cakin"]["bobot"] == pytest.approx(50 / 90 * 100)
    assert sum(k["kontribusi"] for k in rapor["komponen"]) == pytest.approx(r.indeks)
    teks = flat(pdf_text(Path(doc["berkas"]["rapor"][kode])))
    assert f"Capaian Kinerja Program {fmt.angka(r.cakin)} {fmt.angka(50 / 0.9)}" in teks
    assert "P3DN tidak berlaku" in teks
    ind = core.indikator[core.indikator["kode"] == kode]
    for x in ind.itertuples(index=False):
        assert x.indikator in teks and fmt.angka(x.capaian) in teks


def test_rakorpok_report_lists_ranking_prizes_lowest_zones_and_stability(sample_run):
    core, doc = sample_run["core"], sample_run["doc"]
    pdf = Path(doc["berkas"]["rakorpok"])
    teks = pdf_text(pdf, layout=True)
    for r in core.hasil.itertuples(index=False):
        baris = rf"^\s*{r.peringkat}\s+{re.escape(r.kode)}\s+{re.escape(r.nama)}\s+{re.escape(fmt.angka(r.indeks_bulat))}" \
                rf"\s+{r.kategori}\s+{re.escape(prize_text(r.hadiah))}\s"
        assert re.search(baris, teks, re.MULTILINE), r.nama
    top = core.hasil[core.hasil["peringkat"] <= 3]
    for r in top.itertuples(index=False):
        assert re.search(rf"^\s*{r.peringkat}\s+{re.escape(r.nama)}\s+{re.escape(fmt.angka(r.indeks_bulat))}\s+"
                         rf"{re.escape(fmt.rupiah(r.hadiah))}\s+Bank Jateng", teks, re.MULTILINE)
    blok_terendah = teks.split("Tiga terendah")[1].split("Jumlah OPD per zona")[0]
    assert [n for n in core.hasil["nama"] if n in blok_terendah] == list(core.hasil[core.hasil["terendah"]]["nama"])
    assert "Zona Hijau: 18 OPD; zona Kuning: 0 OPD; zona Merah: 0 OPD." in flat(teks)
    assert "SEMENTARA" not in teks
    assert "Kestabilan peringkat" in teks and f"{UNDIAN} undian (benih 11)" in flat(teks)
    assert "digeser acak dalam ±5 poin" in flat(teks)  # the shift the stability draws use (geser_bobot)
    # one plain sentence per OPD for heads of agencies; the figures in the appendix
    kalimat = flat(teks.split("Kestabilan peringkat")[1].split("Rekap tahunan")[0])
    for s in doc["stabilitas"]["hasil"]:
        tiga = ", hampir pasti di 3 besar" if s["porsi_tiga_besar"] >= 0.9 else ""
        tetap = "; tidak berubah walau bobot digeser." if s["peringkat_p5"] == s["peringkat_p95"] == s["peringkat"] else ""
        assert f"Peringkat {s['peringkat']}{tiga}{tetap}" in kalimat, s
    assert "Median" not in kalimat and "%" not in kalimat
    stabil = teks.split("Lampiran: angka kestabilan peringkat")[1]
    for s in doc["stabilitas"]["hasil"]:
        rentang = str(s["peringkat_p5"]) if s["peringkat_p5"] == s["peringkat_p95"] else \
            f"{s['peringkat_p5']}–{s['peringkat_p95']}"
        assert re.search(rf"^\s*{s['peringkat']}\s+{re.escape(s['nama'])}\s+{re.escape(fmt.angka(s['peringkat_median'], 1))}"
                         rf"\s+{rentang}\s+{re.escape(fmt.persen(s['porsi_tiga_besar']))}\s*$", stabil, re.MULTILINE), s
    assert "Rekap tahunan 2022" in teks and "Rata-rata semua OPD" in teks
    # the annual prize column is the quarters' prizes summed, and says so (it read like a second payout)
    tahunan = flat(teks.split("Rekap tahunan 2022")[1])
    assert "Jumlah hadiah triwulan" in tahunan and "dijumlahkan (bukan hadiah tambahan)" in tahunan
    data = sample_run["data"]
    jumlah = sum(compute_period(data, 2022, w).hasil.set_index("kode").loc["2.15", "hadiah"] for w in (1, 2, 3, 4))
    assert re.search(rf"Dinas Perhubungan [\d,\s–]+ Sangat Tinggi {re.escape(fmt.rupiah(jumlah))}", tahunan)
    assert "Tiga besar" in teks
    assert pdf_pages(pdf) >= 2 and pdf_images(pdf) == 1  # the ranking bar chart


def _relative_luminance(rgb) -> float:
    """WCAG 2 relative luminance (written out here from the WCAG definition, not taken from the code)."""
    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ np.array([0.2126, 0.7152, 0.0722]))


@pytest.mark.parametrize("pdf, halaman", [("rakorpok", 1), ("rapor_gabungan", 1)])
def test_text_on_category_colours_meets_wcag_aa(sample_run, tmp_path, pdf, halaman):
    """The complaint: white text on the bright-green rows was hard to read projected or printed."""
    path = sample_run["doc"]["berkas"][pdf]
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(halaman), "-l", str(halaman), path,
                    str(tmp_path / "hal")], check=True)
    im = np.asarray(Image.open(next(tmp_path.glob("hal*.png"))).convert("RGB")).astype(int)
    hijau = np.array([0x00, 0xB0, 0x50])  # Sangat Tinggi, the rows of the top three and the index box
    on_green = np.abs(im - hijau).sum(axis=2) < 30
    # text strokes: pixels that are not green with green a few pixels to their left and right
    stroke = ~on_green[:, 4:-4] & on_green[:, :-8] & on_green[:, 8:]
    ink = im[:, 4:-4][stroke]
    assert len(ink) > 200
    darkest = ink[ink.sum(axis=1).argmin()]
    ratio = (_relative_luminance(hijau) + 0.05) / (_relative_luminance(darkest) + 0.05)
    assert ratio >= 4.5, darkest
    assert (ink.min(axis=1) > 200).sum() == 0  # no white letters on green


def test_pdfs_embed_every_font(sample_run):
    doc = sample_run["doc"]
    for pdf in (doc["berkas"]["rakorpok"], doc["berkas"]["rapor_gabungan"]):
        out = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
        fonts = out.splitlines()[2:]
        assert fonts and all("DejaVuSans" in f for f in fonts)
        assert all(f.split()[-5] == "yes" for f in fonts)  # emb column


def test_rendered_pages_show_charts_and_category_colours(sample_run, tmp_path):
    doc = sample_run["doc"]
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", doc["berkas"]["rapor"]["2.15"],
                    str(tmp_path / "rapor")], check=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", doc["berkas"]["rakorpok"],
                    str(tmp_path / "rakorpok")], check=True)
    rapor = np.asarray(Image.open(next(tmp_path.glob("rapor*.png"))).convert("RGB")).astype(int)
    rakorpok = np.asarray(Image.open(next(tmp_path.glob("rakorpok*.png"))).convert("RGB")).astype(int)
    h = rapor.shape[0]
    chart_band = rapor[int(h * 0.35):int(h * 0.55)]  # where the two charts sit on page 1
    assert (chart_band.sum(axis=2) < 3 * 245).mean() > 0.15  # not blank
    hijau = np.array([0x00, 0xB0, 0x50])  # Sangat Tinggi: the index box and the bars
    assert (np.abs(rapor - hijau).sum(axis=2) < 30).sum() > 500
    tinggi = np.array([0x92, 0xD0, 0x50])  # Tinggi bars of the ranking chart
    assert (np.abs(rakorpok - tinggi).sum(axis=2) < 30).sum() > 500


def test_json_stability_and_annual_recap_equal_the_core_and_repeat_with_the_seed(sample_run, tmp_path):
    doc, core, data = sample_run["doc"], sample_run["core"], sample_run["data"]
    stab = rank_stability(core.hasil, data.parameter.bobot, UNDIAN, 11)
    assert doc["stabilitas"]["undian"] == UNDIAN and doc["stabilitas"]["benih"] == 11
    assert [s["kode"] for s in doc["stabilitas"]["hasil"]] == list(stab["kode"])
    assert [s["peringkat_p95"] for s in doc["stabilitas"]["hasil"]] == list(stab["peringkat_p95"])
    assert [s["porsi_tiga_besar"] for s in doc["stabilitas"]["hasil"]] == list(stab["porsi_tiga_besar"])
    again = run_cli("rapor", sample_run["master"], "--keluaran", tmp_path, "--json", "--undian", UNDIAN,
                    "--benih", 11, "--opd", "2.15")
    assert json.loads(again.stdout)["stabilitas"] == doc["stabilitas"]

    riwayat = pd.concat([rows_of_result(compute_period(data, t, w)) for t, w in data.periods()])
    annual = annual_recap(riwayat, 2022, data.parameter)
    assert doc["tahunan"]["aturan"] == "TW IV"
    assert [(a["kode"], a["peringkat"], a["hadiah"]) for a in doc["tahunan"]["hasil"]] == \
        list(zip(annual.hasil["kode"], annual.hasil["peringkat"], annual.hasil["hadiah"]))
    assert [a["indeks_tw1"] for a in doc["tahunan"]["hasil"]] == list(annual.hasil["indeks_tw1"])


def test_history_without_riwayat_is_the_core_on_each_period(sample_run):
    doc, data = sample_run["doc"], sample_run["data"]
    tw3 = compute_period(data, 2022, 3).hasil.set_index("kode")
    for r in doc["rapor"]:
        assert r["indeks_sebelumnya"] == tw3.loc[r["kode"], "indeks"]
        assert r["peringkat_sebelumnya"] == tw3.loc[r["kode"], "peringkat"]
    assert doc["sumber_riwayat"] == "dihitung ulang dari data"


def test_output_workbook_holds_the_reports_as_sheets(sample_run):
    core, doc = sample_run["core"], sample_run["doc"]
    wb = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])
    assert wb.sheetnames[:3] == ["Rakorpok", "Stabilitas", "Rekap Tahunan"]
    assert len(wb.sheetnames) == 3 + 18 and "Rapor 2.15" in wb.sheetnames
    assert "±5 poin" in wb["Stabilitas"]["A2"].value and doc["stabilitas"]["geser_bobot"] == 5.0
    assert wb["Rekap Tahunan"]["A2"].value == "Aturan tahunan: TW IV (indeks triwulan IV)."
    # the recap's money is what the year's quarters paid, as in the PDF — not a second, annual payout
    tahunan = wb["Rekap Tahunan"]
    assert tahunan["L5"].value == "Jumlah Hadiah Triwulan"
    dibayar = {}
    for tw in (1, 2, 3, 4):
        for r in compute_period(sample_run["data"], 2022, tw).hasil.itertuples(index=False):
            dibayar[r.kode] = dibayar.get(r.kode, 0) + r.hadiah
    baris = {tahunan.cell(i, 2).value: tahunan.cell(i, 12).value for i in range(6, 24)}
    assert baris == dibayar and max(baris.values()) > 5_000_000
    ws = wb["Rakorpok"]
    assert ws["A5"].value == "Peringkat" and ws["D5"].value == "Indeks"
    for i, r in enumerate(core.hasil.itertuples(index=False), 6):
        assert [c.value for c in ws[i][:4]] == [r.peringkat, r.kode, r.nama, r.indeks]
        assert ws.cell(i, 7).value == r.hadiah and ws.cell(i, 7).number_format == '"Rp"#,##0'
        assert ws.cell(i, 3).fill.fgColor.rgb[-6:] == r.warna.lstrip("#").upper()
    rapor = wb["Rapor 2.15"]
    assert rapor["A2"].value == "Dinas Perhubungan"
    nilai = {rapor.cell(i, 1).value: rapor.cell(i, 2).value for i in range(5, 20)}
    assert nilai["Indeks"] == core.hasil.iloc[0]["indeks"] and nilai["Peringkat"] == 1


def riwayat_rows(result, ubah: dict) -> list[list]:
    """Riwayat sheet rows (contract headers) of a period result, with some values replaced."""
    rows = []
    for r in rows_of_result(result).itertuples(index=False):
        rec = r._asdict()
        rec.update(ubah.get(rec["kode"], {}))
        rows.append([rec[f] if f not in ("terendah", "sementara") else ("Ya" if rec[f] else "Tidak")
                     for f in RIWAYAT_HEADERS.values()] + ["2022-10-05T09:00:00"])
    return rows


def test_history_comes_from_the_riwayat_sheet_when_present(tmp_path):
    rows = sample_rows()
    master = write_contract_workbook(tmp_path / "induk.xlsx", rows)
    data = read_workbook(master)
    tw3 = compute_period(data, 2022, 3)
    # a published TW III that differs from today's recomputation (e.g. data corrected later): Riwayat wins
    published = {"2.15": {"indeks": 80.125, "peringkat": 17}, "1.03": {"indeks": 99.5, "peringkat": 1}}
    wb = openpyxl.load_workbook(master)
    ws = wb.create_sheet("Riwayat")
    ws.append([*RIWAYAT_HEADERS, "Dihitung Pada"])
    for row in riwayat_rows(tw3, published):
        ws.append(row)
    wb.save(master)

    out = tmp_path / "keluaran"
    r = run_cli("rapor", master, "--keluaran", out, "--json", "--opd", "2.15", "1.03", "--undian", 20)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["sumber_riwayat"] == ("sheet Riwayat; TW I 2022, TW II 2022 tidak ada di Riwayat, "
                                     "dihitung ulang dari data")
    rapor = {x["kode"]: x for x in doc["rapor"]}
    assert [x["kode"] for x in doc["rapor"]] == ["2.15", "1.03"]
    assert rapor["2.15"]["indeks_sebelumnya"] == 80.125 and rapor["2.15"]["peringkat_sebelumnya"] == 17
    assert rapor["1.03"]["indeks_sebelumnya"] == 99.5 and rapor["1.03"]["peringkat_sebelumnya"] == 1
    other = tw3.hasil.set_index("kode").loc["5.01"]
    teks = flat(pdf_text(Path(doc["berkas"]["rapor"]["2.15"])))
    assert "Perubahan dibanding TW III 2022: indeks 80,13 → 98,21 (+18,08); peringkat 17 → 1 (naik 16 ▲)" in teks
    rakorpok = pdf_text(Path(doc["berkas"]["rakorpok"]), layout=True)
    assert re.search(r"^\s*1\s+2\.15\s+Dinas Perhubungan\s+98,21\s.*\s17\s+▲\s*16\s*$", rakorpok, re.MULTILINE)
    assert re.search(rf"^\s*3\s+5\.01\s.*\s{other.peringkat}\s+▲\s*{other.peringkat - 3}\s*$", rakorpok, re.MULTILINE)
    # TW I and II are not in Riwayat: computed from the data; TW III as published; TW IV today
    tw = {w: compute_period(data, 2022, w).hasil.set_index("kode") for w in (1, 2, 4)}
    tahunan = {a["kode"]: a for a in doc["tahunan"]["hasil"]}
    assert tahunan["2.15"]["indeks_tw1"] == pytest.approx(tw[1].loc["2.15", "indeks"])
    assert tahunan["2.15"]["indeks_tw2"] == pytest.approx(tw[2].loc["2.15", "indeks"])
    assert tahunan["2.15"]["indeks_tw3"] == 80.125
    assert "TW I 2022, TW II 2022 tidak ada di Riwayat" in flat(pdf_text(Path(doc["berkas"]["rakorpok"])))
    wb = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])
    ws = wb["Rapor 2.15"]
    riwayat = [[c.value for c in row[:4]] for row in ws.iter_rows() if row[0].value == 2022]
    assert riwayat == [[2022, w, pytest.approx(tw[w].loc["2.15", "indeks"]), tw[w].loc["2.15", "peringkat"]]
                       for w in (1, 2)] + [[2022, 3, 80.125, 17], [2022, 4, pytest.approx(tw[4].loc["2.15", "indeks"]), 1]]


def test_shipped_master_with_empty_riwayat_reports_real_movement_and_annual_recap(tmp_path):
    """The complaint: a fresh master (empty Riwayat, four quarters in Realisasi) marked every OPD 'baru'."""
    master = tmp_path / "IndeksKinerjaOPD.xlsm"
    master.write_bytes((Path(__file__).resolve().parents[1] / "xlsm" / "IndeksKinerjaOPD.xlsm").read_bytes())
    r = run_cli("rapor", master, "--keluaran", tmp_path / "keluaran", "--json", "--undian", 0)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    data = read_workbook(master)
    assert data.periods() == [(2022, 1), (2022, 2), (2022, 3), (2022, 4)]
    tw = {w: compute_period(data, 2022, w).hasil.set_index("kode") for w in (1, 2, 3, 4)}
    assert doc["sumber_riwayat"] == ("sheet Riwayat; TW I 2022, TW II 2022, TW III 2022 tidak ada di Riwayat, "
                                     "dihitung ulang dari data")
    for x in doc["rapor"]:
        assert x["peringkat_sebelumnya"] == tw[3].loc[x["kode"], "peringkat"], x["kode"]
    for a in doc["tahunan"]["hasil"]:
        assert [a[f"indeks_tw{w}"] for w in (1, 2, 3, 4)] == [pytest.approx(tw[w].loc[a["kode"], "indeks"])
                                                              for w in (1, 2, 3, 4)]
    rakorpok = flat(pdf_text(Path(doc["berkas"]["rakorpok"])))
    assert "baru" not in rakorpok and "belum ada data" not in rakorpok
    assert "TW I 2022, TW II 2022, TW III 2022 tidak ada di Riwayat, dihitung ulang dari data" in rakorpok
    rapor = flat(pdf_text(Path(doc["berkas"]["rapor"]["2.15"])))
    assert "belum ada data" not in rapor and f"peringkat {tw[3].loc['2.15', 'peringkat']} → 1" in rapor


def test_provisional_period_is_marked_and_withholds_prizes(write_workbook):
    rows = sample_rows()
    header = rows["Realisasi"][0]
    j = header.index("Realisasi Keuangan")
    rusak = next(i for i, r in enumerate(rows["Realisasi"]) if r[1] == 4 and r[2] == "1.06")
    rows["Realisasi"][rusak][j] = "seratus juta"
    master = write_workbook(rows)
    out = master.parent / "keluaran"
    r = run_cli("rapor", master, "--keluaran", out, "--json", "--undian", 20, "--opd", "1.06", "2.15")
    assert r.returncode == 3 and "SEMENTARA" in r.stderr
    doc = json.loads(r.stdout)
    assert doc["sementara"] and doc["hadiah_ditahan"]
    galat = sum(m["tingkat"] == "galat" for m in doc["masalah"])
    assert galat >= 1 and f"ada {galat} galat data" in r.stderr and "hadiah ditahan" in r.stderr
    dinsos = next(x for x in doc["rapor"] if x["kode"] == "1.06")
    assert not dinsos["dinilai"] and dinsos["masalah"]
    teks = flat(pdf_text(Path(doc["berkas"]["rapor"]["1.06"])))
    assert "TIDAK DINILAI" in teks and f"Realisasi!{dinsos['masalah'][0]['lokasi'].split('!')[1]}" in teks
    assert "SEMENTARA" in teks
    rakorpok = flat(pdf_text(Path(doc["berkas"]["rakorpok"])))
    assert "SEMENTARA — ada 1 galat data; hadiah ditahan sampai data lengkap." in rakorpok
    # this quarter pays nothing (the annual table's sum of earlier quarters' prizes still shows theirs)
    assert "Dinas Sosial (1.06)" in rakorpok and "Rp 5.000.000" not in rakorpok.split("Rekap tahunan")[0]
    wb = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])
    assert wb["Rakorpok"]["A3"].value.startswith("SEMENTARA")
    assert wb["Rakorpok"]["G6"].value == 0


def test_formula_like_names_stay_text(write_workbook):
    rows = sample_rows()
    rows["OPD"][1][1] = '=HYPERLINK("http://contoh","klik")'
    master = write_workbook(rows)
    r = run_cli("rapor", master, "--keluaran", master.parent / "k", "--json", "--undian", 0, "--opd", "2.15")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["stabilitas"] is None
    wb = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])
    cell = wb["Rapor 2.15"]["A2"]
    assert cell.value == '=HYPERLINK("http://contoh","klik")' and cell.data_type == "s"
    assert '=HYPERLINK("http://contoh","klik")' in pdf_text(Path(doc["berkas"]["rapor"]["2.15"]))


def test_bad_arguments_are_indonesian_messages(sample_run, tmp_path):
    master = sample_run["master"]
    r = run_cli("rapor", master, "--keluaran", tmp_path / "a", "--opd", "7.77", "9.99")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "Kode OPD '7.77' tidak ada di sheet OPD" in r.stderr and "Kode OPD '9.99' tidak aktif" in r.stderr
    assert not (tmp_path / "a").exists()
    berkas = tmp_path / "bukan-folder.txt"
    berkas.write_text("x")
    r = run_cli("rapor", master, "--keluaran", berkas)
    assert r.returncode == 2 and "bukan folder" in r.stderr
    r = run_cli("rapor", master, "--keluaran", tmp_path / "b", "--undian", "-3")
    assert r.returncode == 2 and "tidak boleh negatif" in r.stderr
    r = run_cli("rapor", tmp_path / "tidak-ada.xlsx", "--keluaran", tmp_path / "c")
    assert r.returncode == 2 and "tidak ditemukan" in r.stderr


def test_earlier_quarter_report_is_as_of_its_period_with_the_mean_rule(write_workbook):
    from indeks_opd.core.parameter import Parameter

    master = write_workbook(sample_rows(), parameter=Parameter(aturan_tahunan="Rata-rata"))
    out = master.parent / "tw2"
    r = run_cli("rapor", master, "--keluaran", out, "--json", "--triwulan", "2", "--undian", 0, "--opd", "2.15")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    data = read_workbook(master)
    tw1, tw2 = (compute_period(data, 2022, w).hasil.set_index("kode") for w in (1, 2))
    tahunan = {a["kode"]: a for a in doc["tahunan"]["hasil"]}
    assert doc["tahunan"]["aturan"] == "Rata-rata" and doc["tahunan"]["sementara"]  # TW III and IV not there yet
    assert tahunan["2.15"]["indeks_tw3"] is None and tahunan["2.15"]["triwulan_kurang"] == [3, 4]
    for kode, a in tahunan.items():
        assert a["indeks"] == pytest.approx((tw1.loc[kode, "indeks"] + tw2.loc[kode, "indeks"]) / 2)
    assert all(a["hadiah"] == 0 for a in tahunan.values())  # provisional recap: prizes withheld
    ws = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])["Rapor 2.15"]
    riwayat = [[c.value for c in row[:4]] for row in ws.iter_rows() if row[0].value == 2022]
    assert riwayat == [[2022, 1, tw1.loc["2.15", "indeks"], tw1.loc["2.15", "peringkat"]],
                       [2022, 2, tw2.loc["2.15", "indeks"], tw2.loc["2.15", "peringkat"]]]
    assert "Rekap tahunan 2022 (aturan Rata-rata, sementara)" in flat(pdf_text(Path(doc["berkas"]["rapor"]["2.15"])))
    assert "Aturan tahunan: Rata-rata (rata-rata indeks triwulan yang tersedia)" in \
        flat(pdf_text(Path(doc["berkas"]["rakorpok"])))


def test_very_long_opd_names_are_shortened_in_tables_and_charts(write_workbook):
    """A 3,000-character OPD name (and a long unbroken short name) made reportlab give up ("too large on
    page"): every table and chart shortens it with an ellipsis; the full name stays in the workbook sheets."""
    rows = sample_rows()
    panjang = "Dinas " + " ".join(f"Urusan{i:04d}" for i in range(300))
    rows["OPD"][1][1] = panjang
    rows["OPD"][1][2] = "X" * 400
    master = write_workbook(rows)
    kode = rows["OPD"][1][0]
    r = run_cli("rapor", master, "--keluaran", master.parent / "k", "--json", "--undian", "20")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    for pdf in (doc["berkas"]["rakorpok"], doc["berkas"]["rapor_gabungan"], doc["berkas"]["rapor"][kode]):
        teks = flat(pdf_text(Path(pdf)))
        assert "Dinas Urusan0000" in teks and "…" in teks and "Urusan0299" not in teks, pdf
    assert pdf_pages(Path(doc["berkas"]["rapor"][kode])) <= 3
    wb = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])
    assert any(c.value == panjang for row in wb[f"Rapor {kode}"].iter_rows() for c in row)


def test_a_report_that_cannot_be_written_leaves_the_previous_one_whole(write_workbook):
    """The disk fills while the PDFs are written (the process's file-size limit, EFBIG at the OS write
    boundary): exit 2 with an Indonesian message, and every report already in the folder as it was
    — never a truncated PDF under a good report's name."""
    import os
    import sys

    resource = pytest.importorskip("resource")
    from conftest import SRC

    master = write_workbook(sample_rows())
    keluaran = master.parent / "k"
    assert run_cli("rapor", master, "--keluaran", keluaran, "--undian", "0").returncode == 0
    before = {p.name: p.read_bytes() for p in keluaran.iterdir()}
    batas = min(len(b) for n, b in before.items() if n.endswith(".pdf")) // 2

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (batas, batas))

    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-m", "indeks_opd", "rapor", str(master), "--keluaran", str(keluaran),
                        "--undian", "0"], capture_output=True, text=True, env=env, preexec_fn=limit, timeout=300)
    assert r.returncode == 2 and "Gagal menulis" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert {p.name: p.read_bytes() for p in keluaran.iterdir()} == before
