"""Generating OPD templates: what an OPD sees when it opens its file."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from conftest import run_cli
from indeks_opd.contract import default_headers
from indeks_opd.files.sample import OPD, sample_rows
from indeks_opd.templat.generate import HEADER_ROW
from templat_util import FIRST, fill, make_master, make_templates


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return make_master(tmp_path_factory.mktemp("induk"))


@pytest.fixture(scope="module")
def dishub(master, tmp_path_factory):
    return make_templates(master, tmp_path_factory.mktemp("templat"), kode=["2.15"])["2.15"]


def test_cli_writes_one_template_per_active_opd_named_by_code_and_short_name(master, tmp_path):
    r = run_cli("templat", master, "--keluaran", tmp_path / "keluar")
    assert r.returncode == 0, r.stderr
    nama = sorted(p.name for p in (tmp_path / "keluar").iterdir())
    assert len(nama) == len(OPD) == 18
    assert "Templat_2022_TW4_2.15_Dishub.xlsx" in nama
    assert "Templat_2022_TW4_1.05_Satpol-PP.xlsx" in nama
    assert not any("9.99" in n for n in nama)  # the inactive OPD gets no template
    assert "18 templat dibuat" in r.stdout


def test_cli_rerun_says_the_identical_templates_were_left_alone(master, tmp_path):
    keluar = tmp_path / "keluar"
    assert run_cli("templat", master, "--keluaran", keluar, "--opd", "2.15", "5.01").returncode == 0
    (keluar / "Templat_2022_TW4_5.01_Bappeda.xlsx").unlink()
    before = {p.name: p.stat().st_mtime_ns for p in keluar.iterdir()}
    r = run_cli("templat", master, "--keluaran", keluar, "--opd", "2.15", "5.01")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[:-1] == [str(keluar / "Templat_2022_TW4_5.01_Bappeda.xlsx")]  # only the file written now
    assert lines[-1] == f"1 templat dibuat di {keluar}; 1 templat yang sama persis sudah ada di sana dan dibiarkan."
    assert (keluar / "Templat_2022_TW4_2.15_Dishub.xlsx").stat().st_mtime_ns == before["Templat_2022_TW4_2.15_Dishub.xlsx"]


def test_cli_chosen_opd_and_period(master, tmp_path):
    r = run_cli("templat", master, "--tahun", "2023", "--triwulan", "1", "--opd", "5.01", "2.12",
                "--keluaran", tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "Templat_2023_TW1_2.12_Disdukcapil.xlsx", "Templat_2023_TW1_5.01_Bappeda.xlsx"]
    ws = openpyxl.load_workbook(tmp_path / "Templat_2023_TW1_5.01_Bappeda.xlsx")["Realisasi"]
    assert [ws[f"{c}{FIRST}"].value for c in "ABC"] == [2023, 1, "5.01"]


def test_cli_never_overwrites_a_filled_template(master, tmp_path):
    """A folder already holding an OPD's filled template: nothing written, the filled file named, exit 2."""
    keluar = tmp_path / "keluar"
    assert run_cli("templat", master, "--opd", "2.15", "5.01", "--keluaran", keluar).returncode == 0
    terisi = fill(keluar / "Templat_2022_TW4_2.15_Dishub.xlsx")
    isi = terisi.read_bytes()
    (keluar / "Templat_2022_TW4_5.01_Bappeda.xlsx").unlink()
    r = run_cli("templat", master, "--opd", "2.15", "5.01", "--keluaran", keluar)
    assert r.returncode == 2, r.stdout
    assert "Templat_2022_TW4_2.15_Dishub.xlsx" in r.stderr and "tidak ada berkas yang ditimpa" in r.stderr
    assert "Traceback" not in r.stderr
    assert terisi.read_bytes() == isi
    assert sorted(p.name for p in keluar.iterdir()) == ["Templat_2022_TW4_2.15_Dishub.xlsx"]  # all or nothing
    r = run_cli("templat", master, "--opd", "5.01", "--keluaran", keluar)  # an unfilled one is rewritten as it was
    assert r.returncode == 0, r.stderr
    assert run_cli("templat", master, "--opd", "5.01", "--keluaran", keluar).returncode == 0
    assert "tidak pernah ditimpa" in run_cli("templat", "--help").stdout


def test_cli_refuses_unknown_or_inactive_opd(master, tmp_path):
    r = run_cli("templat", master, "--opd", "7.77", "9.99", "--keluaran", tmp_path)
    assert r.returncode == 2
    assert "Kode OPD 7.77 tidak ada di sheet OPD" in r.stderr
    assert "OPD 9.99 tidak aktif" in r.stderr
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_sheets_headers_and_identity_locked(dishub):
    wb = openpyxl.load_workbook(dishub)
    assert wb.sheetnames == ["Petunjuk", "Realisasi", "Indikator"]
    assert wb.security.lockStructure  # sheets cannot be renamed or deleted
    for sheet in ("Realisasi", "Indikator"):
        ws = wb[sheet]
        assert [c.value for c in ws[HEADER_ROW]] == list(default_headers(sheet))
        assert ws.protection.sheet
        for col in "ABC":
            c = ws[f"{col}{FIRST}"]
            assert c.protection.locked
        assert [ws[f"{c}{FIRST}"].value for c in "ABC"] == [2022, 4, "2.15"]
        assert ws[f"C{FIRST}"].data_type == "s"  # the code stays text ("2.10" is not 2.1)
        for col in "DEFGHIJ":
            c = ws[f"{col}{FIRST}"]
            assert not c.protection.locked, f"{sheet}!{col}{FIRST}"
            assert c.fill.fgColor.rgb.endswith("FFF2CC")  # input cells are highlighted
        assert ws["A1"].protection.locked and ws[f"D{HEADER_ROW}"].protection.locked
    petunjuk = "\n".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    assert "Dinas Perhubungan" in petunjuk and "Kode OPD: 2.15" in petunjuk and "Triwulan IV" in petunjuk


def test_indicators_prefilled_from_previous_period(dishub):
    ws = openpyxl.load_workbook(dishub)["Indikator"]
    tw3 = [r for r in sample_rows()["Indikator"][1:] if r[1] == 3 and r[2] == "2.15"]
    isi = [[ws.cell(FIRST + i, j).value for j in range(4, 11)] for i in range(len(tw3))]
    assert isi == [[r[3], r[4], r[5], r[6], r[7], None, None] for r in tw3]  # realisasi left to fill
    kosong = ws.cell(FIRST + len(tw3), 4)
    assert kosong.value is None and not kosong.protection.locked  # room for a new indicator
    assert ws.cell(FIRST + len(tw3), 3).value == "2.15"


def test_data_validation_in_indonesian(dishub):
    ws = openpyxl.load_workbook(dishub)["Indikator"]
    arah = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert arah.formula1 == '"Naik,Turun"'
    assert f"G{FIRST}" in arah.sqref
    assert arah.error == "Pilih Naik atau Turun dari daftar." and arah.showErrorMessage
    ws = openpyxl.load_workbook(dishub)["Realisasi"]
    fisik = next(dv for dv in ws.data_validations.dataValidation if f"H{FIRST}" in dv.sqref)
    assert fisik.formula2 == "100" and "persen" in fisik.prompt


def test_no_macros_in_template(dishub):
    with zipfile.ZipFile(dishub) as z:
        assert not any("vba" in n.lower() for n in z.namelist())
        assert "macroEnabled" not in z.read("[Content_Types].xml").decode()


def test_first_quarter_prefills_from_last_years_fourth(master, tmp_path):
    p = make_templates(master, tmp_path, tahun=2023, triwulan=1, kode=["4.02"])["4.02"]
    ws = openpyxl.load_workbook(p)["Indikator"]
    assert ws[f"E{FIRST}"].value == "Jumlah perda yang ditetapkan" and ws[f"H{FIRST}"].value == 10


def test_button_entry_writes_next_to_the_master_for_the_active_period(tmp_path):
    from indeks_opd.templat.generate import generate_from_master

    master = make_master(tmp_path)
    paths = generate_from_master(master).paths  # default folder: the one the "Buat Templat" button writes to
    assert {p.parent for p in paths} == {tmp_path / "Templat 2022 TW4"} and len(paths) == 18


def test_hitung_on_a_template_says_it_is_a_template_and_how_to_import_it(master, tmp_path):
    (template,) = make_templates(master, tmp_path / "t", kode=["2.15"]).values()
    r = run_cli("hitung", template)
    assert r.returncode == 2
    assert "Berkas ini tampaknya templat OPD" in r.stderr and "indeks-opd impor BERKAS --ke INDUK" in r.stderr
