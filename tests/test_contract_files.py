"""Reading the workbook contract from real .xlsx files written with openpyxl (docs/kontrak.md)."""

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from helpers import indikator, opd, realisasi
from indeks_opd.contract import default_headers
from indeks_opd.core import compute_period
from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import write_contract_workbook


def rows(opds=("A", "B"), real=None, ind=None):
    return {
        "OPD": [list(default_headers("OPD"))] + [list(opd(k)) for k in opds],
        "Realisasi": [list(default_headers("Realisasi"))] + [list(r) for r in (real or [realisasi(k) for k in opds])],
        "Indikator": [list(default_headers("Indikator"))] + [list(r) for r in (ind or [indikator(k) for k in opds])],
    }


def test_sample_workbook_reads_without_problems(sample_workbook):
    d = read_workbook(sample_workbook)
    assert d.masalah == []
    assert (d.parameter.tahun_aktif, d.parameter.triwulan_aktif) == (2022, 4)
    assert d.periods() == [(2022, 1), (2022, 2), (2022, 3), (2022, 4)]
    assert len(d.opd) == 19 and d.opd["aktif"].sum() == 18


def test_missing_sheet_is_unusable(tmp_path):
    path = write_contract_workbook(tmp_path / "x.xlsx", {k: v for k, v in rows().items() if k != "Indikator"})
    with pytest.raises(UnusableWorkbook) as e:
        read_workbook(path)
    assert "Sheet 'Indikator' tidak ditemukan" in str(e.value)


def test_missing_column_is_unusable_and_named(tmp_path):
    r = rows()
    r["Realisasi"] = [row[:4] + row[5:] for row in r["Realisasi"]]  # drop Target Keuangan
    with pytest.raises(UnusableWorkbook) as e:
        read_workbook(write_contract_workbook(tmp_path / "x.xlsx", r))
    [m] = e.value.masalah
    assert m.sheet == "Realisasi" and "'Target Keuangan'" in m.pesan


def test_duplicate_column_is_unusable(tmp_path):
    r = rows()
    r["OPD"] = [row + [row[1]] for row in r["OPD"]]
    with pytest.raises(UnusableWorkbook) as e:
        read_workbook(write_contract_workbook(tmp_path / "x.xlsx", r))
    assert "'Nama OPD' muncul lebih dari sekali" in str(e.value)


def test_headers_in_any_order_case_spacing_with_extra_columns_and_a_title_row(tmp_path):
    r = rows()
    header = ["Catatan", "realisasi\nKEUANGAN", "Kode  OPD", "Tahun", "TRIWULAN", "Pagu Anggaran (Rp)",
              "target keuangan", "Target Fisik (%)", "Realisasi Fisik", "Target P3DN", "Realisasi P3DN"]
    order = [None, 5, 2, 0, 1, 3, 4, 6, 7, 8, 9]
    body = [["catatan bebas" if j is None else row[j] for j in order] for row in r["Realisasi"][1:]]
    r["Realisasi"] = [["Data Realisasi Triwulanan (judul bebas)"], [], header] + body
    path = write_contract_workbook(tmp_path / "x.xlsx", r)
    d = read_workbook(path)
    assert d.kolom["Realisasi"]["realisasi_keuangan"] == "B"
    assert list(d.realisasi["baris"]) == [4, 5]
    assert compute_period(d, 2023, 4).as_dict()["hasil"][0]["serapan"] == 100.0


def test_excel_table_blank_rows_and_sheet_name_case(tmp_path):
    r = rows()
    r["Indikator"].insert(2, [None] * 10)  # a blank row in the middle is skipped, not the end of the table
    path = write_contract_workbook(tmp_path / "x.xlsx", r)
    wb = openpyxl.load_workbook(path)
    ws = wb["Indikator"]
    ws.add_table(Table(displayName="tblIndikator", ref=f"A1:J{ws.max_row}"))
    wb["OPD"].title = "opd "
    wb.save(path)
    d = read_workbook(path)
    assert list(d.indikator["baris"]) == [2, 4]
    assert len(compute_period(d, 2023, 4).as_dict()["hasil"]) == 2


def test_numbers_as_people_type_them(tmp_path):
    real = [(2023, 4, "A", "Rp1.250.000,00", "1.000.000", "Rp 800.000", "80%", "64,0", None, None),
            (2023, "TW IV", "B", 1_250_000, 1_000_000, 800_000, 0.8, 0.64, None, None)]
    path = write_contract_workbook(tmp_path / "x.xlsx", rows(real=real))
    wb = openpyxl.load_workbook(path)
    for c in ("G3", "H3"):
        wb["Realisasi"][c].number_format = "0%"  # 0.8 shown as 80 %
    wb.save(path)
    h = compute_period(read_workbook(path), 2023, 4).as_dict()
    assert h["masalah"] == []
    a, b = sorted(h["hasil"], key=lambda x: x["kode"])
    assert a["serapan"] == b["serapan"] == 80.0 and a["fisik"] == b["fisik"] == 80.0


def test_unreadable_cells_are_located_and_the_rest_kept(tmp_path):
    real = [realisasi("A"), (2023, 4, "B", 1000, 800, "75.5", 80, 64, None, None)]
    path = write_contract_workbook(tmp_path / "x.xlsx", rows(real=real))
    r = compute_period(read_workbook(path), 2023, 4)
    [m] = r.masalah
    assert (m.lokasi, m.kode) == ("Realisasi!F3", "B")
    assert "'75.5' tidak terbaca" in m.pesan and "'75,5'" in m.pesan
    assert [x["kode"] for x in r.as_dict()["hasil"]] == ["A"]


def test_invalid_triwulan_tahun_and_aktif(tmp_path):
    r = rows(opds=("A", "B", "C"), real=[realisasi("A"), realisasi("B", tw=5), realisasi("C", tahun=23)])
    r["OPD"][1][3] = "mungkin"
    path = write_contract_workbook(tmp_path / "x.xlsx", r)
    d = read_workbook(path)
    pesan = {m.lokasi: m.pesan for m in d.masalah}
    assert "Triwulan 5 tidak sah" in pesan["Realisasi!B3"]
    assert "Tahun 23 tidak wajar" in pesan["Realisasi!A4"]
    assert "'mungkin' tidak dikenal" in pesan["OPD!D2"]


def test_defined_names_win_over_a_nama_nilai_block(tmp_path):
    path = write_contract_workbook(tmp_path / "x.xlsx", rows(), tahun_aktif=2023, triwulan_aktif=4)
    wb = openpyxl.load_workbook(path)
    wb["Parameter"]["G4"] = 2030  # the cell the defined name TahunAktif points at
    wb.save(path)
    d = read_workbook(path)
    assert d.parameter.tahun_aktif == 2030
    assert d.masalah == []  # the block cell is the named cell itself: nothing disagrees
    wb["Parameter"]["G4"] = 2023
    wb.defined_names["TahunAktif"].attr_text = "Parameter!$B$30"
    wb["Parameter"]["B30"] = 2031
    wb.save(path)
    d = read_workbook(path)
    assert d.parameter.tahun_aktif == 2031
    [m] = d.masalah
    assert m.tingkat == "peringatan" and m.lokasi == "Parameter!G4" and "berbeda" in m.pesan
    del wb.defined_names["TahunAktif"]
    wb["Parameter"]["G4"] = 2023
    wb.save(path)
    assert read_workbook(path).parameter.tahun_aktif == 2023  # from the Nama | Nilai block


def test_parameter_sheet_missing_uses_defaults_with_a_warning(tmp_path):
    path = write_contract_workbook(tmp_path / "x.xlsx", rows())
    wb = openpyxl.load_workbook(path)
    del wb["Parameter"]
    for n in list(wb.defined_names):
        del wb.defined_names[n]
    wb.save(path)
    d = read_workbook(path)
    assert d.parameter.bobot == {"serapan": 20.0, "fisik": 20.0, "cakin": 50.0, "p3dn": 10.0}
    assert d.parameter.tahun_aktif is None
    assert [m.tingkat for m in d.masalah] == ["peringatan"]


def test_weights_typed_as_percent_text(tmp_path):
    path = write_contract_workbook(tmp_path / "x.xlsx", rows())
    wb = openpyxl.load_workbook(path)
    ws = wb["Parameter"]
    for row, text in zip(range(4, 8), ["20%", "20 %", "50,0", "10"]):
        ws.cell(row, 2).value = text
    wb.save(path)
    assert read_workbook(path).parameter.bobot == {"serapan": 20.0, "fisik": 20.0, "cakin": 50.0, "p3dn": 10.0}


def test_mistyped_standard_komponen_in_bobot_table(tmp_path):
    # an unknown label is an extra component (docs/metode.md): the standard one is then missing, and the
    # extra one's Realisasi column too — both said, with the hint that the label may be a typo
    path = write_contract_workbook(tmp_path / "x.xlsx", rows())
    wb = openpyxl.load_workbook(path)
    wb["Parameter"]["A6"] = "Kinerja"
    wb.save(path)
    with pytest.raises(UnusableWorkbook) as e:
        read_workbook(path)
    assert "komponen Capaian Kinerja Program tidak ada" in str(e.value)
    assert "Komponen 'Kinerja' dibaca sebagai komponen tambahan" in str(e.value)
    assert "Kolom 'Kinerja' tidak ditemukan di sheet 'Realisasi'" in str(e.value)


@pytest.mark.parametrize("content, fragment", [
    (b"bukan buku kerja", "berisi teks (misalnya CSV), bukan buku kerja Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "berformat Excel lama (.xls)"),
])
def test_files_that_are_not_workbooks(tmp_path, content, fragment):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnusableWorkbook) as e:
        read_workbook(path)
    assert fragment in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(UnusableWorkbook) as e:
        read_workbook(tmp_path / "tidak-ada.xlsx")
    assert "tidak ditemukan" in str(e.value)


def test_a_formula_without_a_cached_value_is_called_uncalculated_not_empty(sample_workbook):
    """openpyxl (like other programs that do not calculate) saves formulas without their value: hitung,
    which reads cached values, says the cell holds an uncalculated formula and how to fix it."""
    from conftest import hitung_json

    wb = openpyxl.load_workbook(sample_workbook)
    ws = wb["Realisasi"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == 2022 and ws.cell(r, 2).value == 4)
    ws.cell(row, 6).value = f"=E{row}*0.9"
    wb.save(sample_workbook)
    code, doc, err = hitung_json(sample_workbook)
    pesan = {m["lokasi"]: m["pesan"] for m in (doc or {}).get("masalah", [])} or err
    assert f"Realisasi!F{row}" in pesan and "rumus yang belum dihitung" in pesan[f"Realisasi!F{row}"], pesan
    assert "kosong" not in pesan[f"Realisasi!F{row}"] and "hitung ulang" in pesan[f"Realisasi!F{row}"]
