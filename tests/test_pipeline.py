"""compute_period end to end on contract sheets: results, ties, redistribution and every kind of bad row."""

import math

import pytest

from helpers import data, indikator, opd, parameter_rows, realisasi
from indeks_opd.core import compute_period
from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.core.parameter import Kategori, Parameter


def hasil_per_kode(r):
    return {row["kode"]: row for row in r.as_dict()["hasil"]}


def four_opd(**ubah):
    """Four OPDs with hand-picked capaian; ``ubah`` replaces the Realisasi row of a code."""
    rows = {
        "A": realisasi("A", 100, 100, 100),  # 0.2·100 + 0.2·100 + 0.5·90 + 0.1·100 = 95
        "B": realisasi("B", 90, 80, 50),     # 18 + 16 + 0.5·80 + 5 = 79
        "C": realisasi("C", 60, 60, None),   # (20·60 + 20·60 + 50·50) / 90 = 4900/90 = 54.44…
        "D": realisasi("D", 50, 40, 0),      # 10 + 8 + 0.5·30 + 0 = 33
    }
    rows.update(ubah)
    return data(
        [opd(k) for k in "ABCD"],
        list(rows.values()),
        [indikator("A", 100, 90), indikator("B", 100, 80), indikator("C", 100, 50), indikator("D", 100, 30)],
    )


def test_complete_period():
    r = compute_period(four_opd(), 2023, 4)
    assert not r.sementara and r.masalah == []
    h = r.as_dict()["hasil"]
    assert [x["kode"] for x in h] == ["A", "B", "C", "D"]
    assert [x["peringkat"] for x in h] == [1, 2, 3, 4]
    assert [x["indeks"] for x in h] == pytest.approx([95.0, 79.0, 4900 / 90, 33.0])
    assert [x["kategori"] for x in h] == ["Sangat Tinggi", "Tinggi", "Rendah", "Sangat Rendah"]
    assert [x["zona"] for x in h] == ["Hijau", "Hijau", "Kuning", "Merah"]
    assert [x["hadiah"] for x in h] == [5_000_000, 3_000_000, 1_000_000, 0]
    assert [x["terendah"] for x in h] == [False, True, True, True]  # JumlahTerendah 3 of 4
    assert h[2]["p3dn"] is None and h[3]["p3dn"] == 0.0


def test_tie_at_rank_one_shares_first_and_second_prize():
    # A and B: 20 + 20 + 0.5·90 + 10 = 95 each; C: 10 + 10 + 25 + 5 = 50
    d = data([opd(k) for k in "ABC"], [realisasi("A"), realisasi("B"), realisasi("C", 50, 50, 50)],
             [indikator("A", 100, 90), indikator("B", 100, 90), indikator("C", 100, 50)])
    r = compute_period(d, 2023, 4)
    h = hasil_per_kode(r)
    assert h["A"]["peringkat"] == h["B"]["peringkat"] == 1 and h["C"]["peringkat"] == 3
    assert h["A"]["hadiah"] == h["B"]["hadiah"] == 4_000_000 and h["C"]["hadiah"] == 1_000_000


def test_ranking_uses_the_index_rounded_to_two_decimals():
    # A: cakin 90.004 → index 95.002 → 95.00; B: cakin 90.0 → 95.00: equal as users see them, so tied
    d = data([opd("A"), opd("B")], [realisasi("A"), realisasi("B")],
             [indikator("A", 100, 90.004), indikator("B", 100, 90.0)])
    h = hasil_per_kode(compute_period(d, 2023, 4))
    assert h["A"]["indeks"] > h["B"]["indeks"]
    assert h["A"]["peringkat"] == h["B"]["peringkat"] == 1
    assert [x["kode"] for x in compute_period(d, 2023, 4).as_dict()["hasil"]] == ["A", "B"]  # then by name


def test_turun_indicator_and_weighted_cakin():
    # indicator 1 Naik 80/100 = 80 (bobot 1); indicator 2 Turun T=40 R=50: (80−50)/40 = 75 (bobot 3)
    # cakin = (80 + 3·75)/4 = 76.25; index = 20 + 20 + 0.5·76.25 + 10 = 88.125
    d = data([opd("A")], [realisasi("A")],
             [indikator("A", 100, 80, bobot=1), indikator("A", 40, 50, "turun", bobot=3, nama="Kecelakaan")])
    h = hasil_per_kode(compute_period(d, 2023, 4))["A"]
    assert h["cakin"] == pytest.approx(76.25) and h["indeks"] == pytest.approx(88.125)


def test_clamping_with_a_higher_batas_capaian():
    # BatasCapaian 120: serapan 8·110/800 → 110 (not 100), indicator 130 % → 120
    p = Parameter(batas_capaian=120.0)
    d = data([opd("A")], [realisasi("A", 110, 100, 100)], [indikator("A", 100, 130)], parameter_rows(p))
    h = hasil_per_kode(compute_period(d, 2023, 4))["A"]
    assert h["serapan"] == pytest.approx(110.0) and h["cakin"] == pytest.approx(120.0)
    # 0.2·110 + 0.2·100 + 0.5·120 + 0.1·100 = 22 + 20 + 60 + 10 = 112
    assert h["indeks"] == pytest.approx(112.0)


def test_sementara_withholds_prizes_and_excludes_the_blocked_opd():
    d = four_opd(B=(2023, 4, "B", 1000.0, 800.0, None, 80.0, 64.0, 200.0, 100.0))  # Realisasi Keuangan blank
    r = compute_period(d, 2023, 4)
    assert r.sementara and r.prizes_withheld
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A", "C", "D"]
    assert all(x["hadiah"] == 0 for x in r.as_dict()["hasil"])
    assert list(r.unranked["kode"]) == ["B"]
    [m] = r.masalah
    assert (m.tingkat, m.lokasi, m.kode) == ("galat", "Realisasi!F3", "B")
    assert "Realisasi Keuangan kosong" in m.pesan


def test_sementara_prizes_when_explicitly_allowed():
    d = data([opd("A"), opd("B")], [realisasi("A"), (2023, 4, "B", 1000.0, 800.0, -1.0, 80.0, 64.0, None, None)],
             [indikator("A"), indikator("B")], parameter_rows(Parameter(izinkan_hadiah_sementara=True)))
    r = compute_period(d, 2023, 4)
    assert r.sementara and not r.prizes_withheld
    assert r.as_dict()["hasil"][0]["hadiah"] == 5_000_000


def galat_of(d, kode=None):
    r = compute_period(d, 2023, 4)
    return [m for m in r.masalah if m.tingkat == "galat" and (kode is None or m.kode == kode)], r


@pytest.mark.parametrize("row, lokasi, fragment", [
    ((2023, 4, "B", 1000.0, 800.0, "banyak", 80.0, 64.0, None, None), "Realisasi!F3", "tidak terbaca sebagai angka"),
    ((2023, 4, "B", 1000.0, 800.0, -5.0, 80.0, 64.0, None, None), "Realisasi!F3", "negatif"),
    ((2023, 4, "B", 1000.0, 800.0, 1200.0, 80.0, 64.0, None, None), "Realisasi!F3", "melebihi Pagu Anggaran"),
    ((2023, 4, "B", 1000.0, 1100.0, 900.0, 80.0, 64.0, None, None), "Realisasi!E3", "Target Keuangan (1.100) melebihi"),
    ((2023, 4, "B", 1000.0, 800.0, 700.0, 80.0, 101.0, None, None), "Realisasi!H3", "melebihi 100%"),
    ((2023, 4, "B", 1000.0, 0.0, 0.0, 80.0, 64.0, None, None), "Realisasi!E3", "Target Keuangan 0"),
    ((2023, 4, "B", 1000.0, 800.0, 700.0, 0.0, 0.0, None, None), "Realisasi!G3", "Target Fisik 0"),
    ((2023, 4, "B", 1000.0, 800.0, 700.0, 80.0, 64.0, 200.0, None), "Realisasi!J3", "Realisasi P3DN kosong"),
    ((2023, 4, "B", None, 800.0, 700.0, 80.0, 64.0, None, None), "Realisasi!D3", "Pagu Anggaran kosong"),
    ((2023, 4, "B", 1000.0, 800.0, "=E3*0,9", 80.0, 64.0, None, None), "Realisasi!F3", "tampak seperti rumus"),
])
def test_bad_realisasi_rows_block_their_opd_with_a_located_message(row, lokasi, fragment):
    d = data([opd("A"), opd("B")], [realisasi("A"), row], [indikator("A"), indikator("B")])
    masalah, r = galat_of(d, "B")
    assert [m.lokasi for m in masalah] == [lokasi], [str(m) for m in masalah]
    assert fragment in masalah[0].pesan
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]


@pytest.mark.parametrize("row, lokasi, fragment", [
    ((2023, 4, "B", "P", "I", "%", "Menurun", 10.0, 5.0, None), "Indikator!G3", "Arah 'Menurun' tidak dikenal"),
    ((2023, 4, "B", "P", "I", "%", "Naik", 0.0, 5.0, None), "Indikator!H3", "Target 0"),
    ((2023, 4, "B", "P", "I", "%", "Turun", 0.0, 2.0, None), "Indikator!H3", "Target 0"),
    ((2023, 4, "B", "P", "I", "%", "Naik", 10.0, None, None), "Indikator!I3", "Realisasi indikator kosong"),
    ((2023, 4, "B", "P", "I", "%", "Naik", 10.0, -1.0, None), "Indikator!I3", "negatif"),
    ((2023, 4, "B", "P", "I", "%", "Naik", "sepuluh", 5.0, None), "Indikator!H3", "tidak terbaca"),
])
def test_bad_indikator_rows_block_their_opd(row, lokasi, fragment):
    d = data([opd("A"), opd("B")], [realisasi("A"), realisasi("B")], [indikator("A"), row])
    masalah, r = galat_of(d, "B")
    assert [m.lokasi for m in masalah] == [lokasi], [str(m) for m in masalah]
    assert fragment in masalah[0].pesan


def test_turun_with_zero_target_and_zero_realisasi_scores_100():
    d = data([opd("A")], [realisasi("A")], [indikator("A", 0.0, 0.0, "Turun")])
    r = compute_period(d, 2023, 4)
    assert not r.sementara and r.as_dict()["hasil"][0]["cakin"] == 100.0


def test_partially_filled_bobot_is_a_problem():
    d = data([opd("A")], [realisasi("A")], [indikator("A", bobot=2), indikator("A", nama="B", bobot=None)])
    masalah, _ = galat_of(d, "A")
    assert [m.lokasi for m in masalah] == ["Indikator!J3"]


def test_opd_without_indicators_or_realisasi():
    d = data([opd("A"), opd("B"), opd("C")], [realisasi("A"), realisasi("B")], [indikator("A"), indikator("C")])
    masalah, r = galat_of(d)
    assert {(m.kode, m.sheet) for m in masalah} == {("B", "Indikator"), ("C", "Realisasi")}
    assert "belum punya indikator" in next(m.pesan for m in masalah if m.kode == "B")
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]


def test_duplicate_realisasi_rows_block_the_opd():
    d = data([opd("A"), opd("B")], [realisasi("A"), realisasi("B"), realisasi("B", 50)],
             [indikator("A"), indikator("B")])
    masalah, r = galat_of(d, "B")
    assert [m.lokasi for m in masalah] == ["Realisasi!C3", "Realisasi!C4"]
    assert "lebih dari sekali" in masalah[0].pesan


def test_unknown_code_is_a_warning_and_not_scored():
    d = data([opd("A")], [realisasi("A"), realisasi("Z")], [indikator("A"), indikator("Z")])
    r = compute_period(d, 2023, 4)
    assert not r.sementara
    assert [(m.tingkat, m.lokasi) for m in r.masalah] == [("peringatan", "Realisasi!C3"), ("peringatan", "Indikator!C3")]
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]


def test_inactive_opd_is_ignored_even_with_bad_rows():
    d = data([opd("A"), opd("B", aktif="Tidak")], [realisasi("A"), (2023, 4, "B", 1, "x", -1, 1, 1, 1, 1)],
             [indikator("A")])
    r = compute_period(d, 2023, 4)
    assert not r.sementara and r.masalah == []
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]


def test_many_periods_in_one_data_set():
    d = data([opd("A"), opd("B")],
             [realisasi("A", tw=3), realisasi("B", 50, tw=3), realisasi("A", 50), realisasi("B")],
             [indikator(k, tw=tw) for k in "AB" for tw in (3, 4)])
    assert d.periods() == [(2023, 3), (2023, 4)]
    assert compute_period(d, 2023, 3).as_dict()["hasil"][0]["kode"] == "A"
    assert compute_period(d, 2023, 4).as_dict()["hasil"][0]["kode"] == "B"


def test_problems_of_other_periods_do_not_make_this_one_provisional():
    d = data([opd("A")], [realisasi("A"), (2023, 3, "A", 1000.0, 800.0, -1.0, 80.0, 64.0, None, None)],
             [indikator("A"), indikator("A", tw=3)])
    assert not compute_period(d, 2023, 4).sementara
    assert compute_period(d, 2023, 3).sementara


def test_period_without_data():
    d = data([opd("A")], [realisasi("A")], [indikator("A")])
    r = compute_period(d, 2024, 1)
    assert r.sementara and r.as_dict()["hasil"] == []
    assert r.masalah[0].pesan.startswith("Tidak ada data TW I 2024 di sheet Realisasi maupun Indikator. "
                                         "Periode yang ada datanya: TW IV 2023.")


def test_row_without_period_is_a_problem_for_every_period():
    d = data([opd("A")], [realisasi("A"), (None, 4, "A", 1, 1, 1, 1, 1, None, None)], [indikator("A")])
    r = compute_period(d, 2023, 4)
    assert r.sementara
    assert [m.lokasi for m in r.masalah] == ["Realisasi!A3"]


@pytest.mark.parametrize("p, fragment", [
    (Parameter(bobot={"serapan": 20, "fisik": 20, "cakin": 49, "p3dn": 10}), "Jumlah bobot = 99"),
    (Parameter(kategori=(Kategori("Tinggi", 60, "#00B050", "Hijau"), Kategori("Sangat Tinggi", 90, "#00B050",
                                                                              "Hijau"))), "menurun"),
    (Parameter(batas_capaian=90.0), "BatasCapaian"),
])
def test_invalid_parameters_make_the_workbook_unusable(p, fragment):
    with pytest.raises(UnusableWorkbook) as e:
        data([opd("A")], [realisasi("A")], [indikator("A")], parameter_rows(p))
    assert any(fragment in m.pesan for m in e.value.masalah), [str(m) for m in e.value.masalah]


def test_no_category_left_for_low_indices_is_invalid():
    p = Parameter(kategori=(Kategori("Baik", 50, "#00B050", "Hijau"),))
    with pytest.raises(UnusableWorkbook) as e:
        data([opd("A")], [realisasi("A")], [indikator("A")], parameter_rows(p))
    assert "berbatas bawah 0" in str(e.value)


def test_nan_never_reaches_the_json():
    r = compute_period(four_opd(), 2023, 4)
    for row in r.as_dict()["hasil"]:
        assert not any(isinstance(v, float) and math.isnan(v) for v in row.values())


def test_an_opd_left_with_no_weight_to_use_is_told_why():
    """Only P3DN weighted, and one OPD has no P3DN target: its index is undefined, and the message names the cause."""
    p = Parameter(bobot={"serapan": 0, "fisik": 0, "cakin": 0, "p3dn": 100})
    r = compute_period(data(
        [opd("A"), opd("C")], [realisasi("A", 100, 100, 100), realisasi("C", 60, 60, None)],
        [indikator("A", 100, 90), indikator("C", 100, 50)], parameter_rows(p)), 2023, 4)
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]
    [m] = [m for m in r.masalah if m.kode == "C"]
    assert m.blocking and "Indeks OPD C tidak dapat dihitung: semua bobot komponen yang berlaku untuknya bernilai 0" \
        in m.pesan
    assert "Serapan Anggaran 0, Realisasi Fisik 0, Capaian Kinerja Program 0" in m.pesan
    assert "P3DN tidak berlaku untuk OPD ini karena tidak punya target P3DN" in m.pesan and "tabel Bobot" in m.pesan
