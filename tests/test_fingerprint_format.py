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


FIRST = {"opd": ["kode", "nama", "singkatan", "aktif"],
         "realisasi": ["tahun", "triwulan", "kode", "pagu", "target_keuangan", "realisasi_keuangan", "target_fisik",
                       "realisasi_fisik", "target_p3dn", "realisasi_p3dn"],
         "indikator": ["tahun", "triwulan", "kode", "program", "indikator", "satuan", "arah", "target", "realisasi",
                       "bobot"]}


def _records(df, first):
    """The first version's columns always; a column added since only when filled somewhere (docs/alur.md)."""
    cols = sorted(c for c in df.columns if c != "baris" and (c in first or not df[c].isna().all()))
    rows = [json.dumps([_plain(v) for v in rec], ensure_ascii=False) for rec in df[cols].itertuples(index=False)]
    return [cols, sorted(rows)]


def test_fingerprint_is_the_hash_of_the_canonical_json():
    data = read_workbook(sample_path())
    for tw in (1, 4):
        doc = {"opd": _records(data.opd, FIRST["opd"]),
               "realisasi": _records(select_period(data.realisasi, 2022, tw), FIRST["realisasi"]),
               "indikator": _records(select_period(data.indikator, 2022, tw), FIRST["indikator"]),
               "parameter": data.parameter.snapshot()}
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert data_fingerprint(data, 2022, tw) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert data_fingerprint(data, 2022, 1) != data_fingerprint(data, 2022, 4)  # only the period's rows count


def test_the_default_scheme_keeps_the_fingerprint_of_the_first_version():
    # issue 15: with no Kelompok, no extra component and no Tanggal Diterima every output is what it was;
    # these are the Sidik Data the version before peer groups (commit 1726911) logged for the bundled sample
    data = read_workbook(sample_path())
    assert data_fingerprint(data, 2022, 4) == "34146e401ed089df70aa2d5b121628e970c21fbb29a958a2f15c0108962691ec"
    assert data_fingerprint(data, 2022, 1) == "cdd4c75fc4f4e06b21bf9c462ac74602ed1596358930dea8496ce6dc336bb24b"
