"""Properties of the index that must hold for any data (hypothesis)."""

from collections import Counter

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from helpers import data, indikator, opd, realisasi
from indeks_opd.core import compute_period
from indeks_opd.core.aggregate import index_value
from indeks_opd.core.parameter import Hadiah, Parameter
from indeks_opd.core.pipeline import rank_opd
from indeks_opd.core.prizes import allocate_prizes
from indeks_opd.core.ranking import competition_rank

capaian = st.floats(min_value=0, max_value=150, allow_nan=False)
bobot = st.lists(st.integers(0, 100), min_size=4, max_size=4).filter(lambda w: sum(w) > 0).map(
    lambda w: dict(zip(("serapan", "fisik", "cakin", "p3dn"), (100 * x / sum(w) for x in w))))


@given(st.lists(st.tuples(capaian, capaian, capaian, st.one_of(st.none(), capaian)), min_size=1, max_size=30),
       st.floats(min_value=100, max_value=150))
def test_index_stays_within_zero_and_the_cap(rows, batas):
    s, f, c, p = (np.minimum([r[i] if r[i] is not None else np.nan for r in rows], batas) for i in range(4))
    x = index_value(s, f, c, p, Parameter().bobot)
    assert np.all((x >= 0) & (x <= batas + 1e-9))


@given(capaian, capaian, capaian, st.one_of(st.none(), capaian), st.integers(0, 3),
       st.floats(min_value=0, max_value=50), bobot)
def test_raising_one_component_never_lowers_the_index(s, f, c, p, which, naik, w):
    before = [s, f, c, np.nan if p is None else p]
    after = list(before)
    if not np.isnan(after[which]):
        after[which] += naik
    x0 = index_value(*[[v] for v in before], w)[0]
    x1 = index_value(*[[v] for v in after], w)[0]
    assert np.isnan(x0) and np.isnan(x1) or x1 >= x0 - 1e-9


indices = st.lists(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 2)),
                   min_size=1, max_size=25)


@given(indices)
def test_ranks_form_a_competition_ranking(xs):
    ranks = competition_rank(xs)
    for x, r in zip(xs, ranks):
        assert r == 1 + sum(1 for y in xs if y > x)
    counts = Counter(ranks.tolist())
    for r, k in counts.items():  # k OPDs tied at rank r: the next rank is r + k
        assert all(s >= r + k for s in counts if s > r)


@given(indices, st.lists(st.integers(0, 10_000_000), min_size=0, max_size=5))
def test_prizes_never_exceed_the_pool(xs, jumlah):
    hadiah = tuple(Hadiah(i + 1, j) for i, j in enumerate(jumlah))
    prizes = allocate_prizes(competition_rank(xs), hadiah)
    assert prizes.sum() <= sum(jumlah)
    assert (prizes >= 0).all()


@given(indices, st.randoms(use_true_random=False))
def test_row_order_never_changes_the_result(xs, rnd):
    tabel = pd.DataFrame({"kode": [f"K{i:02d}" for i in range(len(xs))], "nama": [f"OPD {i:02d}" for i in range(len(xs))],
                          "indeks": xs})
    acak = tabel.sample(frac=1, random_state=rnd.randint(0, 10_000))
    a = rank_opd(tabel, Parameter(), prizes_withheld=False)
    b = rank_opd(acak, Parameter(), prizes_withheld=False)
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100), st.integers(0, 120), st.integers(1, 100)),
                min_size=2, max_size=8),
       st.randoms(use_true_random=False))
def test_row_order_of_the_sheets_never_changes_the_period_result(opds, rnd):
    kode = [f"{i + 1}.01" for i in range(len(opds))]
    o = [opd(k) for k in kode]
    r = [realisasi(k, s, f) for k, (s, f, _, _) in zip(kode, opds)]
    ind = [indikator(k, t, c) for k, (_, _, c, t) in zip(kode, opds)] + [indikator(k, 50, 25, "Turun", nama="X")
                                                                          for k in kode]
    expected = compute(data(o, r, ind))
    for rows in (o, r, ind):
        rnd.shuffle(rows)
    assert compute(data(o, r, ind)) == expected


def compute(d):
    return compute_period(d, 2023, 4).as_dict()
