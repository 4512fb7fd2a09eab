"""The shipped master workbook and add-in (issue 4): built from the text sources, read back as a user sees them.

The committed ``xlsm/IndeksKinerjaOPD.xlsm`` and ``addin/IndeksOPD.xlam`` must equal a fresh
``indeks-opd bangun`` in content; the contract reader must read the workbook; the Rekap
formulas must give, through xlwings Server's own UDF call path, what the core computes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from conftest import run_cli
from indeks_opd.alur.sheets import STATUS_HEADERS
from indeks_opd.artefacts.content import differences, vba_modules, workbook_content
from indeks_opd.artefacts.package import main_content_type, refuse_overlapping_validations
from indeks_opd.artefacts.vba_project import package_macro_names, procedures, ribbon_actions
from indeks_opd.artefacts.workbook import (
    REKAP_COLUMNS,
    REKAP_FIRST_ROW,
    REKAP_ROWS,
    SAMPLE_PERIOD,
    UDF_NAMES,
    XLWINGS_CONF,
    build_workbook,
)
from indeks_opd.contract.output_sheets import LOG_HEADERS, MASALAH_HEADERS, PERINGKAT_HEADERS, RIWAYAT_HEADERS
from indeks_opd.core import compute_period
from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_path, sample_rows
from indeks_opd.files.xlsx_package import Package, overlapping_validations
from rekap_replay import replay_rekap, udf_calls

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_XLSM = ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm"
SHIPPED_XLAM = ROOT / "addin" / "IndeksOPD.xlam"


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory) -> Path:
    """``indeks-opd bangun --keluaran DIR`` run as a user would, from the repository root."""
    out = tmp_path_factory.mktemp("bangun")
    r = run_cli("bangun", "--keluaran", out, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "xlsm/IndeksKinerjaOPD.xlsm" in r.stdout and "addin/IndeksOPD.xlam" in r.stdout
    return out


@pytest.fixture(scope="module")
def shipped():
    return openpyxl.load_workbook(SHIPPED_XLSM)


@pytest.fixture(scope="module")
def shipped_values():
    return openpyxl.load_workbook(SHIPPED_XLSM, data_only=True)


# --- the committed binaries are the build of the sources ------------------------------------------

@pytest.mark.parametrize("relative", ["xlsm/IndeksKinerjaOPD.xlsm", "addin/IndeksOPD.xlam"])
def test_committed_file_equals_a_fresh_build(fresh_build, relative):
    committed, fresh = workbook_content(ROOT / relative), workbook_content(fresh_build / relative)
    assert differences(committed, fresh) == [], f"run 'indeks-opd bangun' and commit {relative}"
    assert committed["vba"], "the VBA project is missing"


def test_rebuild_is_byte_identical(fresh_build, tmp_path):
    from indeks_opd.cli.bangun import build_all

    again = build_all(tmp_path, ROOT)
    for path in again:
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (fresh_build / relative).read_bytes(), relative


def test_bangun_without_the_vba_sources_says_so_and_writes_nothing(tmp_path):
    r = run_cli("bangun", "--sumber", tmp_path, "--keluaran", tmp_path / "keluar")
    assert r.returncode == 2 and "tidak ada modul VBA" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "keluar").exists()


def test_vba_modules_read_back_equal_their_sources():
    sources = {p.stem: p.read_text(encoding="utf-8").replace("\r\n", "\n").rstrip("\n")
               for p in (ROOT / "addin" / "vba").glob("*.bas")}
    workbook, addin = vba_modules(SHIPPED_XLSM), vba_modules(SHIPPED_XLAM)
    assert sources
    for name, source in sources.items():
        assert addin[f"{name}.bas"].rstrip("\n") == source
        assert workbook[f"{name}.bas"].rstrip("\n") == source
    assert "xlwings_udfs.bas" in workbook  # the generated UDF wrappers ship in the workbook


def test_every_button_and_ribbon_action_names_an_existing_procedure():
    workbook_procs = {p for code in vba_modules(SHIPPED_XLSM).values() for p in procedures(code)}
    buttons = package_macro_names(SHIPPED_XLSM)["buttons"]
    assert buttons == ["HitungIndeks", "HitungIndeks", "StatusPeriode", "VerifikasiOPD", "PerluPerbaikan",
                       "KunciPeriode", "BukaPeriode"]  # on Rekap, on Peringkat, the workflow's on Status
    assert set(buttons) <= workbook_procs
    addin_procs = {p for code in vba_modules(SHIPPED_XLAM).values() for p in procedures(code)}
    content = workbook_content(SHIPPED_XLAM)
    actions = ribbon_actions(content["ribbon"])
    assert len(actions) == 9 and set(actions) <= addin_procs
    assert {"HitungIndeks", "BuatTemplat", "ImporTemplat", "Rapor", "StatusPeriode", "VerifikasiOPD", "PerluPerbaikan",
            "KunciPeriode", "BukaPeriode"} <= addin_procs
    assert content["content_type"].endswith("addin.macroEnabled.main+xml")


# --- the workbook as the contract reader and the core see it --------------------------------------

def test_reader_reads_the_shipped_workbook_like_the_sample_contract_workbook():
    shipped, sample = read_workbook(SHIPPED_XLSM), read_workbook(sample_path())
    assert [m for m in shipped.masalah] == []
    assert shipped.parameter == sample.parameter
    assert shipped.periods() == sample.periods() == [(2022, 1), (2022, 2), (2022, 3), (2022, 4)]
    for tahun, triwulan in shipped.periods():
        assert compute_period(shipped, tahun, triwulan).as_dict() == compute_period(sample, tahun, triwulan).as_dict()


def test_hitung_cli_fills_the_output_sheets_of_a_copy_and_keeps_macros_and_buttons(tmp_path):
    out = tmp_path / "hasil.xlsm"
    r = run_cli("hitung", SHIPPED_XLSM, "--keluaran", out, "--diam")
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    peringkat = [row for row in wb["Peringkat"].iter_rows(min_row=6, values_only=True) if row[0] is not None]
    assert len(peringkat) == 18 and peringkat[0][:3] == (1, "2.15", "Dinas Perhubungan")
    assert wb["Peringkat"]["A1"].value == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
    assert wb["Riwayat"].max_row == 1 + 18 and wb["Log"].max_row == 2
    assert [c.value for c in wb["Masalah"][2]][:1] == ["Tidak ada masalah"] and wb["Masalah"].max_row == 2
    rekap = wb["Rekap"]
    assert rekap["B6"].value.startswith("=") and rekap["I6"].fill.fgColor.rgb.endswith("00B050")
    before, after = workbook_content(SHIPPED_XLSM), workbook_content(out)
    assert after["vba"] == before["vba"] and after["macros"] == before["macros"]
    assert after["names"] == before["names"]
    for nama in ("Parameter", "OPD", "Realisasi", "Indikator"):
        assert differences(before["sheet"][nama], after["sheet"][nama]) == [], nama


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    rows = sample_rows()
    rows["OPD"][1][1] = '=HYPERLINK("http://contoh.invalid","klik")'
    rows["Indikator"][1][4] = "-5% angka kemiskinan"
    path = build_workbook(tmp_path / "b.xlsm", rows=rows)
    wb = openpyxl.load_workbook(path)
    assert wb["OPD"]["B4"].data_type == "s" and wb["OPD"]["B4"].value.startswith("=HYPERLINK")
    assert wb["Indikator"]["E4"].value == "-5% angka kemiskinan"
    assert read_workbook(path).opd.loc[0, "nama"].startswith("=HYPERLINK")
    # A build without a VBA project is still declared macro-enabled, like the .xlsm it is named.
    assert main_content_type(path) == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def test_build_for_another_period_caches_that_period_in_rekap(tmp_path):
    """Rekap's cached title and values follow ``period`` (a reader without formulas sees that period)."""
    path = build_workbook(tmp_path / "b.xlsm", period=(2022, 2))
    ws = openpyxl.load_workbook(path, data_only=True)["Rekap"]
    assert ws["A1"].value == "Rekap Indeks Kinerja OPD — Tahun 2022 Triwulan II"
    hasil = compute_period(read_workbook(path), 2022, 2).hasil.set_index("kode")
    kode = ws.cell(REKAP_FIRST_ROW, 2).value
    assert ws.cell(REKAP_FIRST_ROW, 9).value == pytest.approx(hasil.loc[kode].indeks)


# --- what a Bappeda user sees ------------------------------------------------------------------------

def test_petunjuk_points_at_nothing_a_user_does_not_have(shipped):
    """Bappeda staff get the workbook, not the repository: no file paths of the sources, one check they can run."""
    teks = " ".join(str(c.value) for row in shipped["Petunjuk"].iter_rows() for c in row if c.value)
    assert not re.search(r"docs/|src/|addin/|\.md\b|\.py\b|repositori", teks), teks
    assert "Panduan Instalasi" in teks and "indeks-opd demo" in teks


def test_sheets_names_and_output_headers(shipped):
    assert shipped.sheetnames == ["Petunjuk", "Parameter", "OPD", "Realisasi", "Indikator", "Rekap", "Peringkat",
                                  "Riwayat", "Masalah", "Log", "Status", "xlwings.conf"]
    assert shipped.active.title == "Petunjuk"
    status = [[c.value for c in row] for row in shipped["Status"].iter_rows()]
    assert status[0][0] == "Status Alur Triwulan" and status[3] == list(STATUS_HEADERS)  # as the workflow writes it
    assert len(status) == 4 and shipped["Status"].freeze_panes == "A5"
    assert [c.value for c in shipped["Peringkat"][5]] == list(PERINGKAT_HEADERS)
    for nama, headers in (("Riwayat", RIWAYAT_HEADERS), ("Masalah", MASALAH_HEADERS), ("Log", LOG_HEADERS)):
        assert [c.value for c in shipped[nama][1]] == list(headers)
        assert shipped[nama].max_row == 1 and shipped[nama].freeze_panes == "A2"
    names = {n: d.attr_text for n, d in shipped.defined_names.items()}
    for nama in ("TahunAktif", "TriwulanAktif", "BatasCapaian", "JumlahTerendah", "IzinkanHadiahSementara",
                 "AturanTahunan"):
        sheet, cell = names[nama].split("!")
        nilai = shipped[sheet][cell.replace("$", "")]
        assert shipped[sheet].cell(nilai.row, nilai.column - 1).value == nama  # also in the Nama | Nilai block
    assert shipped["Parameter"][names["TahunAktif"].split("!")[1].replace("$", "")].value == 2022


def _validation_at(ws, cell):
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (ws.title, cell, found)
    return found[0]


def _column_letter(ws, header_row, header):
    return next(c.column_letter for c in ws[header_row] if c.value == header)


@pytest.mark.parametrize("sheet,header,kind,rule", [
    ("Realisasi", "Realisasi Keuangan", "decimal", ("greaterThanOrEqual", "0", None)),
    ("Realisasi", "Pagu Anggaran", "decimal", ("greaterThanOrEqual", "0", None)),
    ("Realisasi", "Realisasi Fisik", "decimal", ("between", "0", "100")),
    ("Realisasi", "Triwulan", "whole", ("between", "1", "4")),
    ("Indikator", "Triwulan", "whole", ("between", "1", "4")),
    ("Indikator", "Arah", "list", (None, '"Naik,Turun"', None)),
    ("Realisasi", "Kode OPD", "list", (None, "=DaftarKodeOPD", None)),
    ("Indikator", "Kode OPD", "list", (None, "=DaftarKodeOPD", None)),
    ("OPD", "Aktif", "list", (None, '"Ya,Tidak"', None)),
])
def test_input_validations_with_indonesian_messages(shipped, sheet, header, kind, rule):
    ws = shipped[sheet]
    letter = _column_letter(ws, 3, header)
    dv = _validation_at(ws, f"{letter}4")
    assert f"{letter}1000" in dv.sqref  # also below the sample rows, where the table grows
    operator = dv.operator or ("between" if kind != "list" else None)  # "between" is the file format's default
    assert (dv.type, (operator, dv.formula1.lstrip("="), dv.formula2)) == (kind, (
        rule[0], rule[1].lstrip("="), rule[2]))
    assert dv.showErrorMessage and dv.showInputMessage and dv.errorStyle in (None, "stop")
    assert dv.prompt and dv.error and not re.search(r"\b(must|please|value)\b", dv.error + dv.prompt, re.I)
    if header == "Kode OPD":
        assert {n: d.attr_text for n, d in shipped.defined_names.items()}["DaftarKodeOPD"] == "tblOPD[Kode OPD]"


def test_input_cells_differ_from_computed_cells_and_computed_ones_are_locked(shipped):
    realisasi, rekap = shipped["Realisasi"], shipped["Rekap"]
    masukan, hasil = realisasi["F4"], rekap["I6"]
    assert masukan.number_format == '"Rp"#,##0' and not masukan.protection.locked
    assert hasil.protection.locked and hasil.value.startswith("=")
    assert masukan.fill.fgColor.rgb != hasil.fill.fgColor.rgb
    assert rekap.protection.sheet and rekap.protection.formatCells is False  # formatting stays allowed
    assert realisasi.freeze_panes == "A4" and rekap.freeze_panes == "D6"
    assert all(shipped[n].page_setup.paperSize == 9 for n in ("Rekap", "Peringkat", "Realisasi"))
    assert rekap.print_title_rows == "$5:$5"
    assert rekap.print_area == "'Rekap'!$A$1:$M$85"  # the default Rekap prints as before; N-S are screen-only
    for nama in ("OPD", "Realisasi", "Indikator"):
        assert "CONTOH" in shipped[nama]["A2"].value
        ketr = _column_letter(shipped[nama], 3, "Keterangan")
        assert {shipped[nama][f"{ketr}{r}"].value for r in range(4, shipped[nama].max_row + 1)} == {"CONTOH"}


def test_xlwings_conf_points_at_the_udf_module_the_wrappers_call(shipped):
    ws = shipped["xlwings.conf"]
    conf = {}
    for a, b in ws.iter_rows(min_row=1, max_col=2, values_only=True):
        if a is None:
            break  # xlwings reads from A1 down to the first blank row
        conf[a.upper()] = b
    assert conf == {k.upper(): v for k, v in XLWINGS_CONF}
    wrappers = vba_modules(SHIPPED_XLSM)["xlwings_udfs.bas"]
    assert set(re.findall(r'XLPy\.CallUDF\("([^"]+)"', wrappers)) == {conf["UDF MODULES"]}
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False


# --- Rekap: one row per active OPD, formulas Excel 2016 understands ------------------------------

def test_rekap_formulas_are_per_row_and_call_existing_wrappers(shipped):
    ws = shipped["Rekap"]
    wrappers = {name: params for name, params in procedures(vba_modules(SHIPPED_XLSM)["xlwings_udfs.bas"]).items()}
    used = set()
    headings = [c for c in ws[REKAP_FIRST_ROW - 1] if isinstance(c.value, str) and c.value.startswith("=")]
    assert [c.column_letter for c in headings] == ["N", "O", "P", "Q", "R", "S"]  # the columns shown when used
    for row in [headings, *ws.iter_rows(min_row=REKAP_FIRST_ROW, max_row=REKAP_FIRST_ROW + REKAP_ROWS - 1,
                                        max_col=len(REKAP_COLUMNS))]:
        for c in row:
            assert isinstance(c.value, str) and c.value.startswith("="), c.coordinate
            assert not re.search(r"_xlfn\._xlws|ANCHORARRAY|\b(FILTER|SORT|UNIQUE|SEQUENCE|LET|XLOOKUP)\(", c.value)
            for name, args in udf_calls(c.value):
                params = [p.strip() for p in wrappers[name].split(",")]
                required = [p for p in params if not p.startswith("Optional")]
                assert len(required) <= len(args) <= len(params), (c.coordinate, name, args)
                used.add(name)
    assert used == set(UDF_NAMES)
    assert ws.max_row == REKAP_FIRST_ROW + REKAP_ROWS - 1


def test_rekap_shows_every_active_opd_once_with_the_core_result(shipped_values):
    data = read_workbook(SHIPPED_XLSM)
    hasil = compute_period(data, *SAMPLE_PERIOD).hasil.set_index("kode")
    ws = shipped_values["Rekap"]
    headers = [c.value for c in ws[REKAP_FIRST_ROW - 1]]
    rows = [dict(zip(headers, r)) for r in ws.iter_rows(min_row=REKAP_FIRST_ROW, values_only=True)]
    shown = [r for r in rows if r["Kode OPD"]]
    active = [k for k, a in zip(data.opd["kode"], data.opd["aktif"]) if a]
    assert [r["Kode OPD"] for r in shown] == active and "9.99" not in active
    for r in shown:
        h = hasil.loc[r["Kode OPD"]]
        assert r["Indeks"] == pytest.approx(h.indeks) and r["Kategori"] == h.kategori
        assert r["Peringkat"] == h.peringkat and r["Warna"] == h.warna.lstrip("#")
    assert ws["A1"].value == "Rekap Indeks Kinerja OPD — Tahun 2022 Triwulan IV"


def test_rekap_reads_as_peringkat_does_centred_ranks_and_codes_and_no_rp0(shipped_values):
    # issue 13 item 9 for Rekap: a right-aligned "1" beside "2.15" read "12.15"; no prize showed "Rp0"
    ws = shipped_values["Rekap"]
    col = {c.value: c.column_letter for c in ws[REKAP_FIRST_ROW - 1] if c.value}
    first = REKAP_FIRST_ROW
    for header in ("No", "Kode OPD", "Kategori", "Zona", "Peringkat"):
        assert ws[f"{col[header]}{first}"].alignment.horizontal == "center", header
    hadiah = ws[f"{col['Perkiraan Hadiah']}{first}"].number_format
    assert hadiah.split(";")[2] == '"–"_)' and ws[f"{col['Perkiraan Hadiah']}{first}"].value == 5_000_000
    assert ws[f"{col['Nama OPD']}{first}"].alignment.horizontal != "center"


def test_rekap_udf_calls_give_the_cached_core_values_through_xlwings_server(shipped, shipped_values, xlwings_server):
    """Every UDF cell of Rekap, called with its own arguments the way Excel passes them, each result
    feeding the next: what Excel shows is what the build cached from the core."""
    cached = openpyxl.load_workbook(SHIPPED_XLSM, data_only=True)["Rekap"]
    shown = replay_rekap(shipped, shipped_values, xlwings_server)
    assert len(shown) == 18
    for i, row in enumerate(shown):
        for j, (header, value) in enumerate(row.items()):
            expected = cached.cell(REKAP_FIRST_ROW + i, j + 1).value
            if expected is None:  # a blank result (P3DN not applicable, a column not used) is cached as ""
                expected = ""
            assert value == (pytest.approx(expected) if isinstance(expected, float) else expected), (i, header)
    assert {h for h, v in shown[0].items() if v == ""} == {"Kelompok", "Peringkat Umum", "Komponen lain 1",
                                                          "Komponen lain 2", "Komponen lain 3", "Komponen lain 4"}


# --- LibreOffice headless, an independent reader ---------------------------------------------------

def _soffice(*args, cwd, profile: Path | None = None):
    exe = shutil.which("soffice")
    if exe is None:
        pytest.fail("LibreOffice (soffice) is not installed; run .ci/run or apt-get install libreoffice-calc-nogui")
    cmd = [exe] + ([f"-env:UserInstallation={profile.as_uri()}"] if profile else []) + ["--headless", *args]
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    return r


@pytest.mark.libreoffice
def test_libreoffice_prints_the_workbook_with_category_colours_in_rekap(tmp_path):
    from PIL import Image

    shutil.copy(SHIPPED_XLSM, tmp_path)
    _soffice("--convert-to", "pdf", SHIPPED_XLSM.name, cwd=tmp_path)
    pdf = tmp_path / "IndeksKinerjaOPD.pdf"
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Indeks Kinerja OPD — Petunjuk" in text and "Dinas Perhubungan" in text
    pages = text.split("\f")
    page = next(i for i, p in enumerate(pages) if "Rekap Indeks Kinerja OPD — Tahun 2022 Triwulan IV" in p) + 1
    assert "98.21" in pages[page - 1] or "98,21" in pages[page - 1]
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", "-png", pdf, tmp_path / "rekap"],
                   check=True)
    image = Image.open(next(tmp_path.glob("rekap*.png"))).convert("RGB")
    colours = {c for _, c in image.getcolors(1 << 16)}
    assert (0x00, 0xB0, 0x50) in colours and (0x92, 0xD0, 0x50) in colours  # Sangat Tinggi, Tinggi
    assert (0xFF, 0x00, 0x00) not in colours  # no OPD of the sample is Sangat Rendah


RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


@pytest.mark.libreoffice
def test_libreoffice_opens_both_files_sees_the_vba_and_recomputes_the_rekap_list(tmp_path, shipped_values):
    """One LibreOffice run that recalculates every formula on load and saves both files as .ods."""
    from python_calamine import CalamineWorkbook

    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    for f in (SHIPPED_XLSM, SHIPPED_XLAM):
        shutil.copy(f, tmp_path)
    _soffice("--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", SHIPPED_XLSM.name, SHIPPED_XLAM.name,
             cwd=tmp_path, profile=profile)
    import zipfile

    # LibreOffice names the Basic library after the VBA project
    for ods, project, modules in (("IndeksKinerjaOPD.ods", "IndeksKinerjaOPD", {"IndeksOPD", "xlwings_udfs"}),
                                  ("IndeksOPD.ods", "IndeksOPDAddIn", {"IndeksOPD", "RibbonIndeksOPD"})):
        with zipfile.ZipFile(tmp_path / ods) as z:
            basic = {Path(n).stem for n in z.namelist() if n.startswith("Basic/") and n.count("/") == 2}
            assert modules <= basic, (ods, basic)
            assert "HitungIndeks" in z.read(f"Basic/{project}/IndeksOPD.xml").decode("utf-8")
    # LibreOffice recomputed the Excel formulas of Rekap (not the Python UDFs, which it lacks):
    # the list of active OPDs must be the one the core ranks, in the OPD sheet's order.
    rekap = CalamineWorkbook.from_path(str(tmp_path / "IndeksKinerjaOPD.ods")).get_sheet_by_name("Rekap").to_python()
    cached = shipped_values["Rekap"]
    for i in range(REKAP_FIRST_ROW - 1, REKAP_FIRST_ROW - 1 + REKAP_ROWS):
        for j, header in enumerate(("No", "Kode OPD", "Nama OPD", "Singkatan")):
            expected = cached.cell(i + 1, j + 1).value
            got = rekap[i][j] if i < len(rekap) else ""
            assert (got if got != "" else None) == expected, (i + 1, header)
    assert rekap[0][0] == "Rekap Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
    # the columns shown when used (groups, other components) stay blank without our UDFs, never #NAME?
    # (calamine blanks error cells, so this is read from LibreOffice's .xlsx with openpyxl)
    _soffice("--convert-to", "xlsx", "--outdir", "xlsx", SHIPPED_XLSM.name, cwd=tmp_path, profile=profile)
    shown = openpyxl.load_workbook(tmp_path / "xlsx" / "IndeksKinerjaOPD.xlsx", data_only=True)["Rekap"]
    for row in shown.iter_rows(min_row=REKAP_FIRST_ROW - 1, max_row=REKAP_FIRST_ROW + REKAP_ROWS - 1, min_col=14,
                               max_col=19):
        assert [c.value for c in row] == [None] * 6, row[0].row


# --- real Excel (Windows/macOS with Excel and the xlwings add-in; skipped elsewhere) ----------------


@pytest.mark.excel
def test_excel_runs_hitung_indeks_on_the_shipped_workbook(excel_app, tmp_path):
    """For a Bappeda IT officer: the shipped workbook in real Excel, after the setup guide."""
    import sys

    path = Path(shutil.copy(SHIPPED_XLSM, tmp_path / SHIPPED_XLSM.name))
    book = excel_app.books.open(path)
    try:
        if sys.platform == "win32":  # Python UDFs exist on Windows only
            excel_app.calculate()
            assert book.sheets["Rekap"]["I6"].value == pytest.approx(98.21, abs=0.005)
        book.macro("HitungIndeks")()
        peringkat = book.sheets["Peringkat"]
        assert peringkat["A1"].value == "Peringkat Indeks Kinerja OPD — Tahun 2022 Triwulan IV"
        assert peringkat["B6"].value == "2.15" and peringkat["A6"].value == 1
        assert peringkat["A23"].value == 18 and peringkat["A24"].value is None
    finally:
        book.close()


# --- data validations: exactly the cells they are meant for, never two on one cell ----------------

def test_parameter_validations_cover_exactly_their_table_columns(fresh_build):
    """Each Parameter rule covers one column of one table's data rows, nothing below it: the rules
    once ran 10 rows on into the next table (the Warna rule rejected a prize's Sumber)."""
    ws = openpyxl.load_workbook(fresh_build / "xlsm/IndeksKinerjaOPD.xlsm")["Parameter"]
    columns = set()
    for table in ws.tables.values():
        c0, r0, c1, r1 = range_boundaries(table.ref)
        columns |= {f"{get_column_letter(c)}{r0 + 1}:{get_column_letter(c)}{r1}" for c in range(c0, c1 + 1)}
        columns |= {f"{get_column_letter(c)}{r}" for c in range(c0, c1 + 1) for r in range(r0 + 1, r1 + 1)}
    rules = [str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges]
    assert rules and set(rules) <= columns, rules
    warna = next(dv for dv in ws.data_validations.dataValidation if "LEN(" in (dv.formula1 or ""))
    assert str(warna.sqref) == "C12:C16" and warna.formula1.startswith("AND(LEN(C12)=7")


def test_no_two_validations_share_a_cell_in_any_file_we_build_or_write(fresh_build, tmp_path):
    from templat_util import make_templates

    xlsm = fresh_build / "xlsm/IndeksKinerjaOPD.xlsm"
    templates = make_templates(xlsm, tmp_path / "templat", *SAMPLE_PERIOD)
    hitung = tmp_path / "hitung.xlsm"
    shutil.copy(xlsm, hitung)
    assert run_cli("hitung", hitung).returncode in (0, 3)
    for path in [xlsm, fresh_build / "addin/IndeksOPD.xlam", hitung, *templates.values()]:
        assert overlapping_validations(Package.open(path)) == [], path.name


def test_build_refuses_overlapping_validations_and_names_them(tmp_path):
    import xlsxwriter

    path = tmp_path / "bertumpuk.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Data")
    ws.data_validation("B5:B18", {"validate": "integer", "criteria": ">", "value": 0})
    ws.data_validation("A12:C26", {"validate": "integer", "criteria": "<", "value": 9})
    ws.data_validation("D1:D4", {"validate": "integer", "criteria": "<", "value": 9})
    wb.close()
    with pytest.raises(UnusableWorkbook) as refused:
        refuse_overlapping_validations(path)
    assert [m.pesan for m in refused.value.masalah] == [
        "Validasi data bertumpuk di bertumpuk.xlsx: Data!B5:B18 dan Data!A12:C26. Setiap aturan harus mencakup "
        "tepat sel yang dimaksud; perbaiki tata letak lalu bangun ulang."]


def test_status_on_the_shipped_master_fills_the_sheet_under_its_workflow_buttons(tmp_path):
    master = tmp_path / "induk.xlsm"
    shutil.copy(SHIPPED_XLSM, master)
    r = run_cli("status", master)
    assert r.returncode == 3, r.stderr  # 18 OPDs Belum Dikirim
    assert package_macro_names(master)["buttons"] == package_macro_names(SHIPPED_XLSM)["buttons"]
    status = [[c.value for c in row] for row in openpyxl.load_workbook(master)["Status"].iter_rows()]
    assert status[0][0] == "Status Alur Triwulan" and status[3] == list(STATUS_HEADERS)
    assert len(status) == 4 + 18 and {row[4] for row in status[4:]} == {"Belum Dikirim"}
