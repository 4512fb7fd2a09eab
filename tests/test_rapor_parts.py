"""Parts of the reports in-process: Indonesian formatting, components, prize sources, reading Riwayat."""

from __future__ import annotations

import math
from datetime import datetime

import openpyxl
import pytest

from indeks_opd.contract import output_sheets
from indeks_opd.core.parameter import Hadiah, Parameter
from indeks_opd.present import fmt
from indeks_opd.rapor.history import RIWAYAT_HEADERS, read_riwayat
from indeks_opd.rapor.model import components_of, prize_source


def test_indonesian_formatting():
    assert fmt.angka(97.8123) == "97,81"
    assert fmt.angka(2.675) == "2,68"  # half away from zero, as Excel and the ranking round
    assert fmt.angka(1250.5) == "1.250,50"
    assert fmt.angka(math.nan) == "–"
    assert fmt.rupiah(5_000_000) == "Rp 5.000.000"
    assert fmt.selisih(-0.4) == "−0,40" and fmt.selisih(1.254) == "+1,25" and fmt.selisih(0.001) == "0,00"
    assert fmt.angka_bebas(0.5) == "0,5" and fmt.angka_bebas(1250) == "1.250"
    assert fmt.persen(0.855) == "86%"
    assert fmt.tanggal_waktu(datetime(2024, 3, 5, 9, 7)) == "5 Maret 2024 09.07"
    assert fmt.periode(2022, 4) == "Tahun 2022 Triwulan IV" and fmt.periode_pendek(2023, 1) == "TW I 2023"


def test_components_redistribute_p3dn_and_add_up_to_the_index():
    row = {"serapan": 80.0, "fisik": 90.0, "cakin": 70.0, "p3dn": math.nan}
    k = components_of(row, Parameter().bobot)
    assert [round(x.bobot, 4) for x in k] == [22.2222, 22.2222, 55.5556, 0.0]
    assert [round(x.kontribusi, 4) for x in k] == [17.7778, 20.0, 38.8889, 0.0]
    assert sum(x.kontribusi for x in k) == pytest.approx(69 / 0.9)  # (16 + 18 + 35) / 0,9
    assert not k[3].berlaku
    full = components_of({"serapan": 100.0, "fisik": 50.0, "cakin": 80.0, "p3dn": 40.0}, Parameter().bobot)
    assert [x.kontribusi for x in full] == [20.0, 10.0, 40.0, 4.0]


def test_prize_source_covers_the_positions_a_tie_occupies():
    hadiah = (Hadiah(1, 5, "Bank A"), Hadiah(2, 3, "Bank B"), Hadiah(3, 1, "Bank A"), Hadiah(4, 0, "Bank C"))
    assert prize_source(1, 2, hadiah) == "Bank A, Bank B"
    assert prize_source(3, 1, hadiah) == "Bank A"
    assert prize_source(3, 2, hadiah) == "Bank A"  # position 4 pays nothing
    assert prize_source(5, 1, hadiah) == ""


def test_riwayat_rows_that_cannot_be_read_are_skipped_with_their_cell(tmp_path):
    path = tmp_path / "induk.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Riwayat"
    ws.append(list(output_sheets.RIWAYAT_HEADERS))
    ws.append([2022, 3, "2.15", "Dinas Perhubungan", 100, 100, 90, 100, 95.5, 1, "Sangat Tinggi", "Hijau", 5_000_000,
               "Tidak", "Ya", "2022-10-01T08:00:00"])
    ws.append([2022, 3, "1.03", "DPUPR", 90, 90, 90, 90, "sembilan puluh", 2, "Tinggi", "Hijau", 0, "Ya", "Tidak", ""])
    wb.save(path)
    df, masalah = read_riwayat(path)
    # the reader knows every column Hitung Indeks always writes, except the run time, and the peer group
    assert [*RIWAYAT_HEADERS] == [*output_sheets.RIWAYAT_HEADERS[:-1], "Kelompok"]
    assert len(df) == 1
    r = df.iloc[0]
    assert (r.tahun, r.triwulan, r.kode, r.indeks, r.peringkat, r.hadiah) == (2022, 3, "2.15", 95.5, 1, 5_000_000)
    assert bool(r.sementara) and not bool(r.terendah)
    assert len(masalah) == 1 and masalah[0].lokasi == "Riwayat!I3" and "Indeks" in masalah[0].pesan


def test_workbook_without_riwayat_or_with_an_unusable_one(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "OPD"
    wb.save(path)
    assert read_riwayat(path) == (None, [])
    wb.create_sheet("Riwayat").append(["Catatan", "lain"])
    wb.save(path)
    df, masalah = read_riwayat(path)
    assert df is None and "dihitung ulang" in masalah[0].pesan
