"""Any Pemda's scheme (docs/metode.md): peer groups, extra components and Ketepatan Waktu, hand-computed.

Every workbook here goes through the real contract reader; the arithmetic is written out
next to each assertion.
"""

import datetime as dt
from pathlib import Path

import pytest

from helpers import indikator, realisasi
from indeks_opd.contract import read_contract
from indeks_opd.contract.sheets import Sheet
from indeks_opd.core import compute_period
from indeks_opd.core.masalah import UnusableWorkbook

BAKU = [("Serapan Anggaran", 20), ("Realisasi Fisik", 20), ("Capaian Kinerja Program", 50), ("P3DN", 10)]
HADIAH_BERSAMA = [(1, 5_000_000, "Bank", None), (2, 3_000_000, "Bank", None), (3, 1_000_000, "Bank", None)]


def parameter(bobot=BAKU, hadiah=HADIAH_BERSAMA, jadwal=(), **tunggal):
    """A Parameter sheet: Bobot, Kategori, Hadiah (with Kelompok), Jadwal; Nama | Nilai beside."""
    nilai = {"TahunAktif": 2023, "TriwulanAktif": 4, "JumlahTerendah": 3, **tunggal}
    blok = list(nilai.items())
    rows = [["Komponen", "Bobot", None, "Nama", "Nilai"]]
    for i in range(max(len(bobot), len(blok))):
        rows.append([*(bobot[i] if i < len(bobot) else (None, None)), None, *(blok[i] if i < len(blok) else ())])
    rows += [[], ["Kategori", "Batas Bawah", "Warna", "Zona"], ["Sangat Tinggi", 91, "#00B050", "Hijau"],
             ["Tinggi", 76, "#92D050", "Hijau"], ["Sedang", 66, "#FFFF00", "Kuning"],
             ["Rendah", 51, "#FFC000", "Kuning"], ["Sangat Rendah", None, "#FF0000", "Merah"]]
    rows += [[], ["Peringkat", "Hadiah", "Sumber", "Kelompok"]] + [list(h) for h in hadiah]
    if jadwal:
        rows += [[], ["Tahun", "Triwulan", "Batas Pengumpulan"]] + [list(j) for j in jadwal]
    return rows


def buku(opd, real, ind, param, extra_headers=()):
    """Contract sheets; OPD rows are (kode, kelompok[, aktif]); Realisasi rows carry extra cells at the end."""
    return read_contract({
        "OPD": Sheet("OPD", [["Kode OPD", "Nama OPD", "Singkatan", "Aktif", "Kelompok"]]
                     + [[k, f"Dinas {k}", k, *(rest[1:] or ["Ya"]), rest[0]] for k, *rest in opd]),
        "Realisasi": Sheet("Realisasi", [["Tahun", "Triwulan", "Kode OPD", "Pagu Anggaran", "Target Keuangan",
                                          "Realisasi Keuangan", "Target Fisik", "Realisasi Fisik", "Target P3DN",
                                          "Realisasi P3DN", *extra_headers]] + [list(r) for r in real]),
        "Indikator": Sheet("Indikator", [["Tahun", "Triwulan", "Kode OPD", "Program", "Indikator", "Satuan", "Arah",
                                          "Target", "Realisasi", "Bobot"]] + [list(r) for r in ind]),
        "Parameter": Sheet("Parameter", param),
    }, {})


def per_kode(result):
    return {x["kode"]: x for x in result.as_dict()["hasil"]}


# --- peer groups ------------------------------------------------------------------------------

def dua_kelompok(hadiah=HADIAH_BERSAMA, jumlah_terendah=3):
    """Dinas: A 95, B 79, C and D 54.44 (tied); Kecamatan: E 79, F 33.

    A: 0.2·100 + 0.2·100 + 0.5·90 + 0.1·100 = 95; B and E: 18 + 16 + 0.5·80 + 5 = 79;
    C and D (no P3DN): (20·60 + 20·60 + 50·50) / 90 = 54.44…; F: 10 + 8 + 0.5·30 + 0 = 33.
    """
    cap = {"A": (100, 100, 100, 90), "B": (90, 80, 50, 80), "C": (60, 60, None, 50), "D": (60, 60, None, 50),
           "E": (90, 80, 50, 80), "F": (50, 40, 0, 30)}
    grup = {k: "Dinas" for k in "ABCD"} | {"E": "Kecamatan", "F": "kecamatan "}  # same group, however typed
    return buku([(k, grup[k]) for k in cap], [realisasi(k, s, f, p) for k, (s, f, p, _) in cap.items()],
                [indikator(k, 100, c[3]) for k, c in cap.items()],
                parameter(hadiah=hadiah, JumlahTerendah=jumlah_terendah))


def test_rank_prizes_and_lowest_are_per_group_with_a_tie_at_a_prize_boundary():
    r = compute_period(dua_kelompok(), 2023, 4)
    assert not r.sementara
    h = per_kode(r)
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A", "B", "C", "D", "E", "F"]  # Dinas block, then Kecamatan
    assert {k: h[k]["kelompok"] for k in h} == {**{k: "Dinas" for k in "ABCD"}, "E": "Kecamatan", "F": "Kecamatan"}
    assert {k: h[k]["peringkat"] for k in h} == {"A": 1, "B": 2, "C": 3, "D": 3, "E": 1, "F": 2}
    # among all six: A 95; B and E 79 (tied 2nd); C, D 54.44 (tied 4th); F 33
    assert {k: h[k]["peringkat_umum"] for k in h} == {"A": 1, "B": 2, "E": 2, "C": 4, "D": 4, "F": 6}
    # shared prize rows apply to each group: C and D occupy positions 3 and 4 → (1.000.000 + 0) / 2 each
    assert {k: h[k]["hadiah"] for k in h} == {"A": 5_000_000, "B": 3_000_000, "C": 500_000, "D": 500_000,
                                             "E": 5_000_000, "F": 3_000_000}
    # JumlahTerendah 3 per group: Dinas B, C, D; Kecamatan has only two OPDs, both among its lowest three
    assert {k for k in h if h[k]["terendah"]} == {"B", "C", "D", "E", "F"}
    assert h["A"]["kategori"] == "Sangat Tinggi" and h["F"]["kategori"] == "Sangat Rendah"  # categories per OPD


def test_group_specific_prize_rows_replace_the_shared_ones_for_that_group_only():
    hadiah = [*HADIAH_BERSAMA, (1, 2_000_000, "Camat", "Kecamatan"), (2, 500_000, "Camat", "Kecamatan")]
    h = per_kode(compute_period(dua_kelompok(hadiah), 2023, 4))
    assert (h["E"]["hadiah"], h["F"]["hadiah"]) == (2_000_000, 500_000)
    assert (h["A"]["hadiah"], h["B"]["hadiah"], h["C"]["hadiah"]) == (5_000_000, 3_000_000, 500_000)


def test_a_prize_row_for_a_group_no_opd_is_in_is_reported():
    hadiah = [*HADIAH_BERSAMA, (1, 2_000_000, "Camat", "Kecamatann")]
    r = compute_period(dua_kelompok(hadiah), 2023, 4)
    [m] = r.masalah
    assert (m.tingkat, m.sheet) == ("peringatan", "Parameter") and "kelompok 'Kecamatann'" in m.pesan
    assert per_kode(r)["E"]["hadiah"] == 5_000_000  # the shared rows still apply to Kecamatan


def test_a_group_smaller_than_jumlah_terendah_and_jumlah_terendah_one():
    h = per_kode(compute_period(dua_kelompok(jumlah_terendah=1), 2023, 4))
    # the lowest of each group: Dinas C and D (tied at 54.44), Kecamatan F
    assert {k for k in h if h[k]["terendah"]} == {"C", "D", "F"}


def test_a_blank_group_next_to_grouped_opds_is_a_located_galat():
    d = buku([("A", "Dinas"), ("B", None), ("C", None, "Tidak")], [realisasi("A"), realisasi("B")],
             [indikator("A"), indikator("B")], parameter())
    r = compute_period(d, 2023, 4)
    [m] = [m for m in r.masalah if m.blocking]
    assert (m.lokasi, m.kode) == ("OPD!E3", "B") and "Kelompok OPD B kosong" in m.pesan
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"] and r.sementara  # the inactive C is no problem


def test_without_groups_everything_is_one_list():
    d = buku([("A", None), ("B", None)], [realisasi("A"), realisasi("B", 90, 80, 50)],
             [indikator("A", 100, 90), indikator("B", 100, 80)], parameter())
    h = per_kode(compute_period(d, 2023, 4))
    assert [(h[k]["kelompok"], h[k]["peringkat"], h[k]["peringkat_umum"]) for k in "AB"] == [(None, 1, 1), (None, 2, 2)]


# --- extra components -------------------------------------------------------------------------

BOBOT_SAKIP = [("Serapan Anggaran", 20), ("Realisasi Fisik", 20), ("Capaian Kinerja Program", 40), ("P3DN", 10),
               ("Nilai SAKIP", 10)]


def test_an_extra_component_weighted_counts_from_its_realisasi_column():
    # A: 0.2·100 + 0.2·100 + 0.4·90 + 0.1·100 + 0.1·80 = 20 + 20 + 36 + 10 + 8 = 94
    # B without P3DN target: (20·60 + 20·60 + 40·50 + 10·70) / 90 = 5100 / 90 = 56.67
    # C scores 120 on a 0–100 scale: clamped to BatasCapaian 100 → 20 + 20 + 40 + 10 + 10 = 100
    d = buku([("A", None), ("B", None), ("C", None)],
             [(*realisasi("A"), 80), (*realisasi("B", 60, 60, None), "70"), (*realisasi("C"), 120)],
             [indikator("A", 100, 90), indikator("B", 100, 50), indikator("C")], parameter(BOBOT_SAKIP),
             extra_headers=("Nilai SAKIP",))
    h = per_kode(compute_period(d, 2023, 4))
    assert h["A"]["indeks"] == pytest.approx(94.0)
    assert h["B"]["indeks"] == pytest.approx(5100 / 90)
    assert h["C"]["indeks"] == pytest.approx(100.0)
    assert {k: h[k]["komponen_lain"] for k in "ABC"} == {"A": {"Nilai SAKIP": 80.0}, "B": {"Nilai SAKIP": 70.0},
                                                        "C": {"Nilai SAKIP": 100.0}}


def test_an_extra_component_weighted_0_needs_no_data_and_changes_nothing():
    bobot = [*BAKU, ("Penanganan Pengaduan", 0)]
    d = buku([("A", None), ("B", None)], [(*realisasi("A"), 40), realisasi("B", 90, 80, 50)],
             [indikator("A", 100, 90), indikator("B", 100, 80)], parameter(bobot),
             extra_headers=("Penanganan Pengaduan",))
    r = compute_period(d, 2023, 4)
    h = per_kode(r)
    assert r.masalah == [] and h["A"]["indeks"] == pytest.approx(95.0) and h["B"]["indeks"] == pytest.approx(79.0)
    assert h["A"]["komponen_lain"] == {"Penanganan Pengaduan": 40.0}
    assert h["B"]["komponen_lain"] == {"Penanganan Pengaduan": None}  # blank: shown as null, never required


def test_a_missing_extra_score_is_a_galat_on_its_cell_and_a_missing_column_unusable():
    d = buku([("A", None), ("B", None)], [(*realisasi("A"), 80), (*realisasi("B"), None)],
             [indikator("A"), indikator("B")], parameter(BOBOT_SAKIP), extra_headers=("Nilai SAKIP",))
    r = compute_period(d, 2023, 4)
    [m] = r.masalah
    assert (m.tingkat, m.lokasi, m.kode) == ("galat", "Realisasi!K3", "B") and "Nilai SAKIP kosong" in m.pesan
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]
    with pytest.raises(UnusableWorkbook) as e:
        buku([("A", None)], [realisasi("A")], [indikator("A")], parameter(BOBOT_SAKIP))
    assert "Kolom 'Nilai SAKIP' tidak ditemukan di sheet 'Realisasi'" in str(e.value)


def test_a_standard_component_weighted_0_needs_no_data():
    # P3DN dropped: weights 25/25/50/0; Realisasi Fisik blank with Fisik weighted 0 is no problem either
    bobot = [("Serapan Anggaran", 50), ("Realisasi Fisik", 0), ("Capaian Kinerja Program", 50), ("P3DN", 0)]
    d = buku([("A", None)], [(2023, 4, "A", 1000.0, 800.0, 720.0, None, None, None, None)],
             [indikator("A", 100, 80)], parameter(bobot))
    r = compute_period(d, 2023, 4)
    assert r.masalah == []
    assert per_kode(r)["A"]["indeks"] == pytest.approx(0.5 * 90 + 0.5 * 80)


def test_an_extra_label_that_is_a_realisasi_header_is_refused():
    with pytest.raises(UnusableWorkbook) as e:
        buku([("A", None)], [realisasi("A")], [indikator("A")], parameter([*BAKU[:3], ("P3DN", 0), ("Pagu Anggaran", 10)]))
    assert "bernama sama dengan kolom Realisasi" in str(e.value) and "Parameter!A6" in str(e.value)


# --- Ketepatan Waktu --------------------------------------------------------------------------

BOBOT_TEPAT = [("Serapan Anggaran", 20), ("Realisasi Fisik", 20), ("Capaian Kinerja Program", 40), ("P3DN", 10),
               ("Ketepatan Waktu", 10)]
JADWAL = [(2023, 4, dt.datetime(2024, 1, 15))]


def tepat_waktu(diterima: dict, jadwal=JADWAL, **tunggal):
    kode = list(diterima)
    return buku([(k, None) for k in kode], [(*realisasi(k), diterima[k]) for k in kode],
                [indikator(k, 100, 90) for k in kode], parameter(BOBOT_TEPAT, jadwal=jadwal, **tunggal),
                extra_headers=("Tanggal Diterima",))


def test_late_by_0_1_and_11_days():
    # deadline 15 Jan 2024; PenguranganPerHari 10: on the day (even at 23:00) 100, a day late 90, 11 days → 0
    d = tepat_waktu({"A": dt.datetime(2024, 1, 15, 23, 0), "B": "16/01/2024", "C": "26 Januari 2024",
                     "D": dt.datetime(2024, 1, 10)})
    h = per_kode(compute_period(d, 2023, 4))
    assert {k: h[k]["ketepatan_waktu"] for k in "ABCD"} == {"A": 100.0, "B": 90.0, "C": 0.0, "D": 100.0}
    # A: 20 + 20 + 0.4·90 + 10 + 0.1·100 = 96; B: 86 + 9 = 95; C: 86 + 0 = 86
    assert (h["A"]["indeks"], h["B"]["indeks"], h["C"]["indeks"]) == pytest.approx((96.0, 95.0, 86.0))


def test_pengurangan_per_hari_is_a_parameter():
    h = per_kode(compute_period(tepat_waktu({"A": "18/01/2024"}, PenguranganPerHari=5), 2023, 4))
    assert h["A"]["ketepatan_waktu"] == 85.0  # 3 days × 5


def test_a_missing_received_date_is_a_galat_on_its_cell():
    r = compute_period(tepat_waktu({"A": "15/01/2024", "B": None}), 2023, 4)
    [m] = r.masalah
    assert (m.lokasi, m.kode) == ("Realisasi!K3", "B") and "Tanggal Diterima kosong" in m.pesan
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]


def test_a_missing_deadline_is_a_galat_and_no_opd_is_ranked():
    r = compute_period(tepat_waktu({"A": "15/01/2024"}, jadwal=[(2023, 3, "15/10/2023")]), 2023, 4)
    [m] = r.masalah
    assert m.tingkat == "galat" and m.sheet == "Parameter" and "Batas Pengumpulan TW IV 2023 belum ada" in m.pesan
    assert r.as_dict()["hasil"] == [] and list(r.unranked["kode"]) == ["A"]


def test_a_period_twice_in_jadwal_is_refused_in_the_period_words_used_everywhere():
    with pytest.raises(UnusableWorkbook) as e:
        tepat_waktu({"A": "15/01/2024"}, jadwal=[*JADWAL, (2023, 4, "20/01/2024")])
    assert "Tabel Jadwal memuat TW IV 2023 lebih dari sekali" in str(e.value)


def test_ketepatan_weighted_0_is_null_and_needs_no_dates():
    d = buku([("A", None)], [realisasi("A")], [indikator("A", 100, 90)], parameter([*BAKU, ("Ketepatan Waktu", 0)]))
    r = compute_period(d, 2023, 4)
    assert r.masalah == [] and per_kode(r)["A"]["ketepatan_waktu"] is None


# --- rank stability ---------------------------------------------------------------------------

def test_rank_stability_ranks_within_groups_and_perturbs_extra_components():
    from indeks_opd.core.stability import rank_stability

    r = compute_period(dua_kelompok(), 2023, 4)
    s = rank_stability(r.hasil, r.parameter.bobot, undian=200, benih=5).set_index("kode")
    assert (s.loc["A", "peringkat_p95"], s.loc["E", "peringkat_p95"]) == (1, 1)  # each leads its own group
    # X and Y equal on the four standard components; SAKIP (weight 10) alone separates them: X stays first
    # in every draw only if SAKIP is part of the perturbed index (weight never 0 in a draw: 10 ± 5)
    d = buku([("X", None), ("Y", None)], [(*realisasi("X"), 90), (*realisasi("Y"), 60)],
             [indikator("X", 100, 90), indikator("Y", 100, 90)], parameter(BOBOT_SAKIP), extra_headers=("Nilai SAKIP",))
    r = compute_period(d, 2023, 4)
    s = rank_stability(r.hasil, r.parameter.bobot, undian=200, benih=5).set_index("kode")
    assert s["peringkat_p5"].to_dict() == {"X": 1, "Y": 2} and s["peringkat_p95"].to_dict() == {"X": 1, "Y": 2}


# --- the defaults stay Kota Magelang's; the second sample ---------------------------------------

def test_a_neutral_scheme_gives_the_same_outputs_as_the_default_one(tmp_path):
    """An explicit Ketepatan Waktu 0, an empty Kelompok column and an empty Tanggal Diterima column change no
    result and no byte of Peringkat, Riwayat, Masalah or the JSON."""
    import copy
    from datetime import datetime

    from indeks_opd.contract.output_sheets import build_outputs
    from indeks_opd.core.parameter import Parameter
    from indeks_opd.files.reader import read_workbook
    from indeks_opd.files.sample import sample_rows, write_contract_workbook

    plain = read_workbook(write_contract_workbook(tmp_path / "a.xlsx", sample_rows()))
    rows = copy.deepcopy(sample_rows())
    rows["OPD"] = [[*r, "Kelompok" if i == 0 else None] for i, r in enumerate(rows["OPD"])]
    rows["Realisasi"] = [[*r, "Tanggal Diterima" if i == 0 else None] for i, r in enumerate(rows["Realisasi"])]
    bobot = {**Parameter().bobot, "ketepatan": 0.0}
    neutral = read_workbook(write_contract_workbook(tmp_path / "b.xlsx", rows, Parameter(bobot=bobot)))
    t = datetime(2023, 1, 9, 8, 5)
    for tw in (3, 4):
        a, b = compute_period(plain, 2022, tw), compute_period(neutral, 2022, tw)
        assert a.as_dict() == b.as_dict()
        out_a, out_b = build_outputs(a, plain, t), build_outputs(b, neutral, t)
        for name in ("Peringkat", "Riwayat", "Masalah"):
            assert out_a.sheet(name) == out_b.sheet(name)


def test_the_bundled_kelompok_sample_is_what_its_module_builds_and_ranks_per_group(tmp_path):
    from indeks_opd.files.reader import read_workbook
    from indeks_opd.files.sample_kelompok import kelompok_sample_path, write_kelompok_sample
    from test_sample import cells

    assert cells(kelompok_sample_path()) == cells(write_kelompok_sample(tmp_path / "k.xlsx"))
    d = read_workbook(kelompok_sample_path())
    r = compute_period(d, 2022, 4)
    assert not r.sementara and r.masalah == []
    hasil = r.as_dict()["hasil"]
    assert {x["kelompok"] for x in hasil} == {"Dinas/Badan", "Kecamatan"}
    assert all(x["ketepatan_waktu"] is not None and set(x["komponen_lain"]) == {"Nilai SAKIP"} for x in hasil)
    for g in ("Dinas/Badan", "Kecamatan"):
        ranks = [x["peringkat"] for x in hasil if x["kelompok"] == g]
        assert ranks[0] == 1 and ranks == sorted(ranks)
        assert sum(x["terendah"] for x in hasil if x["kelompok"] == g) >= 3
    kecamatan_prizes = sorted((x["hadiah"] for x in hasil if x["kelompok"] == "Kecamatan"), reverse=True)[:2]
    assert kecamatan_prizes == [2_500_000, 1_500_000]  # the Kecamatan rows of the Hadiah table
    assert sorted(x["peringkat_umum"] for x in hasil) == list(range(1, len(hasil) + 1))  # no ties in the sample


def test_the_annual_recap_and_the_reports_rank_per_group(tmp_path):
    """Rapor of the second sample: the year is ranked per group, each OPD's card gives both ranks, the components
    (SAKIP and Ketepatan Waktu included) add up to the index, and the Kecamatan's prize comes from its own rows."""
    import json

    from conftest import run_cli
    from indeks_opd.files.sample_kelompok import kelompok_sample_path

    r = run_cli("rapor", kelompok_sample_path(), "--keluaran", tmp_path, "--json", "--undian", "20")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    kec = next(x for x in doc["rapor"] if x["kode"] == "7.01")
    assert kec["kelompok"] == "Kecamatan" and kec["peringkat"] == 1 and kec["peringkat_umum"] > 1
    assert [k["komponen"] for k in kec["komponen"]] == ["serapan", "fisik", "cakin", "p3dn", "Nilai SAKIP", "ketepatan"]
    assert sum(k["kontribusi"] for k in kec["komponen"]) == pytest.approx(kec["indeks"])
    tahunan = doc["tahunan"]["hasil"]
    for g in ("Dinas/Badan", "Kecamatan"):
        assert [x["peringkat"] for x in tahunan if x["kelompok"] == g][0] == 1
    from test_rapor import pdf_text

    rakorpok = " ".join(pdf_text(doc["berkas"]["rakorpok"]).split())
    assert "Nilai SAKIP 10, Ketepatan Waktu 10" in rakorpok and "per kelompok (Dinas/Badan, Kecamatan)" in rakorpok
    assert "Kecamatan Sukamaju (kelompok Kecamatan)" in rakorpok
    # one ranking chart and one ranking table per group, in the groups' order (docs/rapor.md)
    from test_rapor import pdf_images

    assert pdf_images(Path(doc["berkas"]["rakorpok"])) == 2
    tabel = rakorpok.split("Tabel peringkat dan pergerakan")[1].split("Pergerakan sejak")[0]
    dinas, kecamatan = tabel.split("Kelompok Dinas/Badan")[1].split("Kelompok Kecamatan")
    assert "Dinas Perhubungan" in dinas and "Kecamatan" not in dinas
    assert kecamatan.count("Kecamatan ") == 5 and "Dinas" not in kecamatan
    # the report workbook's Rakorpok sheet names each OPD's group and overall rank next to its group rank
    import openpyxl

    ws = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])["Rakorpok"]
    judul = [c.value for c in ws[5]]
    assert judul[-2:] == ["Kelompok", "Peringkat Umum"]
    kartu_opd = {x["kode"]: (x["peringkat"], x["kelompok"], x["peringkat_umum"]) for x in doc["rapor"]}
    baris = {r[1]: (r[0], r[-2], r[-1]) for r in ws.iter_rows(min_row=6, values_only=True) if r[1] in kartu_opd}
    assert baris == kartu_opd and len(baris) == 23
    kartu = " ".join(pdf_text(doc["berkas"]["rapor"]["7.01"]).split())
    assert "peringkat umum" in kartu and "kelompok Kecamatan" in kartu and "Nilai SAKIP" in kartu
    tahun_kec = next(x for x in tahunan if x["kode"] == "7.01")  # the year's rank is within the group of 5
    assert f"peringkat {tahun_kec['peringkat']} dari 5 OPD kelompok Kecamatan" in kartu
    # the year's recap and the stability appendix rank per group too: each OPD says its group
    rekap_tahunan = rakorpok.split("Rekap tahunan 2022")[1].split("Lampiran")[0]
    assert "Sukamaju (kelompok Kecamatan)" in rekap_tahunan and "Rata-rata semua OPD" in rekap_tahunan
    assert "Sukamaju (kelompok Kecamatan)" in rakorpok.split("Lampiran: angka kestabilan")[1]
    ws = openpyxl.load_workbook(doc["berkas"]["buku_kerja"])["Rekap Tahunan"]
    assert ws["N5"].value == "Kelompok"
    assert {ws.cell(i, 2).value: ws.cell(i, 14).value for i in range(6, 29) if ws.cell(i, 2).value}["7.01"] == "Kecamatan"
