"""Stage *aggregate*: cakin per OPD and the weighted index.

docs/metode.md ("Index"). Cakin is the mean of the OPD's program-indicator capaian, or their weighted
mean when the OPD's ``Bobot`` column is filled. The index is Σ wₖ·sₖ / Σ wₖ over the
applicable components: P3DN does not apply to an OPD without a P3DN target, and its weight
is then redistributed proportionally over the others (as the national IKPA does).
Ketepatan Waktu and extra components (docs/metode.md) are weighted components like the
others; a component with weight 0 needs no capaian.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indeks_opd.core.parameter import COMPONENTS, ordered_weights


def cakin_per_opd(indikator: pd.DataFrame) -> pd.Series:
    """Cakin by ``kode`` from indicator rows with ``capaian`` and optional ``bobot``.

    An OPD whose indicators all have a Bobot gets the weighted mean; otherwise the plain
    mean (mixed filling is a problem reported by validation, not resolved here).
    """
    if indikator.empty:
        return pd.Series(dtype=float, name="cakin")
    kode = indikator["kode"]
    capaian = indikator["capaian"].astype(float)
    bobot = indikator["bobot"].astype(float) if "bobot" in indikator else pd.Series(np.nan, index=indikator.index)
    per_opd = pd.DataFrame({"capaian": capaian, "bobot": bobot}).groupby(kode, sort=False)
    n = per_opd.size()
    weighted = (per_opd["bobot"].count() == n) & (per_opd["bobot"].sum() > 0)
    w = np.where(kode.map(weighted).astype(bool), bobot, 1.0)
    sums = pd.DataFrame({"wc": w * capaian, "w": w}).groupby(kode, sort=False).sum()
    cakin = sums["wc"] / sums["w"]
    # any unscorable indicator makes the OPD's cakin unscorable, never a partial mean
    cakin[per_opd["capaian"].count() < n] = np.nan
    return cakin.rename("cakin")


def effective_weights(p3dn_applies, bobot: dict) -> np.ndarray:
    """Weights per OPD (columns in ``bobot`` order) with P3DN's share redistributed where it does not apply."""
    applies = np.asarray(p3dn_applies, dtype=bool)
    w = np.tile(np.array([float(x) for x in bobot.values()]), (applies.size, 1))
    w[~applies, list(bobot).index("p3dn")] = 0.0
    return w


def index_value(serapan, fisik, cakin, p3dn, bobot: dict, lain: dict | None = None) -> np.ndarray:
    """Index Σ wₖ·sₖ / Σ wₖ over applicable components; p3dn NaN means not applicable.

    ``bobot`` holds every component's weight (:meth:`Parameter.weights`); ``lain`` the
    capaian of the components beyond the four standard ones (Ketepatan Waktu, extra
    components), by the same keys. NaN when a component other than P3DN with weight > 0 is
    missing, or no applicable component has weight; a component weighted 0 is never needed.
    """
    lain = lain or {}
    bobot = ordered_weights(bobot)
    columns = [serapan, fisik, cakin, p3dn, *(lain.get(k, [np.nan] * len(np.atleast_1d(serapan)))
                                              for k in list(bobot)[len(COMPONENTS):])]
    s = np.column_stack([np.asarray(x, dtype=float).ravel() for x in columns])
    applies = ~np.isnan(s[:, COMPONENTS.index("p3dn")])
    w = effective_weights(applies, bobot)
    total_w = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.nansum(w * np.nan_to_num(s), axis=1) / total_w
    required = np.array([k != "p3dn" and w_k > 0 for k, w_k in bobot.items()])
    required_missing = (np.isnan(s) & required).any(axis=1)
    return np.where(required_missing | (total_w <= 0), np.nan, values)
