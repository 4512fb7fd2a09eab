"""Stage *rank*: rounding as users see it, competition ranking, categories and the lowest N.

docs/metode.md ("Rounding, ranking, categories"). OPDs are ranked descending by the index rounded to 2 decimals (what users
see); equal rounded values share a rank (standard competition ranking 1, 2, 2, 4). The
category, zone and colour also follow the rounded index, so a displayed 91,00 is always
*Sangat Tinggi*. The lowest ``JumlahTerendah`` OPDs are flagged, ties included.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from indeks_opd.core.parameter import Kategori


def round_excel(x: float, decimals: int = 2) -> float:
    """Round half away from zero on the shortest decimal text of ``x``, as Excel's ROUND does.

    Python's ``round`` rounds half to even on the binary value (``round(2.675, 2) == 2.67``);
    Excel shows 2,68.
    """
    if x is None or math.isnan(x) or math.isinf(x):
        return x
    d = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return float(d)


def round_excel_all(xs, decimals: int = 2) -> np.ndarray:
    return np.array([round_excel(float(x), decimals) for x in np.asarray(xs, dtype=float).ravel()], dtype=float)


def competition_rank(indeks_bulat) -> np.ndarray:
    """Standard competition ranks, descending: rank = 1 + number of strictly greater values.

    NaN values get rank 0 (not ranked) and do not push others down.
    """
    x = np.asarray(indeks_bulat, dtype=float).ravel()
    available = ~np.isnan(x)
    ordered = np.sort(-x[available])  # ascending of negatives = descending of values
    rank = np.zeros(x.size, dtype=int)
    rank[available] = np.searchsorted(ordered, -x[available], side="left") + 1
    return rank


def category_of(indeks_bulat, kategori: tuple[Kategori, ...]) -> list[Kategori | None]:
    """The category of each (rounded) index: the first one, top down, whose lower bound it reaches."""
    hasil: list[Kategori | None] = []
    for x in np.asarray(indeks_bulat, dtype=float).ravel():
        if np.isnan(x):
            hasil.append(None)
            continue
        hasil.append(next((k for k in kategori if x >= k.batas_bawah), None))
    return hasil


def flag_lowest(indeks_bulat, jumlah: int) -> np.ndarray:
    """True for the ``jumlah`` lowest (rounded) indices, all OPDs tied with the last one included."""
    x = np.asarray(indeks_bulat, dtype=float).ravel()
    available = ~np.isnan(x)
    if jumlah <= 0 or not available.any():
        return np.zeros(x.size, dtype=bool)
    ordered = np.sort(x[available])
    threshold = ordered[min(jumlah, ordered.size) - 1]
    return available & (x <= threshold)
