"""INDEKS_OPD over a whole column in one call equals the same rows called one by one.

The vectorised path computes the index of every valid row in one core call; cells with bad
input must still get their own #GALAT text and blank rows stay blank.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def server(xlwings_server):
    return xlwings_server


ROWS = [
    [80, 90, 70, ""],          # P3DN not applicable: (80·20 + 90·20 + 70·50) / 90
    [80, 90, 70, 100],         # (1600 + 1800 + 3500 + 1000) / 100
    ["", "", "", ""],          # blank row stays blank
    [80, -5, 70, 100],         # a bad cell: #GALAT in its own row only
    ["75%", "90,5", 70, 10],   # typed the Indonesian way
    [80, 90, "", 100],         # cakin missing
] + [[50 + i % 50, 60 + i % 40, 40 + i % 60, ("" if i % 7 == 0 else i % 100)] for i in range(60)]


def test_vector_call_equals_row_by_row_calls(server):
    columns = [[[r[k]] for r in ROWS] for k in range(4)]
    vektor = server.call("INDEKS_OPD", *columns)
    satu_satu = [server.call("INDEKS_OPD", *[[[v]] for v in r]) for r in ROWS]
    assert len(vektor) == len(ROWS)
    for (v,), ((s,),) in zip(vektor, satu_satu):
        assert v == s
    assert vektor[0][0] == pytest.approx(6900 / 90)
    assert vektor[1][0] == pytest.approx(79.0)
    assert vektor[2][0] in ("", None)
    assert vektor[3][0].startswith("#GALAT: ") and "negatif" in vektor[3][0]
    assert vektor[4][0] == pytest.approx((75 * 20 + 90.5 * 20 + 70 * 50 + 10 * 10) / 100)
    assert vektor[5][0].startswith("#GALAT: ") and "kosong" in vektor[5][0]
    assert all(isinstance(v, float) for (v,) in vektor[6:])
    for (v,), (s, f, c, p) in zip(vektor[6:], ROWS[6:]):  # docs/metode.md "Index" by hand: blank P3DN drops its weight
        bobot = (20 * s + 20 * f + 50 * c) if p == "" else (20 * s + 20 * f + 50 * c + 10 * p)
        assert v == pytest.approx(bobot / (90 if p == "" else 100))
