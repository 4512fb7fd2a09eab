"""The check stage on its own: clean rows give no problem, each flagged row exactly one, in place.

(The recorder returns early when a rule flags nothing — the common case when every template
of an import is checked on its own — so both paths are asserted here.)
"""

from __future__ import annotations

import pandas as pd

from indeks_opd.contract.schema import fields
from indeks_opd.core.checks import check_indikator, check_realisasi

KOLOM_R = {"kode": "C", "target_keuangan": "E", "realisasi_keuangan": "F", "target_fisik": "G"}
KOLOM_I = {"kode": "C", "arah": "G", "target": "H", "realisasi": "I"}


def _realisasi(**ubah):
    rec = dict(tahun=2024, triwulan=1, kode="1.01", pagu=1000.0, target_keuangan=500.0, realisasi_keuangan=400.0,
               target_fisik=20.0, realisasi_fisik=18.0, target_p3dn=None, realisasi_p3dn=None, baris=2)
    return pd.DataFrame([dict(rec, **ubah), dict(rec, kode="1.02", baris=3)])


def _indikator(**ubah):
    rec = dict(tahun=2024, triwulan=1, kode="1.01", program="P", indikator="I", satuan="%", arah="Naik",
               target=10.0, realisasi=9.0, bobot=None, baris=5)
    rows = [rec, dict(rec, kode="1.02", baris=6), dict(rec, arah="Turun", baris=7, **ubah)]
    return pd.DataFrame(rows).astype({"bobot": float})


def test_clean_rows_have_no_problem():
    opd = {"1.01", "1.02"}
    assert check_realisasi(_realisasi(), opd, opd, KOLOM_R, (2024, 1), fields("Realisasi")) == []
    assert check_indikator(_indikator(), opd, opd, KOLOM_I, (2024, 1), fields("Indikator")) == []


def test_each_flagged_row_is_one_problem_at_its_cell():
    opd = {"1.01", "1.02"}
    (m,) = check_realisasi(_realisasi(realisasi_keuangan=1500.0), opd, opd, KOLOM_R, (2024, 1), fields("Realisasi"))
    assert (m.tingkat, m.lokasi, m.kode) == ("galat", "Realisasi!F2", "1.01")
    assert "melebihi Pagu Anggaran" in m.pesan and "1.500" in m.pesan
    (m,) = check_indikator(_indikator(target=-1.0), opd, opd, KOLOM_I, (2024, 1), fields("Indikator"))
    assert (m.lokasi, m.kode) == ("Indikator!H7", "1.01") and "negatif" in m.pesan
