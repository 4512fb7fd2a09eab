"""*Hitung Indeks* (``indeks_opd.excel.hitung_indeks``) on xlwings' real remote engine.

The book is the JSON an Office.js client sends for a real .xlsx; the assertions are on the
workbook after the returned actions are applied (tests/officejs.py): the sheets, values,
number formats and colours a user would see.
"""

from __future__ import annotations

import math
from datetime import datetime

import openpyxl
import pytest

from indeks_opd.contract.output_sheets import FORMAT_HADIAH, FORMAT_WAKTU
from indeks_opd.core import compute_period
from indeks_opd.excel import hitung_indeks
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_rows
from officejs import Workbook, book_json, payload_of, run_remote

NOW = datetime(2026, 11, 28, 9, 5)
INPUT_SHEETS = ["Parameter", "OPD", "Realisasi", "Indikator"]
PERINGKAT_HEADERS = ["Peringkat", "Kode OPD", "Nama OPD", "Singkatan", "Serapan Anggaran", "Realisasi Fisik",
                     "Capaian Kinerja Program", "P3DN", "Indeks", "Kategori", "Zona", "Hadiah", "Keterangan"]


def hitung(payload, now=NOW):
    return run_remote(payload, lambda book: hitung_indeks(book, now=now))


def data_rows(sheet, first=6):
    return [r for r in sheet.rows()[first - 1:]]


def test_sample_workbook_gets_ranked_coloured_peringkat(sample_workbook):
    payload = book_json(sample_workbook)
    wb, actions, result = hitung(payload)
    expected = compute_period(read_workbook(sample_workbook), 2022, 4)

    assert wb.names() == INPUT_SHEETS + ["Peringkat", "Riwayat", "Masalah", "Log"]
    p = wb.sheet("Peringkat")
    assert p.values[(1, 1)] == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
    assert p.values[(2, 1)] == "Dihitung: 28 November 2026 09:05"
    assert (3, 1) not in p.values  # complete data: no SEMENTARA banner
    assert p.rows()[4] == PERINGKAT_HEADERS
    rows = data_rows(p)
    assert len(rows) == 18 == len(expected.hasil)
    for i, (row, r) in enumerate(zip(rows, expected.hasil.itertuples(index=False))):
        assert row[:4] == [r.peringkat, r.kode, r.nama, r.singkatan]
        assert row[4:9] == [r.serapan, r.fisik, r.cakin, None if math.isnan(r.p3dn) else r.p3dn, r.indeks]
        assert row[9:12] == [r.kategori, r.zona, r.hadiah]
        assert row[12] == ("Terendah" if r.terendah else None)
        assert {p.fills[(6 + i, c)] for c in range(1, 14)} == {r.warna}
        assert p.formats[(6 + i, 9)] == "0.00" and p.formats[(6 + i, 12)] == FORMAT_HADIAH
        assert {c for c in range(1, 14) if (6 + i, c) in p.centred} == {1, 2, 10, 11}  # rank, code, kategori, zona
    assert [row[1] for row in rows[:3]] == ["2.15", "2.12", "5.01"]
    assert [row[11] for row in rows[:4]] == [5_000_000, 3_000_000, 1_000_000, 0]
    assert (5, 13) in p.bold and (6, 1) not in p.bold
    # headers wrap in a row tall enough for three lines, and stay on screen; the remote engine has no print setup
    assert {c for r, c in p.wrap if r == 5} == set(range(1, 14)) and p.heights == {5: 45.0}
    assert p.frozen_rows == 5 and wb.sheet("Riwayat").frozen_rows == wb.sheet("Log").frozen_rows == 1
    assert wb.alerts == ["Indeks Tahun 2022 Triwulan IV selesai dihitung: 18 OPD dinilai; 0 galat, 0 peringatan. "
                         "Hasil ada di sheet Peringkat, Riwayat, Masalah dan Log."]
    # input sheets are never touched
    assert all(a["sheet_position"] is None or a["sheet_position"] >= 4 for a in actions)
    for name in INPUT_SHEETS:
        assert wb.sheet(name) == Workbook(payload).sheet(name)


def test_riwayat_masalah_and_log(sample_workbook):
    wb, _, result = hitung(book_json(sample_workbook))
    riwayat = wb.sheet("Riwayat").rows()
    assert riwayat[0][:4] == ["Tahun", "Triwulan", "Kode OPD", "Nama OPD"] and riwayat[0][-1] == "Dihitung Pada"
    assert len(riwayat) == 19
    assert riwayat[1][:4] == [2022, 4, "2.15", "Dinas Perhubungan"]
    assert riwayat[1][13:] == ["Tidak", "Tidak", datetime(2026, 11, 28, 9, 5)]  # a real date-time
    assert wb.sheet("Riwayat").formats[(2, 16)] == FORMAT_WAKTU
    assert wb.sheet("Masalah").rows() == [["Tingkat", "Lokasi", "Kode OPD", "Pesan", "Tahun", "Triwulan"],
                                          ["Tidak ada masalah", None, None, None, None, None]]
    log = wb.sheet("Log").rows()
    assert len(log) == 2 and log[1][:7] == [datetime(2026, 11, 28, 9, 5), 2022, 4, "Tidak", 18, 0, 0]
    assert wb.sheet("Log").formats[(2, 1)] == FORMAT_WAKTU
    assert len(log[1][7]) == 64 and '"BatasCapaian": 100.0' in log[1][8]


def test_running_twice_gives_the_same_sheets_and_one_more_log_row(sample_workbook):
    payload = book_json(sample_workbook)
    first, _, _ = hitung(payload)
    second, _, _ = hitung(payload_of(first, payload))
    assert second.names() == first.names()
    for name in ("Peringkat", "Riwayat", "Masalah"):
        a, b = first.sheet(name), second.sheet(name)
        assert (a.values, a.formats, a.fills, a.bold) == (b.values, b.formats, b.fills, b.bold), name
    log = second.sheet("Log").rows()
    assert len(log) == 3 and log[1][7] == log[2][7]  # same data, same fingerprint


def test_recomputing_a_period_replaces_only_its_riwayat_rows(sample_workbook):
    payload = book_json(sample_workbook)
    tw = next(n for n in payload["names"] if n["name"] == "TriwulanAktif")
    parameter = payload["sheets"][tw["sheet_index"]]
    parameter["values"][4][6] = 3  # Parameter!G5: TriwulanAktif = 3
    tw3, _, _ = hitung(payload, now=datetime(2026, 10, 1, 8, 0))
    assert tw3.sheet("Peringkat").values[(1, 1)].endswith("Triwulan III")
    parameter_then = payload_of(tw3, payload)
    next(s for s in parameter_then["sheets"] if s["name"] == "Parameter")["values"][4][6] = 4
    both, _, _ = hitung(parameter_then)
    riwayat = both.sheet("Riwayat").rows()[1:]
    assert [(r[0], r[1]) for r in riwayat] == [(2022, 3)] * 18 + [(2022, 4)] * 18
    kept = [r for r in riwayat if r[1] == 3]
    assert kept == tw3.sheet("Riwayat").rows()[1:]
    assert {r[15] for r in kept} == {datetime(2026, 10, 1, 8, 0)}


def test_provisional_result_has_banner_no_prizes_and_lists_problems(write_workbook):
    sheets = sample_rows()
    row = next(i for i, r in enumerate(sheets["Realisasi"]) if r[:3] == [2022, 4, "1.01"])
    sheets["Realisasi"][row][5] = None  # Realisasi Keuangan of Disdikbud, TW IV
    path = write_workbook(sheets)
    wb, _, result = hitung(book_json(path))
    p = wb.sheet("Peringkat")
    assert p.values[(3, 1)] == ("SEMENTARA — ada 1 galat data; hadiah ditahan sampai data lengkap. "
                                "Lihat sheet Masalah.")
    rows = data_rows(p)
    assert len(rows) == 18 and all(r[11] == 0 for r in rows[:17])
    assert rows[-1][1:4] == ["1.01", "Dinas Pendidikan dan Kebudayaan", "Disdikbud"]
    assert rows[-1][12] == "Tidak dinilai: lihat Masalah" and not any(r[0] == 23 for r in p.fills)
    masalah = wb.sheet("Masalah").rows()
    assert masalah[1][:3] == ["Galat", f"Realisasi!F{row + 1}", "1.01"] and "kosong" in masalah[1][3]
    assert "SEMENTARA" in wb.alerts[0] and "1 OPD tidak dinilai" in wb.alerts[0]


def test_text_that_looks_like_a_formula_is_written_as_text(write_workbook):
    sheets = sample_rows()
    sheets["OPD"][1][1] = '=HYPERLINK("http://contoh","Dinas Perhubungan")'
    sheets["OPD"][1][2] = "-Dishub"
    wb, actions, _ = hitung(book_json(write_workbook(sheets)))
    top = data_rows(wb.sheet("Peringkat"))[0]
    assert top[2:4] == ['=HYPERLINK("http://contoh","Dinas Perhubungan")', "-Dishub"]
    written = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert "'-Dishub" in written and not any(isinstance(v, str) and v[:1] in ("=", "+", "-", "@") for v in written)


def test_rekap_rows_of_ranked_opds_get_the_category_colour_only(sample_workbook):
    wb_file = openpyxl.load_workbook(sample_workbook)
    rekap = wb_file.create_sheet("Rekap")
    rekap.append(["Rekap Indeks"])
    rekap.append([])
    rekap.append(["No", "Kode OPD", "Nama OPD", "Indeks", None, "Catatan lepas"])
    rekap.append([1, "2.15", "Dinas Perhubungan", 98.21])
    rekap.append([2, "9.99", "OPD lain", 50])
    rekap.append([3, "1.02", "Dinas Kesehatan", 60])
    wb_file.save(sample_workbook)
    payload = book_json(sample_workbook)
    wb, _, result = hitung(payload)
    r = wb.sheet("Rekap")
    assert r.values == Workbook(payload).sheet("Rekap").values
    warna = dict(zip(result.hasil["kode"], result.hasil["warna"]))
    assert {rc: f for rc, f in r.fills.items()} == {
        **{(4, c): warna["2.15"] for c in range(1, 5)}, **{(6, c): warna["1.02"] for c in range(1, 5)}}


def test_unusable_workbook_only_shows_why(write_workbook):
    sheets = sample_rows()
    del sheets["Indikator"]
    wb, actions, result = hitung(book_json(write_workbook(sheets)))
    assert result is None
    assert [a["func"] for a in actions] == ["alert"]
    assert wb.alerts[0].startswith("Indeks tidak dapat dihitung:\n- Indikator: Sheet 'Indikator' tidak ditemukan.")


@pytest.mark.parametrize("nama", ["peringkat", "PERINGKAT"])
def test_existing_output_sheet_is_found_by_name_and_rewritten(sample_workbook, nama):
    wb_file = openpyxl.load_workbook(sample_workbook)
    old = wb_file.create_sheet(nama)
    for _ in range(40):
        old.append(["lama"] * 20)
    wb_file.save(sample_workbook)
    wb, _, _ = hitung(book_json(sample_workbook))
    assert wb.names() == INPUT_SHEETS + [nama, "Riwayat", "Masalah", "Log"]
    assert "lama" not in {v for v in wb.sheet(nama).values.values()}
    assert len(wb.sheet(nama).rows()) == 23


def test_a_riwayat_that_cannot_be_read_back_is_left_alone(sample_workbook):
    wb_file = openpyxl.load_workbook(sample_workbook)
    catatan = wb_file.create_sheet("Riwayat")
    catatan.append(["catatan rapat triwulan lalu", "jangan dihapus"])
    wb_file.save(sample_workbook)
    wb, actions, result = hitung(book_json(sample_workbook))
    assert result is None and [a["func"] for a in actions] == ["alert"]
    assert "Riwayat" in wb.alerts[0]
    assert wb.sheet("Riwayat").values == {(1, 1): "catatan rapat triwulan lalu", (1, 2): "jangan dihapus"}


def test_the_button_writes_one_block_per_group_like_the_cli(tmp_path):
    """The kelompok sample through the Excel path: the same Peringkat and Riwayat as the file writer (group blocks,
    Peringkat Umum, Ketepatan Waktu and Nilai SAKIP columns), Tanggal Diterima read from date cells."""
    from indeks_opd.contract.output_sheets import build_outputs
    from indeks_opd.files.sample_kelompok import kelompok_sample_path

    wb, _, result = hitung(book_json(kelompok_sample_path()))
    data = read_workbook(kelompok_sample_path())
    expected = build_outputs(compute_period(data, 2022, 4), data, NOW)
    for name in ("Peringkat", "Riwayat"):
        model = expected.sheet(name)
        assert wb.sheet(name).rows()[:len(model.rows)] == [
            [v for v in row] + [None] * (len(wb.sheet(name).rows()[i]) - len(row)) for i, row in enumerate(model.rows)]
    p = wb.sheet("Peringkat")
    assert p.rows()[5][0] == "Kelompok Dinas/Badan" and (6, 1) in p.bold
    assert result.as_dict()["hasil"][0]["ketepatan_waktu"] is not None
