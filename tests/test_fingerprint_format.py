"""The Log's data fingerprint is the SHA-256 of one documented canonical JSON text.

Computed here independently from its definition, so a faster implementation cannot change
the fingerprints of runs already in a Log (a published ranking is traced by them).
"""

from __future__ import annotations

import hashlib
import json
import math

from indeks_opd.contract.output_sheets import data_fingerprint
from indeks_opd.core.pipeline import select_period
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_path


def _plain(v):
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    if isinstance(v, float):
        return None if math.isnan(v) else (int(v) if v.is_integer() else v)
    return v


def _records(df):
    """A later optional column (Bukti Dukung) counts only where it is filled (docs/alur.md)."""
    cols = sorted(c for c in df.columns if c != "baris" and not (c == "bukti_dukung" and df[c].isna().all()))
    rows = [json.dumps([_plain(v) for v in rec], ensure_ascii=False) for rec in df[cols].itertuples(index=False)]
    return [cols, sorted(rows)]


def test_fingerprint_is_the_hash_of_the_canonical_json():
    data = read_workbook(sample_path())
    for tw in (1, 4):
        doc = {"opd": _records(data.opd), "realisasi": _records(select_period(data.realisasi, 2022, tw)),
               "indikator": _records(select_period(data.indikator, 2022, tw)),
               "parameter": data.parameter.snapshot()}
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert data_fingerprint(data, 2022, tw) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert data_fingerprint(data, 2022, 1) != data_fingerprint(data, 2022, 4)  # only the period's rows count
