"""Stage *stability*: how much the ranking depends on the weights (uncertainty analysis).

Composite-indicator practice (JRC/OECD handbook, COINr): perturb each weighted component's
weight (Ketepatan Waktu and extra components included) uniformly within ±``delta`` points
(floored at 0), renormalise the weights to sum 100, recompute every OPD's index from its
component capaian with the same aggregation (:func:`core.aggregate.index_value`, P3DN
redistribution included) and rank it with the same rules (rounding to 2 decimals,
competition ranking, within the peer group). Per OPD: the median rank, the
5th–95th percentile rank range and the share of draws in which it is in the top three.

Draws come from ``numpy.random.default_rng(benih)``: the same seed gives the same figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indeks_opd.core.aggregate import index_value
from indeks_opd.core.parameter import COMPONENTS, KETEPATAN, ordered_weights
from indeks_opd.core.ranking import competition_rank, round_excel_all

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 2024
DEFAULT_DELTA = 5.0
TOP = 3


def perturbed_weights(bobot: dict, undian: int, benih: int, delta: float = DEFAULT_DELTA) -> np.ndarray:
    """``undian`` weight sets (columns in ``bobot`` order), each summing to 100.

    Every weighted component is perturbed, extra ones and Ketepatan Waktu included; a
    component weighted 0 stays 0 (it is not part of the Pemda's scheme).
    """
    base = np.array([float(w) for w in bobot.values()])
    rng = np.random.default_rng(benih)
    w = np.clip(base + rng.uniform(-delta, delta, size=(undian, base.size)), 0.0, None) * (base > 0)
    total = w.sum(axis=1, keepdims=True)
    return np.divide(w * 100.0, total, out=np.tile(base, (undian, 1)), where=total > 0)


def draw_ranks(tabel: pd.DataFrame, weights: np.ndarray, keys: tuple[str, ...] = COMPONENTS) -> np.ndarray:
    """Rank of every OPD under each weight set (columns ``keys``): draws × OPDs.

    ``tabel`` has serapan, fisik, cakin, p3dn and, when weighted, ``ketepatan`` and
    ``komponen_lain`` (a ``PeriodResult.hasil``); ranks are within ``kelompok`` when it is filled.
    """
    lain = {k: tabel["ketepatan"] if k == KETEPATAN else [row.get(k, np.nan) for row in tabel["komponen_lain"]]
            for k in keys if k not in COMPONENTS}
    groups = tabel["kelompok"].fillna("") if "kelompok" in tabel else pd.Series("", index=tabel.index)
    ranks = np.empty((weights.shape[0], len(tabel)), dtype=int)
    for i, w in enumerate(weights):
        bulat = round_excel_all(index_value(tabel["serapan"], tabel["fisik"], tabel["cakin"], tabel["p3dn"],
                                            dict(zip(keys, w)), lain))
        for rows in groups.groupby(groups, sort=False).indices.values():
            ranks[i, rows] = competition_rank(bulat[rows])
    return ranks


def rank_stability(tabel: pd.DataFrame, bobot: dict, undian: int = DEFAULT_DRAWS, benih: int = DEFAULT_SEED,
                   delta: float = DEFAULT_DELTA) -> pd.DataFrame:
    """Rank stability of the ranked OPDs in ``tabel`` (a ``PeriodResult.hasil``), in its order.

    Columns: kode, nama, peringkat (with the parameter weights), peringkat_median,
    peringkat_p5, peringkat_p95 (ranks actually drawn: lower/higher percentile) and
    porsi_tiga_besar (0..1).
    """
    if undian < 1:
        raise ValueError("Jumlah undian harus ≥ 1.")
    hasil = tabel[["kode", "nama", "peringkat"]].reset_index(drop=True).copy()
    if tabel.empty:
        for k in ("peringkat_median", "peringkat_p5", "peringkat_p95", "porsi_tiga_besar"):
            hasil[k] = pd.Series(dtype=float)
        return hasil
    bobot = ordered_weights(bobot)
    ranks = draw_ranks(tabel.reset_index(drop=True), perturbed_weights(bobot, undian, benih, delta), tuple(bobot))
    hasil["peringkat_median"] = np.median(ranks, axis=0)
    hasil["peringkat_p5"] = np.percentile(ranks, 5, axis=0, method="lower").astype(int)
    hasil["peringkat_p95"] = np.percentile(ranks, 95, axis=0, method="higher").astype(int)
    hasil["porsi_tiga_besar"] = (ranks <= TOP).mean(axis=0)
    return hasil
