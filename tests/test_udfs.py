"""The UDFs through xlwings Server's own Python side (``XLWINGS_ON_SERVER=true``).

Each request is what the Office.js add-in sends for a formula: every argument a 2-D list,
empty cells as "", Excel errors as error objects. Expected numbers are worked out by hand
from the rules of docs/metode.md.
"""

from __future__ import annotations

import pytest

DIV0 = {"type": "Error", "errorType": "Div0", "basicValue": "#DIV/0!"}

FUNCTIONS = {
    "INDEKS_OPD": ["serapan", "fisik", "cakin", "p3dn", "bobot", "lain"],
    "CAPAIAN": ["target", "realisasi", "arah", "batas"],
    "KOMPONEN_OPD": ["kode", "tahun", "triwulan", "tabel_realisasi", "komponen", "batas", "tabel_parameter"],
    "KOMPONEN_LAIN": ["tabel_bobot", "nomor"],
    "CAKIN_OPD": ["kode", "tahun", "triwulan", "tabel_indikator", "batas"],
    "KATEGORI_KINERJA": ["indeks", "tabel_kategori"],
    "ZONA_OPD": ["indeks", "tabel_kategori"],
    "PERINGKAT_OPD": ["indeks", "semua_indeks", "kelompok", "semua_kelompok"],
    "HADIAH_OPD": ["indeks", "semua_indeks", "tabel_hadiah", "kelompok", "semua_kelompok"],
}
OPTIONAL = {"bobot", "lain", "arah", "batas", "tabel_kategori", "tabel_hadiah", "kelompok", "semua_kelompok",
            "tabel_parameter"}


@pytest.fixture
def server(xlwings_server):
    return xlwings_server


def galat(result) -> str:
    """The #GALAT text of a 1×1 result (fails when the result is a number)."""
    (value,), = result
    assert isinstance(value, str) and value.startswith("#GALAT: "), value
    assert "\n" not in value and "Traceback" not in value
    return value


# --- registration --------------------------------------------------------------------------------------

def test_every_udf_is_registered_with_indonesian_help(server):
    meta = server.request(op="meta")
    by_name = {f["name"]: f for f in meta["functions"]}
    assert set(by_name) == set(FUNCTIONS)
    for name, params in FUNCTIONS.items():
        f = by_name[name]
        assert [p["name"] for p in f["parameters"]] == params
        assert len(f["description"]) > 30 and "\n" not in f["description"].strip()
        for p in f["parameters"]:
            assert p.get("optional", False) == (p["name"] in OPTIONAL), (name, p)
            assert not p["description"].startswith("Positional argument"), (name, p)
    assert "P3DN kosong" in by_name["INDEKS_OPD"]["description"]
    assert "KOSONGKAN" in by_name["INDEKS_OPD"]["parameters"][3]["description"]
    assert "baris judul" in by_name["KOMPONEN_OPD"]["parameters"][3]["description"]
    assert "dibulatkan 2 desimal" in by_name["PERINGKAT_OPD"]["description"]


# --- INDEKS_OPD --------------------------------------------------------------------------------------

def test_index_of_one_opd_redistributes_p3dn_weight_when_blank(server):
    # (20·90 + 20·95 + 50·98) / 90 with P3DN not applicable; with P3DN 50: (.. + 10·50) / 100
    assert server.call("INDEKS_OPD", 90, 95, 98, None) == [[pytest.approx(8600 / 90)]]
    assert server.call("INDEKS_OPD", 90, 95, 98, 50) == [[pytest.approx(91.0)]]


def test_index_accepts_numbers_typed_as_indonesian_text(server):
    assert server.call("INDEKS_OPD", "90", "95,5", "98", "50%") == [[pytest.approx(18 + 19.1 + 49 + 5)]]


def test_index_of_a_column_gives_a_column_with_errors_only_where_the_row_is_bad(server):
    result = server.call("INDEKS_OPD", [[90], [80], [70]], [[95], [70], [70]], [[98], [60], [None]],
                         [[None], [50], [70]])
    assert result[0] == [pytest.approx(8600 / 90)]
    assert result[1] == [pytest.approx((20 * 80 + 20 * 70 + 50 * 60 + 10 * 50) / 100)]
    assert "Capaian Kinerja Program kosong" in galat([result[2]])


def test_index_with_weights_from_a_range(server):
    assert server.call("INDEKS_OPD", 80, 60, 100, 40, [[30, 30, 40, 0]]) == [[pytest.approx(24 + 18 + 40)]]
    assert "harus tepat 100" in galat(server.call("INDEKS_OPD", 80, 60, 100, 40, [[20], [20], [50], [20]]))
    assert "4 sel" in galat(server.call("INDEKS_OPD", 80, 60, 100, 40, [[50, 50]]))


def test_index_with_extra_components_and_their_weights(server):
    # weights 20/20/40/10 + SAKIP 10: A = 0.2·100 + 0.2·100 + 0.4·90 + 0.1·100 + 0.1·80 = 94 (docs/metode.md);
    # B without P3DN: (20·60 + 20·60 + 40·50 + 10·70) / 90
    bobot = [[20, 20, 40, 10, 10]]
    result = server.call("INDEKS_OPD", [[100], [60]], [[100], [60]], [[90], [50]], [[100], [None]], bobot, [[80], [70]])
    assert result == [[pytest.approx(94.0)], [pytest.approx(5100 / 90)]]
    # two extra columns (Ketepatan Waktu 10, SAKIP 0): a blank score of a component weighted 0 is no problem
    assert server.call("INDEKS_OPD", 100, 100, 90, 100, [[20, 20, 40, 10, 10, 0]], [[90, None]]) == \
        [[pytest.approx(20 + 20 + 36 + 10 + 9)]]
    assert "kosong; komponen ini wajib ada" in galat(server.call("INDEKS_OPD", 100, 100, 90, 100, bobot, [[None]]))
    assert "range 6 sel" in galat(server.call("INDEKS_OPD", 100, 100, 90, 100, bobot, [[80, 70]]))
    # a Bobot table with an extra row given to a formula without lain (the master's Rekap): said, not a wrong number
    assert "perlu capaiannya di argumen lain" in galat(server.call("INDEKS_OPD", 100, 100, 90, 100, bobot))


BOBOT_SKEMA = [["Komponen", "Bobot"], ["Serapan Anggaran", 20], ["Realisasi Fisik", 20], ["Ketepatan Waktu", 10],
               ["Capaian Kinerja Program", 40], ["P3DN", 0], ["Nilai IKM", 0], ["Nilai SAKIP", 10]]
"""A Bobot table as Bappeda extends it: Ketepatan Waktu between the standard rows, an extra weighted 0."""


def test_index_with_the_whole_bobot_table_takes_the_other_components_in_table_order(server):
    # lain = (Ketepatan Waktu 90, Nilai SAKIP 70, an unused Rekap column): 0.2·80 + 0.2·60 + 0.1·90 + 0.4·100 + 0.1·70
    assert server.call("INDEKS_OPD", 80, 60, 100, None, BOBOT_SKEMA, [[90, 70, None]]) == [[pytest.approx(84.0)]]
    # the four standard rows alone (the shipped master): the other columns stay blank
    baku = [BOBOT_SKEMA[0], ["Serapan Anggaran", 20], ["Realisasi Fisik", 20], ["Capaian Kinerja Program", 50],
            ["P3DN", 10]]
    assert server.call("INDEKS_OPD", 80, 60, 100, 50, baku, [[None] * 4]) == [[pytest.approx(16 + 12 + 50 + 5)]]
    assert "argumen lain baru 1 kolom" in galat(server.call("INDEKS_OPD", 80, 60, 100, None, BOBOT_SKEMA, [[90]]))
    assert "kolom lain ke-3 berisi nilai" in galat(server.call("INDEKS_OPD", 80, 60, 100, None, BOBOT_SKEMA,
                                                               [[90, 70, 5]]))
    assert "harus tepat 100" in galat(server.call("INDEKS_OPD", 80, 60, 100, None, BOBOT_SKEMA[:-1], [[90]]))


def test_the_other_components_of_the_bobot_table_by_number(server):
    assert server.call("KOMPONEN_LAIN", BOBOT_SKEMA, [[1, 2, 3]]) == [["Ketepatan Waktu", "Nilai SAKIP", ""]]
    assert "nomor harus" in galat(server.call("KOMPONEN_LAIN", BOBOT_SKEMA, 0))
    assert "Komponen | Bobot" in galat(server.call("KOMPONEN_LAIN", [["Kategori", "Batas Bawah"]], 1))


def test_index_refuses_what_would_otherwise_become_a_plausible_number(server):
    # an Excel error in P3DN must not be read as blank (= not applicable)
    assert "#DIV/0!" in galat(server.call("INDEKS_OPD", 90, 95, 98, [[DIV0]]))
    assert "tidak terbaca" in galat(server.call("INDEKS_OPD", 90, 95, "sembilan puluh", None))
    assert "negatif" in galat(server.call("INDEKS_OPD", -5, 95, 98, None))
    assert "galat dari sel lain" in galat(server.call("INDEKS_OPD", "#GALAT: x", 95, 98, None))
    assert "ukuran range tidak sama" in galat(server.call("INDEKS_OPD", [[90], [80]], [[95], [70], [1]], 98, None))


def test_a_row_of_blanks_stays_blank(server):
    assert server.call("INDEKS_OPD", [[90], [None]], [[95], [None]], [[98], [None]], [[None], [None]]) == \
        [[pytest.approx(8600 / 90)], [""]]


# --- CAPAIAN -------------------------------------------------------------------------------------------

def test_capaian_by_direction_and_cap(server):
    assert server.call("CAPAIAN", 80, 60) == [[75.0]]
    assert server.call("CAPAIAN", 40, 50, "Turun") == [[75.0]]           # (80 − 50) / 40
    assert server.call("CAPAIAN", 40, 30, "turun") == [[100.0]]          # 125 capped at 100
    assert server.call("CAPAIAN", 40, 30, "Turun", 120) == [[120.0]]     # BatasCapaian 120
    assert server.call("CAPAIAN", 0, 0, "Turun") == [[100.0]]
    assert server.call("CAPAIAN", [[100], [100]], [[50], [150]]) == [[50.0], [100.0]]


def test_capaian_errors(server):
    assert "Target 0" in galat(server.call("CAPAIAN", 0, 5))
    assert "Arah 'atas'" in galat(server.call("CAPAIAN", 10, 5, "atas"))
    assert "BatasCapaian" in galat(server.call("CAPAIAN", 10, 5, None, 90))
    assert "negatif" in galat(server.call("CAPAIAN", 10, -5))


# --- categories, ranks, prizes ---------------------------------------------------------------------------

def test_category_and_zone_follow_the_rounded_index(server):
    assert server.call("KATEGORI_KINERJA", [[90.995], [90.994], [65.99], [None]]) == \
        [["Sangat Tinggi"], ["Tinggi"], ["Rendah"], [""]]
    assert server.call("ZONA_OPD", [[91], [70], [50.994]]) == [["Hijau"], ["Kuning"], ["Merah"]]


def test_category_from_a_parameter_table(server):
    tabel = [["Kategori", "Batas Bawah", "Warna", "Zona"], ["Baik", 80, "#00B050", "Hijau"],
             ["Kurang", None, "#FF0000", "Merah"]]
    assert server.call("KATEGORI_KINERJA", [[85], [79.99]], tabel) == [["Baik"], ["Kurang"]]
    assert server.call("ZONA_OPD", 85, tabel) == [["Hijau"]]
    assert "tabel tidak dikenali" in galat(server.call("ZONA_OPD", 85, [["Nama", "Nilai"], ["a", 1]]))
    salah = [row[:] for row in tabel]
    salah[1][2] = "hijau"
    assert "kode warna" in galat(server.call("ZONA_OPD", 85, salah))


def test_rank_shares_ties_on_the_rounded_index(server):
    semua = [[90.001], [95.004], [94.996], [80], ["#GALAT: x"], [None]]
    assert server.call("PERINGKAT_OPD", semua[:4], semua) == [[3], [1], [1], [4]]


def test_prizes_are_shared_by_tied_opds(server):
    semua = [[90], [95], [95], [80]]
    assert server.call("HADIAH_OPD", semua, semua) == [[1_000_000], [4_000_000], [4_000_000], [0]]
    tabel = [["Peringkat", "Hadiah", "Sumber"], [1, "Rp2.000.000", "APBD"]]
    assert server.call("HADIAH_OPD", semua, semua, tabel) == [[0], [1_000_000], [1_000_000], [0]]
    assert "tidak ada di semua_indeks" in galat(server.call("HADIAH_OPD", 70, semua))


def test_rank_and_prizes_within_peer_groups(server):
    # Dinas: 95, 90, 90 → ranks 1, 2, 2; Kecamatan: 92, 80 → 1, 2 (docs/metode.md, peer groups)
    semua = [[95], [92], [90], [90], [80], [None]]
    grup = [["Dinas"], ["Kecamatan"], ["Dinas"], ["dinas "], ["Kecamatan"], [None]]
    assert server.call("PERINGKAT_OPD", semua[:5], semua, grup[:5], grup) == [[1], [1], [2], [2], [2]]
    # shared rows 5/3/1 juta for Dinas (2nd and 3rd shared by the tie: 2 juta each); Kecamatan's own rows
    tabel = [["Peringkat", "Hadiah", "Sumber", "Kelompok"], [1, 5_000_000, "Bank", None], [2, 3_000_000, "Bank", None],
             [3, 1_000_000, "Bank", None], [1, 2_000_000, "Camat", "Kecamatan"]]
    assert server.call("HADIAH_OPD", semua[:5], semua, tabel, grup[:5], grup) == [
        [5_000_000], [2_000_000], [2_000_000], [2_000_000], [0]]
    assert "kelompok 'Kelurahan' tidak ada" in galat(server.call("PERINGKAT_OPD", 90, semua, "Kelurahan", grup))
    assert "seukuran semua_indeks" in galat(server.call("PERINGKAT_OPD", 90, semua, "Dinas", grup[:3]))


# --- from the data tables --------------------------------------------------------------------------------

def _table(path, sheet):
    import openpyxl
    wb = openpyxl.load_workbook(path, data_only=True)
    return [[c.value for c in r] for r in wb[sheet].iter_rows()]


def test_components_of_an_opd_from_the_realisasi_table(server, write_workbook):
    path = write_workbook({
        "OPD": [["Kode OPD", "Nama OPD"], ["1.01", "Dinas A"]],
        "Realisasi": [["Tahun", "Triwulan", "Kode OPD", "Pagu Anggaran", "Target Keuangan", "Realisasi Keuangan",
                       "Target Fisik", "Realisasi Fisik", "Target P3DN", "Realisasi P3DN"],
                      [2024, 2, "1.01", "Rp1.000.000", 400_000, 300_000, 50, 45, None, None],
                      [2024, 2, "1.02", 1_000_000, 400_000, None, 50, 45, 100, 90],
                      [2024, 1, "1.01", 1_000_000, 200_000, 100_000, 25, 5, 100, 90]],
        "Indikator": [["Tahun", "Triwulan", "Kode OPD", "Program", "Indikator", "Arah", "Target", "Realisasi"]],
    })
    tabel = _table(path, "Realisasi")
    kode = [["1.01"], ["1.01"], ["1.02"], [None]]
    kolom = server.call("KOMPONEN_OPD", kode, 2024, "TW II", tabel, "serapan")
    assert kolom[:2] == [[75.0], [75.0]] and kolom[3] == [""]
    assert "Realisasi Keuangan kosong" in galat([kolom[2]])
    assert server.call("KOMPONEN_OPD", "1.01", 2024, 2, tabel, "fisik") == [[90.0]]
    assert server.call("KOMPONEN_OPD", "1.01", 2024, 2, tabel, "p3dn") == [[""]]       # not applicable
    assert server.call("KOMPONEN_OPD", "1.02", 2024, 2, tabel, "P3DN") == [[90.0]]     # its row is fine for p3dn
    assert server.call("KOMPONEN_OPD", "1.01", 2024, 1, tabel, "fisik") == [[20.0]]
    pesan = galat(server.call("KOMPONEN_OPD", "1.02", 2024, 2, tabel, "serapan"))
    assert "Realisasi!F3" in pesan and "Realisasi Keuangan kosong" in pesan
    assert "belum punya data Realisasi untuk TW III 2024" in galat(
        server.call("KOMPONEN_OPD", "1.01", 2024, 3, tabel, "serapan"))
    assert "komponen 'cakin'" in galat(server.call("KOMPONEN_OPD", "1.01", 2024, 2, tabel, "cakin"))
    assert "Realisasi Keuangan" in galat(server.call("KOMPONEN_OPD", "1.01", 2024, 2, [r[:5] for r in tabel],
                                                     "serapan"))


def test_cakin_of_an_opd_from_the_indicator_table(server):
    tabel = [["Tahun", "Triwulan", "Kode OPD", "Program", "Indikator", "Satuan", "Arah", "Target", "Realisasi"],
             [2024, 1, "A", "P1", "I1", "%", "Naik", 80, 60],
             [2024, 1, "A", "P1", "I2", "hari", "Turun", 4, 5],
             [2024, 1, "B", "P1", "I1", "%", "Naik", 0, 5],
             [2024, 2, "A", "P1", "I1", "%", "Naik", 80, "delapan"]]
    assert server.call("CAKIN_OPD", "A", 2024, 1, tabel) == [[pytest.approx((75 + 75) / 2)]]
    assert "Target 0" in galat(server.call("CAKIN_OPD", "B", 2024, 1, tabel))
    assert "tidak terbaca" in galat(server.call("CAKIN_OPD", "A", 2024, 2, tabel))
    assert "belum punya indikator" in galat(server.call("CAKIN_OPD", "C", 2024, 1, tabel))
    assert "triwulan 5" in galat(server.call("CAKIN_OPD", "A", 2024, 5, tabel))
    assert "kode OPD berisi galat dari sel lain" in galat(server.call("CAKIN_OPD", "#GALAT: x", 2024, 1, tabel))


def test_weighted_cakin_when_bobot_is_filled(server):
    tabel = [["Tahun", "Triwulan", "Kode OPD", "Program", "Indikator", "Arah", "Target", "Realisasi", "Bobot"],
             [2024, 1, "A", "P", "I1", "Naik", 100, 50, 3],
             [2024, 1, "A", "P", "I2", "Naik", 100, 100, 1]]
    assert server.call("CAKIN_OPD", "A", 2024, 1, tabel) == [[pytest.approx((3 * 50 + 100) / 4)]]


def test_excel_error_inside_a_table_is_reported_not_skipped(server):
    na = {"type": "Error", "errorType": "NotAvailable", "basicValue": "#N/A"}
    tabel = [["Tahun", "Triwulan", "Kode OPD", "Pagu Anggaran", "Target Keuangan", "Realisasi Keuangan",
              "Target Fisik", "Realisasi Fisik", "Target P3DN", "Realisasi P3DN"],
             [2024, 1, "A", 1000, 500, 400, 50, 40, 100, na]]
    pesan = galat(server.call("KOMPONEN_OPD", "A", 2024, 1, tabel, "p3dn"))
    assert "Realisasi!J2" in pesan and "#N/A" in pesan
    assert server.call("KOMPONEN_OPD", "A", 2024, 1, tabel, "serapan") == [[80.0]]


REALISASI_SKEMA = [["Tahun", "Triwulan", "Kode OPD", "Pagu Anggaran", "Target Keuangan", "Realisasi Keuangan",
                    "Target Fisik", "Realisasi Fisik", "Target P3DN", "Realisasi P3DN", "Nilai SAKIP",
                    "Tanggal Diterima"],
                   [2024, 4, "A", 1000, 500, 400, 50, 40, None, None, 72.5, 45671.375],  # 14/01/2025 09:00
                   [2024, 4, "B", 1000, 500, 400, 50, 40, None, None, 130, 45668.99],    # 11/01/2025 23:45
                   [2024, 4, "C", 1000, 500, 400, 50, 40, None, None, None, 45667.0],    # 10/01/2025
                   [2024, 4, "D", 1000, 500, 400, 50, 40, None, None, -1, None]]
PARAMETER_SKEMA = [["Komponen", "Bobot", None, "Nama", "Nilai"], ["Serapan Anggaran", 20, None, "PenguranganPerHari", 5],
                   ["Realisasi Fisik", 20], ["Capaian Kinerja Program", 40], ["P3DN", 0], ["Nilai SAKIP", 10],
                   ["Ketepatan Waktu", 10], [], ["Tahun", "Triwulan", "Batas Pengumpulan"], [2024, 4, 45667]]
"""Batas Pengumpulan TW IV 2024: 10/01/2025 (Excel serial 45667, as xlwings Server passes date cells)."""


def test_ketepatan_waktu_of_an_opd_from_the_received_date_and_the_jadwal(server):
    # deadline 10/01/2025, 5 points per day late: A 4 days → 80, B 1 day (the time does not count) → 95, C on time
    kode = [["A"], ["B"], ["C"]]
    assert server.call("KOMPONEN_OPD", kode, 2024, 4, REALISASI_SKEMA, "Ketepatan Waktu", None, PARAMETER_SKEMA) == [
        [80.0], [95.0], [100.0]]
    pesan = galat(server.call("KOMPONEN_OPD", "D", 2024, 4, REALISASI_SKEMA, "ketepatan waktu", None, PARAMETER_SKEMA))
    assert "Realisasi!L5" in pesan and "Tanggal Diterima kosong" in pesan
    assert "Batas Pengumpulan TW III 2024 belum ada di tabel Jadwal" in galat(server.call(
        "KOMPONEN_OPD", "A", 2024, 3, [REALISASI_SKEMA[0], [2024, 3, "A", *REALISASI_SKEMA[1][3:]]], "Ketepatan Waktu",
        None, PARAMETER_SKEMA))
    assert "perlu tabel_parameter" in galat(server.call("KOMPONEN_OPD", "A", 2024, 4, REALISASI_SKEMA,
                                                        "Ketepatan Waktu"))


def test_an_extra_component_of_an_opd_from_its_realisasi_column(server):
    # the score as typed, clamped to [0, batas]: 72.5; 130 → 100, or 120 with BatasCapaian 120
    assert server.call("KOMPONEN_OPD", [["A"], ["B"]], 2024, 4, REALISASI_SKEMA, "Nilai SAKIP") == [[72.5], [100.0]]
    assert server.call("KOMPONEN_OPD", "B", 2024, 4, REALISASI_SKEMA, "nilai  sakip", 120) == [[120.0]]
    assert "Realisasi!K4: Nilai SAKIP kosong" in galat(server.call("KOMPONEN_OPD", "C", 2024, 4, REALISASI_SKEMA,
                                                                    "Nilai SAKIP"))
    assert "negatif" in galat(server.call("KOMPONEN_OPD", "D", 2024, 4, REALISASI_SKEMA, "Nilai SAKIP"))
    assert "Kolom 'Nilai IKM' tidak ditemukan" in galat(server.call("KOMPONEN_OPD", "A", 2024, 4, REALISASI_SKEMA,
                                                                    "Nilai IKM"))
    assert "dihitung oleh CAKIN_OPD" in galat(server.call("KOMPONEN_OPD", "A", 2024, 4, REALISASI_SKEMA,
                                                          "Capaian Kinerja Program"))
    assert "tidak dikenal" in galat(server.call("KOMPONEN_OPD", "A", 2024, 4, REALISASI_SKEMA, "Pagu Anggaran"))


def test_cakin_refuses_an_unsafe_evidence_link_as_hitung_does(server):
    """Rekap's CAKIN_OPD reads tblIndikator[#All], Bukti Dukung included: an unsafe link blocks that OPD there
    too (docs/kontrak.md, "Bukti Dukung"), an accepted one changes nothing."""
    tabel = [["Tahun", "Triwulan", "Kode OPD", "Program", "Indikator", "Satuan", "Arah", "Target", "Realisasi",
              "Bobot", "Bukti Dukung"],
             [2024, 1, "A", "P1", "I1", "%", "Naik", 80, 60, "", "\\\\bappeda-fs01\\bukti\\a.pdf"],
             [2024, 1, "B", "P1", "I1", "%", "Naik", 80, 60, "", "javascript:alert(1)"]]
    assert server.call("CAKIN_OPD", "A", 2024, 1, tabel) == [[pytest.approx(75)]]
    pesan = galat(server.call("CAKIN_OPD", "B", 2024, 1, tabel))
    assert "Indikator!K3" in pesan and "skema 'javascript:'" in pesan
