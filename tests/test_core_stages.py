"""Each core stage on hand-computed examples (the arithmetic is written out in the tests)."""

import math

import numpy as np
import pandas as pd
import pytest

from indeks_opd.core.aggregate import cakin_per_opd, index_value
from indeks_opd.core.capaian import capaian_indikator, capaian_ratio
from indeks_opd.core.parameter import Hadiah, Parameter
from indeks_opd.core.period import Period
from indeks_opd.core.prizes import allocate_prizes
from indeks_opd.core.ranking import (
    category_of,
    competition_rank,
    flag_lowest,
    round_excel,
)

BOBOT = {"serapan": 20, "fisik": 20, "cakin": 50, "p3dn": 10}


def test_capaian_ratio_clamps_to_cap_and_zero():
    # 750/1000 = 75 %; 1200/1000 = 120 % → 100; with BatasCapaian 110 → 110; target 0 → unscorable
    c = capaian_ratio([1000, 1000, 1000, 0], [750, 1200, 1200, 5])
    assert c[:3].tolist() == [75.0, 100.0, 100.0] and math.isnan(c[3])
    assert capaian_ratio([1000], [1200], batas=110)[0] == 110.0
    assert capaian_ratio([1000], [1050], batas=120)[0] == 105.0


def test_capaian_indikator_naik_and_turun():
    # Naik: 45/50 = 90 %. Turun (lower is better), T = 40 accidents, R = 30: (2·40 − 30)/40 = 125 % → 100;
    # R = 50: (80 − 50)/40 = 75 %; R = 100: (80 − 100)/40 < 0 → floored at 0.
    c = capaian_indikator([50, 40, 40, 40], [45, 30, 50, 100], ["Naik", "Turun", "Turun", "Turun"])
    assert c.tolist() == [90.0, 100.0, 75.0, 0.0]
    assert capaian_indikator([40], [30], ["Turun"], batas=150)[0] == 125.0


def test_capaian_indikator_target_zero():
    # Turun with T = 0 and R = 0 is perfect (100); any other T = 0 case is unscorable (NaN), never a number
    c = capaian_indikator([0, 0, 0], [0, 3, 5], ["Turun", "Turun", "Naik"])
    assert c[0] == 100.0 and math.isnan(c[1]) and math.isnan(c[2])
    assert math.isnan(capaian_indikator([10], [5], ["Menurun"])[0])  # unknown direction


def test_cakin_mean_and_weighted_mean():
    df = pd.DataFrame({
        "kode": ["A", "A", "A", "B", "B"],
        "capaian": [90.0, 60.0, 100.0, 80.0, 40.0],
        "bobot": [np.nan, np.nan, np.nan, 3.0, 1.0],
    })
    cakin = cakin_per_opd(df)
    assert cakin["A"] == pytest.approx((90 + 60 + 100) / 3)          # 83.33…
    assert cakin["B"] == pytest.approx((3 * 80 + 1 * 40) / (3 + 1))  # 70


def test_cakin_is_unscorable_when_any_indicator_is():
    df = pd.DataFrame({"kode": ["A", "A"], "capaian": [90.0, np.nan], "bobot": [np.nan, np.nan]})
    assert math.isnan(cakin_per_opd(df)["A"])


def test_index_weights_and_p3dn_redistribution():
    # 0.2·90 + 0.2·80 + 0.5·70 + 0.1·60 = 18 + 16 + 35 + 6 = 75
    assert index_value([90], [80], [70], [60], BOBOT)[0] == pytest.approx(75.0)
    # P3DN not applicable: (20·90 + 20·80 + 50·70) / 90 = (1800 + 1600 + 3500) / 90 = 76.666…
    assert index_value([90], [80], [70], [np.nan], BOBOT)[0] == pytest.approx(6900 / 90)
    # a required component missing: no index
    assert math.isnan(index_value([np.nan], [80], [70], [60], BOBOT)[0])


def test_round_excel_rounds_half_away_from_zero():
    assert round_excel(2.675) == 2.68      # Python's round gives 2.67
    assert round_excel(97.815) == 97.82
    assert round_excel(97.8149999) == 97.81
    assert round_excel(-1.005) == -1.01


def test_competition_rank():
    assert competition_rank([90.0, 95.0, 90.0, 80.0]).tolist() == [2, 1, 2, 4]
    assert competition_rank([70.0, np.nan, 70.0]).tolist() == [1, 0, 1]


def test_categories_use_inclusive_lower_bounds():
    kategori = Parameter().kategori
    names = [k.nama for k in category_of([91.0, 90.99, 76.0, 66.0, 51.0, 50.99, 0.0], kategori)]
    assert names == ["Sangat Tinggi", "Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah", "Sangat Rendah"]


def test_lowest_n_includes_ties():
    # the third lowest value is 70 and two OPDs have it: four are flagged
    assert flag_lowest([90, 70, 60, 70, 50, 95], 3).tolist() == [False, True, True, True, True, False]
    assert not flag_lowest([90, 80], 0).any()


HADIAH = (Hadiah(1, 5_000_000), Hadiah(2, 3_000_000), Hadiah(3, 1_000_000))


@pytest.mark.parametrize("ranks, expected", [
    ([1, 2, 3, 4], [5_000_000, 3_000_000, 1_000_000, 0]),
    # tie at rank 1: positions 1 and 2 → (5 + 3) / 2 = 4 juta each; the next is rank 3 → 1 juta
    ([1, 1, 3, 4], [4_000_000, 4_000_000, 1_000_000, 0]),
    # tie at rank 2: positions 2 and 3 → (3 + 1) / 2 = 2 juta each
    ([1, 2, 2, 4], [5_000_000, 2_000_000, 2_000_000, 0]),
    # tie across the last prized rank: positions 3, 4, 5 share 1 juta → 333.333 each (rupiah rounded down)
    ([1, 2, 3, 3, 3], [5_000_000, 3_000_000, 333_333, 333_333, 333_333]),
    # everybody tied: the pool of 9 juta shared by 4 → 2.250.000 each
    ([1, 1, 1, 1], [2_250_000] * 4),
])
def test_prizes_shared_on_ties(ranks, expected):
    prizes = allocate_prizes(ranks, HADIAH)
    assert prizes.tolist() == expected
    assert prizes.sum() <= 9_000_000


def test_previous_period_crosses_the_year():
    assert Period(2023, 3).previous() == Period(2023, 2)
    assert Period(2023, 1).previous() == Period(2022, 4)


def test_indikator_capaian_leaves_the_rows_it_is_given_as_they_were():
    """A pure stage: the UDFs pass their caller's own frame, which must not gain a normalised Arah or a Capaian."""
    from indeks_opd.core.pipeline import indikator_capaian

    rows = pd.DataFrame({"kode": ["1.01", "1.01", "1.02"], "arah": [" naik", "TURUN", None],
                         "target": [100.0, 10.0, 50.0], "realisasi": [80.0, 5.0, 60.0]}, index=[7, 8, 9])
    before = rows.copy()
    hasil = indikator_capaian(rows, 100.0)
    pd.testing.assert_frame_equal(rows, before)
    assert hasil["arah"].tolist() == ["Naik", "Turun", "Naik"] and hasil.index.tolist() == [7, 8, 9]
    assert hasil["capaian"].round(6).tolist() == [80.0, 100.0, 100.0]
