"""The output-sheet model: what Hitung Indeks writes, before any writer renders it."""

from __future__ import annotations

import copy
import json
from datetime import datetime

import pytest

from indeks_opd.contract.numbers import read_moment
from indeks_opd.contract.output_sheets import (
    CATATAN_P3DN,
    FORMAT_DECIMAL,
    FORMAT_HADIAH,
    FORMAT_WAKTU,
    KETERANGAN_UNRANKED,
    LOG_HEADERS,
    PERINGKAT_HEADERS,
    RIWAYAT_HEADERS,
    CellStyle,
    build_outputs,
    data_fingerprint,
    needs_text_protection,
    rekap_row_fills,
)
from indeks_opd.contract.sheets import Sheet
from indeks_opd.core import compute_period
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_rows
from indeks_opd.present import fmt

T1 = datetime(2023, 1, 9, 8, 5, 7)
T2 = datetime(2023, 1, 10, 14, 30, 0)


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory):
    from indeks_opd.files.sample import write_contract_workbook
    return read_workbook(write_contract_workbook(tmp_path_factory.mktemp("m") / "c.xlsx", sample_rows()))


def _broken_rows():
    rows = copy.deepcopy(sample_rows())
    real = rows["Realisasi"]
    i = next(i for i, r in enumerate(real) if r[1] == 4 and r[2] == "1.02")
    real[i][5] = "banyak"  # Realisasi Keuangan of Dinkes, TW IV: unreadable → galat
    rows["OPD"][1][1] = "=Dinas Perhubungan"  # formula-looking name stays text
    return rows


def test_peringkat_rows_follow_the_ranking(sample_data):
    r = compute_period(sample_data, 2022, 4)
    p = build_outputs(r, sample_data, T1).sheet("Peringkat")
    assert p.rows[0][0] == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
    assert p.rows[1][0] == "Dihitung: 09 Januari 2023 08:05"
    assert p.rows[2][0] is None and 3 not in p.bold_rows
    assert p.rows[4] == PERINGKAT_HEADERS and p.header_row == 5 and {1, 5} <= p.bold_rows
    body = p.rows[5:]
    assert [row[1] for row in body] == list(r.hasil["kode"])
    assert len(body) == 18 and [row[0] for row in body][:3] == [1, 2, 3]
    first = body[0]
    assert first[2] == "Dinas Perhubungan" and first[11] == 5_000_000 and first[8] == pytest.approx(98.212269)
    assert p.fills[5:] == tuple(r.hasil["warna"])
    assert p.style(6, 9) == CellStyle(FORMAT_DECIMAL, False, r.hasil["warna"][0])
    assert p.style(6, 12).number_format == FORMAT_HADIAH
    assert p.rows[3] == (CATATAN_P3DN,)  # the sample has OPDs without a P3DN target
    assert sum(row[12] == "Terendah" for row in body) == int(r.hasil["terendah"].sum()) >= 3
    no_p3dn = {row[1]: row[7] for row in body}
    assert no_p3dn["6.01"] is None and no_p3dn["2.15"] == 100.0
    # filled rows paint every column of the table, even the blank ones
    cells = {(i, j) for i, j, _, s in p.cells() if i == 6}
    assert cells == {(6, j) for j in range(1, 14)}


def test_provisional_result_has_banner_no_prizes_and_unranked_rows(write_workbook):
    data = read_workbook(write_workbook(_broken_rows()))
    r = compute_period(data, 2022, 4)
    out = build_outputs(r, data, T1)
    p = out.sheet("Peringkat")
    assert p.rows[2][0] == ("SEMENTARA — ada 1 galat data; hadiah ditahan sampai data lengkap. "
                            "Lihat sheet Masalah.")
    assert 3 in p.bold_rows
    body = p.rows[5:]
    assert all(row[11] == 0 for row in body if row[0] is not None)
    assert body[-1][1:4] == ("1.02", "Dinas Kesehatan", "Dinkes") and body[-1][12] == KETERANGAN_UNRANKED
    assert body[-1][0] is None and p.fills[-1] is None
    assert "=Dinas Perhubungan" in [row[2] for row in body]
    assert needs_text_protection("=Dinas Perhubungan") and not needs_text_protection("Dinas")
    m = out.sheet("Masalah")
    assert m.rows[1][0] == "Galat" and m.rows[1][1].startswith("Realisasi!F") and m.rows[1][2] == "1.02"
    assert m.rows[1][4:] == (2022, 4) and m.fills[1] == "#FFC7CE"


def test_prizes_allowed_banner(write_workbook):
    from indeks_opd.core.parameter import Parameter
    data = read_workbook(write_workbook(_broken_rows(), parameter=Parameter(izinkan_hadiah_sementara=True)))
    p = build_outputs(compute_period(data, 2022, 4), data, T1).sheet("Peringkat")
    assert p.rows[2][0].endswith("hadiah tetap dibagi (diizinkan). Lihat sheet Masalah.")
    assert p.rows[5][11] == 5_000_000


def test_riwayat_replaces_only_the_period_and_is_idempotent(sample_data):
    r4 = compute_period(sample_data, 2022, 4)
    r3 = compute_period(sample_data, 2022, 3)
    first = build_outputs(r3, sample_data, T1).sheet("Riwayat")
    assert first.rows[0] == RIWAYAT_HEADERS and len(first.rows) == 19
    # as xlwings reads it back: floats for whole numbers, empty strings for blanks
    read_back = [list(first.rows[0])] + [[float(v) if isinstance(v, int) else ("" if v is None else v)
                                          for v in row] for row in first.rows[1:]]
    both = build_outputs(r4, sample_data, T2, existing_riwayat=read_back).sheet("Riwayat")
    assert [(row[0], row[1]) for row in both.rows[1:]] == [(2022, 3)] * 18 + [(2022, 4)] * 18
    assert both.rows[1:19] == first.rows[1:]  # TW III kept as it was
    again = build_outputs(r4, sample_data, T2, existing_riwayat=both.rows).sheet("Riwayat")
    assert again.rows == both.rows
    later = build_outputs(r4, sample_data, T1, existing_riwayat=both.rows).sheet("Riwayat")
    assert {row[15] for row in later.rows[19:]} == {T1} and later.style(20, 16).number_format == FORMAT_WAKTU
    tw4 = both.rows[19:]
    assert [row[9] for row in tw4] == sorted(row[9] for row in tw4)
    assert tw4[0][13:15] == ("Tidak", "Tidak") and both.style(20, 13).number_format == FORMAT_HADIAH


def test_riwayat_keeps_rows_of_a_reordered_sheet():
    """Also a Riwayat of a version before issue 13: its ISO text time is the same moment as a date-time."""
    from indeks_opd.contract.output_sheets import existing_rows
    header = ["Catatan"] + list(reversed(RIWAYAT_HEADERS))
    row = ["x"] + list(reversed((2021, 2, "1.01", "A", 1.0, 2.0, 3.0, None, 4.0, 1, "Tinggi", "Hijau", 0, "Ya",
                                 "Tidak", "2021-07-01T10:00:00")))
    assert existing_rows([["Riwayat lama"], header, row, [None] * 17], RIWAYAT_HEADERS) == [
        (2021, 2, "1.01", "A", 1, 2, 3, None, 4, 1, "Tinggi", "Hijau", 0, "Ya", "Tidak", datetime(2021, 7, 1, 10))]


@pytest.mark.parametrize("cell", [
    "2024-07-15T09:30:05",  # ISO text, as versions before issue 13 wrote it
    " 2024-07-15 09:30:05 ",
    datetime(2024, 7, 15, 9, 30, 5),
    datetime(2024, 7, 15, 9, 30, 4, 999_000),  # a reader a millisecond off
    datetime(2024, 7, 15, 9, 30, 5, 1_000),
    45488.39589120370,  # the serial number, from a reader without formats
])
def test_a_moment_reads_back_the_same_from_every_reader(cell):
    assert read_moment(cell) == datetime(2024, 7, 15, 9, 30, 5)


@pytest.mark.parametrize("cell", ["dihitung ulang manual", "2024-02-30T10:00:00", None, True])
def test_what_is_not_a_moment_stays_as_it_is(cell):
    assert read_moment(cell) == cell


def test_log_grows_by_one_row_per_run(sample_data):
    r = compute_period(sample_data, 2022, 4)
    log1 = build_outputs(r, sample_data, T1).sheet("Log")
    log2 = build_outputs(r, sample_data, T2, existing_log=log1.rows).sheet("Log")
    assert log1.rows[0] == LOG_HEADERS and len(log1.rows) == 2 and len(log2.rows) == 3
    assert log2.rows[1] == log1.rows[1]
    waktu, tahun, tw, sementara, dinilai, n_galat, n_peringatan, sidik, param, versi, *alur = log2.rows[2]
    assert (waktu, tahun, tw, sementara, dinilai, n_galat) == (T2, 2022, 4, "Tidak", 18, 0)
    assert log2.style(3, 1).number_format == FORMAT_WAKTU and log2.style(1, 1).number_format is None
    assert alur == ["Hitung", None, None, None, None]  # Peristiwa; the workflow's columns stay blank
    assert len(sidik) == 64 and sidik == log1.rows[1][7]
    assert json.loads(param)["bobot"]["Capaian Kinerja Program"] == 50


def test_fingerprint_tracks_the_data_used(sample_data, write_workbook):
    base = data_fingerprint(sample_data, 2022, 4)
    rows = sample_rows()
    rows["Realisasi"] = [rows["Realisasi"][0]] + list(reversed(rows["Realisasi"][1:]))
    assert data_fingerprint(read_workbook(write_workbook(rows, nama="urutan.xlsx")), 2022, 4) == base
    other_period = copy.deepcopy(sample_rows())
    other_period["Realisasi"][1][5] += 1000  # a TW I row
    assert other_period["Realisasi"][1][1] == 1
    assert data_fingerprint(read_workbook(write_workbook(other_period, nama="tw1.xlsx")), 2022, 4) == base
    this_period = copy.deepcopy(sample_rows())
    this_period["Realisasi"][-1][5] += 1000  # a TW IV row
    assert data_fingerprint(read_workbook(write_workbook(this_period, nama="tw4.xlsx")), 2022, 4) != base
    # Bukti Dukung came later: left blank it is not hashed (locks recorded before it still match), filled it is
    assert "bukti_dukung" in sample_data.indikator.columns and sample_data.indikator["bukti_dukung"].isna().all()
    linked = copy.deepcopy(sample_rows())
    linked["Indikator"][-1][linked["Indikator"][0].index("Bukti Dukung")] = "https://drive.pemkot.go.id/bukti.pdf"
    assert data_fingerprint(read_workbook(write_workbook(linked, nama="bukti.xlsx")), 2022, 4) != base


def test_rekap_fills_cover_the_table_columns_of_ranked_rows():
    grid = [["Rekap TW IV", None, None, None, None, None],
            [None, None, None, None, None, None],
            [None, "No", "Kode OPD", "Nama OPD", "Indeks", None, "Catatan"],
            [None, 1, "2.15", "Dishub", 98.2, None, "x"],
            [None, 2, 5.01, "Bappeda", 97.0],
            [None, 3, "9.99", "Arsip", None],
            [None, None, None, None, None]]
    fills = rekap_row_fills(Sheet("Rekap", grid), {"2.15": "#00B050", "5.01": "#92D050", "1.02": "#FF0000"})
    assert [(f.row, f.first_column, f.last_column, f.colour) for f in fills] == [
        (4, 2, 5, "#00B050"), (5, 2, 5, "#92D050")]
    assert rekap_row_fills(Sheet("Rekap", [["tanpa kode"]]), {"2.15": "#00B050"}) == []
    spaced = [["Kode OPD", "Nama"], [" 2.15 ", "Dishub"], [4.0, "Empat"]]
    assert [(f.row, f.colour) for f in rekap_row_fills(Sheet("Rekap", spaced), {"2.15": "#00B050", "4": "#FF0000"})] \
        == [(2, "#00B050"), (3, "#FF0000")]


def test_indonesian_datetime():
    assert fmt.waktu_sel(datetime(2024, 8, 17, 9, 3)) == "17 Agustus 2024 09:03"


def test_history_without_a_recognisable_header_is_refused_not_wiped(sample_data):
    from indeks_opd.core.masalah import UnusableWorkbook
    r = compute_period(sample_data, 2022, 4)
    typed_by_hand = [["catatan rapat"], [2021, 4, "1.01"]]
    with pytest.raises(UnusableWorkbook, match="Sheet 'Log' sudah berisi data"):
        build_outputs(r, sample_data, T1, existing_log=typed_by_hand)
    with pytest.raises(UnusableWorkbook, match="Sheet 'Riwayat'"):
        build_outputs(r, sample_data, T1, existing_riwayat=typed_by_hand)
    empty = build_outputs(r, sample_data, T1, existing_riwayat=[[None, ""]], existing_log=[])
    assert len(empty.sheet("Log").rows) == 2 and len(empty.sheet("Riwayat").rows) == 19
