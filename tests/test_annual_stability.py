"""Annual recap and rank stability: hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indeks_opd.core.annual import annual_recap
from indeks_opd.core.parameter import Parameter
from indeks_opd.core.stability import draw_ranks, perturbed_weights, rank_stability


def riwayat(rows):
    return pd.DataFrame(rows, columns=["tahun", "triwulan", "kode", "nama", "indeks", "sementara"])


# A: 80 90 70 100 (mean 85), B: 90 x4 (mean 90), C: 60 - 90 90 (TW II missing, mean 80)
QUARTERLY = riwayat(
    [(2023, q, "A", "Alfa", v, False) for q, v in zip((1, 2, 3, 4), (80, 90, 70, 100))]
    + [(2023, q, "B", "Beta", 90.0, False) for q in (1, 2, 3, 4)]
    + [(2023, q, "C", "Gama", v, False) for q, v in zip((1, 3, 4), (60, 90, 90))]
    + [(2022, 4, "A", "Alfa", 10.0, True)]  # another year: ignored
)


def by_kode(hasil):
    return {r.kode: r for r in hasil.itertuples(index=False)}


def test_mean_rule_averages_available_quarters_and_is_provisional_when_one_is_missing():
    r = annual_recap(QUARTERLY, 2023, Parameter(aturan_tahunan="Rata-rata"))
    h = by_kode(r.hasil)
    assert list(r.hasil["kode"]) == ["B", "A", "C"]
    assert (h["B"].indeks, h["A"].indeks, h["C"].indeks) == (90.0, 85.0, 80.0)
    assert (h["B"].peringkat, h["A"].peringkat, h["C"].peringkat) == (1, 2, 3)
    assert h["C"].triwulan_kurang == (2,) and h["C"].jumlah_triwulan == 3
    assert r.sementara and r.prizes_withheld
    assert list(r.hasil["hadiah"]) == [0, 0, 0]
    assert r.kota["tw2"] == 90.0 and r.kota["tw1"] == pytest.approx(230 / 3)
    assert r.kota["tahun"] == pytest.approx(85.0)


def test_mean_rule_pays_prizes_when_provisional_prizes_are_allowed():
    r = annual_recap(QUARTERLY, 2023, Parameter(aturan_tahunan="Rata-rata", izinkan_hadiah_sementara=True))
    assert r.sementara and not r.prizes_withheld
    assert list(r.hasil["hadiah"]) == [5_000_000, 3_000_000, 1_000_000]


def test_tw4_rule_uses_tw4_and_shares_tied_prizes():
    r = annual_recap(QUARTERLY, 2023, Parameter(aturan_tahunan="TW IV"))
    h = by_kode(r.hasil)
    assert not r.sementara  # TW II of C is not needed by this rule
    assert h["A"].indeks == 100.0 and h["A"].peringkat == 1 and h["A"].hadiah == 5_000_000
    assert h["B"].peringkat == h["C"].peringkat == 2
    assert h["B"].hadiah == h["C"].hadiah == 2_000_000  # (3 + 1) / 2 juta
    assert list(r.hasil["kode"]) == ["A", "B", "C"]
    assert list(r.hasil["kategori"]) == ["Sangat Tinggi", "Tinggi", "Tinggi"]


def test_tw4_rule_leaves_out_opd_without_tw4_and_marks_provisional():
    data = pd.concat([QUARTERLY, riwayat([(2023, 1, "D", "Delta", 99.0, False)])])
    r = annual_recap(data, 2023, Parameter())
    assert list(r.unranked["kode"]) == ["D"] and r.unranked["triwulan_kurang"][0] == (2, 3, 4)
    assert "D" not in set(r.hasil["kode"]) and r.sementara


def test_provisional_quarter_makes_recap_provisional_only_if_used():
    data = QUARTERLY.copy()
    data.loc[(data["tahun"] == 2023) & (data["triwulan"] == 1), "sementara"] = True
    assert not annual_recap(data, 2023, Parameter(aturan_tahunan="TW IV")).sementara
    mean = riwayat([(2023, q, k, k, 80.0 + i, q == 1) for q in (1, 2, 3, 4) for i, k in enumerate("XY")])
    assert annual_recap(mean, 2023, Parameter(aturan_tahunan="Rata-rata")).sementara


def test_annual_mean_uses_unrounded_indices():
    # 80.004 + 80.004 + 80.004 + 80.004 → 80.004 → 80,00; rounding each first would give the same,
    # but 80.005 ×2 and 80.004 ×2 → 80.0045 → 80,00 while rounded quarters (80,01 ×2, 80,00 ×2) → 80,005 → 80,01
    data = riwayat([(2023, q, "A", "A", v, False) for q, v in zip((1, 2, 3, 4), (80.005, 80.005, 80.004, 80.004))])
    r = annual_recap(data, 2023, Parameter(aturan_tahunan="Rata-rata"))
    assert r.hasil["indeks"][0] == pytest.approx(80.0045) and r.hasil["indeks_bulat"][0] == 80.0


def komponen(rows):
    return pd.DataFrame(rows, columns=["kode", "nama", "peringkat", "serapan", "fisik", "cakin", "p3dn"])


BOBOT = Parameter().bobot


def test_weights_sum_to_100_stay_near_the_parameter_and_are_reproducible():
    w = perturbed_weights(BOBOT, 500, benih=7)
    assert w.shape == (500, 4)
    assert np.allclose(w.sum(axis=1), 100.0) and (w >= 0).all()
    base = np.array([20, 20, 50, 10])
    # ±5 points before renormalisation: the extremes are 50 − 5 of 100 − 20 and 50 + 5 of 100 + 20
    assert (w[:, 2] > 45 / 120 * 100).all() and (w[:, 2] < 55 / 80 * 100).all()
    assert np.allclose(w.mean(axis=0), base, atol=0.6)  # centred on the parameter
    assert (np.abs(w - base).max(axis=0) > 3).all()  # and they do move
    assert np.array_equal(w, perturbed_weights(BOBOT, 500, benih=7))
    assert not np.array_equal(w, perturbed_weights(BOBOT, 500, benih=8))


def test_clear_leader_is_first_in_every_draw():
    t = komponen([("A", "A", 1, 100, 100, 100, 100), ("B", "B", 2, 70, 80, 75, 60), ("C", "C", 3, 60, 50, 70, math.nan)])
    s = rank_stability(t, BOBOT, undian=300, benih=1)
    a = s.iloc[0]
    assert (a.peringkat_median, a.peringkat_p5, a.peringkat_p95, a.porsi_tiga_besar) == (1, 1, 1, 1.0)
    assert s["porsi_tiga_besar"].tolist() == [1.0, 1.0, 1.0]  # only three OPDs


def test_two_opds_001_apart_swap_often_and_figures_repeat_with_the_same_seed():
    # X = 20 + 20 + 40 + 8 = 88,00 ; Y = 16 + 16 + 45,99 + 10 = 87,99
    t = komponen([("X", "X", 1, 100, 100, 80, 80), ("Y", "Y", 2, 80, 80, 91.98, 100),
                  ("Z", "Z", 3, 50, 50, 50, 50), ("W", "W", 4, 40, 40, 40, 40)])
    s = rank_stability(t, BOBOT, undian=400, benih=3)
    x, y = s.iloc[0], s.iloc[1]
    assert (x.peringkat_p5, x.peringkat_p95) == (1, 2) and (y.peringkat_p5, y.peringkat_p95) == (1, 2)
    ranks = draw_ranks(t, perturbed_weights(BOBOT, 400, benih=3))
    assert 0.2 < (ranks[:, 0] == 1).mean() < 0.8
    assert s.iloc[2].porsi_tiga_besar == 1.0 and s.iloc[3].porsi_tiga_besar == 0.0
    pd.testing.assert_frame_equal(s, rank_stability(t, BOBOT, undian=400, benih=3))
