"""Stage *capaian*: achievement in percent of each component and of each program indicator.

docs/metode.md ("Capaian"). A component's capaian is Realisasi / Target × 100; a program indicator's
depends on its direction (``Arah``): ``Naik`` R / T × 100, ``Turun`` (2T − R) / T × 100
floored at 0 (negative polarity, as in Indonesian performance reports). With T = 0 only
``Turun`` with R = 0 can be scored (100); every other T = 0 case is unscorable (NaN here,
a problem for the row in :mod:`indeks_opd.core.checks`). Every capaian is clamped to
``[0, batas]`` (``BatasCapaian``, default 100).

An extra component's capaian is the 0–100 score Bappeda typed, clamped the same way.
*Ketepatan Waktu* (docs/metode.md) is 100 when the template was received on or before the
deadline's date, minus ``PenguranganPerHari`` per calendar day late, floored at 0.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

NAIK = "Naik"
TURUN = "Turun"
ARAH = (NAIK, TURUN)


def normalise_arah(arah):
    """``naik``/``NAIK ``/``Naik`` → ``Naik``; anything else stays as typed (and is reported)."""
    if arah is None or (isinstance(arah, float) and np.isnan(arah)):
        return NAIK
    text = str(arah).strip().lower()
    return {"naik": NAIK, "turun": TURUN}.get(text, str(arah))


def normalise_arah_all(arah: pd.Series) -> pd.Series:
    """:func:`normalise_arah` over a column: once per distinct value (a column of texts, as the contract
    reads it), or cell by cell for other values (``True`` and ``1.0`` would share one distinct value)."""
    if not all(isinstance(v, str) for v in arah.dropna().unique()):
        hasil = arah.map(normalise_arah).astype(object)
        hasil[arah.isna()] = NAIK
        return hasil
    codes, distinct = pd.factorize(arah)  # a blank is code -1: the last entry below
    return pd.Series(np.array([*map(normalise_arah, distinct), NAIK], dtype=object)[codes], index=arah.index,
                     dtype=object)


def capaian_ratio(target, realisasi, batas: float = 100.0) -> np.ndarray:
    """Realisasi / Target × 100 clamped to [0, batas]; NaN where target ≤ 0 or a value is missing."""
    t = np.asarray(target, dtype=float)
    r = np.asarray(realisasi, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(t > 0, r / t * 100.0, np.nan)
    return np.clip(c, 0.0, batas)


def capaian_indikator(target, realisasi, arah, batas: float = 100.0) -> np.ndarray:
    """Capaian of program indicators by direction; NaN where it cannot be scored.

    ``arah`` holds ``Naik``/``Turun`` (see :func:`normalisasi_arah`); an unknown direction is NaN.
    """
    t = np.asarray(target, dtype=float)
    r = np.asarray(realisasi, dtype=float)
    a = np.asarray(arah, dtype=object)
    naik = a == NAIK
    turun = a == TURUN
    with np.errstate(divide="ignore", invalid="ignore"):
        c_naik = r / t * 100.0
        c_turun = np.maximum((2 * t - r) / t * 100.0, 0.0)
    c = np.full(t.shape, np.nan)
    ada_target = t != 0
    c = np.where(naik & ada_target, c_naik, c)
    c = np.where(turun & ada_target, c_turun, c)
    c = np.where(turun & (t == 0) & (r == 0), 100.0, c)
    return np.clip(c, 0.0, batas)


def capaian_score(nilai, batas: float = 100.0) -> np.ndarray:
    """An extra component's score (0–100, typed by Bappeda) clamped to [0, batas]; NaN stays NaN."""
    return np.clip(np.asarray(nilai, dtype=float), 0.0, batas)


def capaian_ketepatan(diterima, batas_pengumpulan: dt.date | None, pengurangan_per_hari: float) -> np.ndarray:
    """Ketepatan Waktu of each received date: 100 − pengurangan × calendar days late, floored at 0.

    ``diterima`` holds dates or datetimes (None/NaT where missing → NaN); only the calendar
    date counts, so a template received at 23:59 on the deadline's date is on time. NaN for
    every row when there is no deadline.
    """
    hasil = np.full(len(diterima), np.nan)
    if batas_pengumpulan is None:
        return hasil
    batas = _date(batas_pengumpulan)
    for i, d in enumerate(diterima):
        if d is None or pd.isna(d):
            continue
        hari = (_date(d) - batas).days
        hasil[i] = max(0.0, 100.0 - pengurangan_per_hari * max(0, hari))
    return hasil


def _date(x) -> dt.date:
    return x.date() if isinstance(x, dt.datetime) else x
