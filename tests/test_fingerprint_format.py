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


def test_a_partly_filled_tanggal_diterima_keeps_the_fingerprints_locks_recorded(tmp_path):
    """Dates with blanks among them are hashed as pandas makes them (``Timestamp``, ``NaT``), as every version
    with Tanggal Diterima hashed them: a lock made by version 32ce22b on this workbook still matches. The
    hashes are that version's Sidik Data and Sidik Periode (Realisasi) of the sample with Tanggal Diterima
    filled in two Realisasi rows of three."""
    from datetime import datetime

    import openpyxl

    from indeks_opd.alur.tamper import period_fingerprints
    from indeks_opd.files.writer import read_for_hitung

    wb = openpyxl.load_workbook(sample_path())
    ws = wb["Realisasi"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if any(c.value == "Kode OPD" for c in r))
    column = max(c.column for c in header if c.value is not None) + 1
    ws.cell(header[0].row, column, "Tanggal Diterima")
    for k, row in enumerate(range(header[0].row + 1, ws.max_row + 1), start=1):
        if k % 3:
            ws.cell(row, column, datetime(2022, 4, 5, 10, 0) if k % 2 else datetime(2022, 7, 4))
    wb.save(tmp_path / "induk.xlsx")
    contents = read_for_hitung(tmp_path / "induk.xlsx")
    recorded = {1: ("816ef74982a11faecf1eb87ec8fc217da08b3d7ab1ea01ef30bc1b6285a05af3",
                    "54f2a5d90816204436239cfb4735fdd08e0ac01c5d4d1c260147f9895b14c179"),
                4: ("a5faf50283a6fe6c780df67f1c8edf065f11668698e0eae9f520d6b439f58ac8",
                    "133405f9de5cfee10ccd6abe1e67c4c6f955bc6b3b842ebff14eba2bf0cc1a24")}
    for tw, (sidik_data, sidik_realisasi) in recorded.items():
        assert data_fingerprint(contents.data, 2022, tw) == sidik_data
        assert period_fingerprints(contents.data, None, 2022, tw)["Realisasi"] == sidik_realisasi
