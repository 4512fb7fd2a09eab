"""The master's live Rekap when Bappeda extends it for its own scheme (issue 15, docs/excel-layer.md "Rekap").

A Bappeda analyst opens the shipped ``xlsm/IndeksKinerjaOPD.xlsm`` and, in Excel, adds a
``Kelompok`` column to the OPD table, two rows to the Bobot table (``Nilai SAKIP`` and
``Ketepatan Waktu``), the ``Nilai SAKIP`` and ``Tanggal Diterima`` columns to the Realisasi
table, a ``Jadwal`` table and ``PenguranganPerHari`` to the Parameter sheet and a group's own
prize row. Nothing else: the Rekap formulas are the shipped ones. Its live cells must then
show what ``indeks-opd hitung --json`` computes for that workbook, rank and prize per group.

Without Excel: the edits are made with openpyxl on a copy (tables stretched as Excel stretches
them), LibreOffice recalculates Excel's own functions, and every Python UDF call of Rekap goes
through xlwings Server's call path (``tests/rekap_replay.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import TableColumn

from conftest import run_cli
from rekap_replay import replay_rekap

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_XLSM = ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm"

BOBOT = [("Serapan Anggaran", 20), ("Realisasi Fisik", 15), ("Capaian Kinerja Program", 35), ("P3DN", 10),
         ("Nilai SAKIP", 10), ("Ketepatan Waktu", 10)]
BATAS = {1: dt.datetime(2022, 4, 14), 2: dt.datetime(2022, 7, 15), 3: dt.datetime(2022, 10, 14),
         4: dt.datetime(2023, 1, 13)}
TELAT = [0, 1, 11, -3, 2, 0, 25]
"""Days after the deadline each Realisasi row was received, in turn; PenguranganPerHari 5 → 100, 95, 45, 100, 90,
100, 0."""
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def kelompok_of(kode: str) -> str:
    return "Dinas Teknis" if kode[:2] in ("1.", "2.") else "Badan dan Sekretariat"


def _add_column(ws, table: str, header: str, values: dict[int, object], number_format: str | None = None) -> None:
    """A column typed right of an Excel table, which Excel takes into the table (``values`` by sheet row)."""
    t = ws.tables[table]
    first, last = t.ref.split(":")
    col = openpyxl.utils.column_index_from_string("".join(c for c in last if c.isalpha())) + 1
    letter = openpyxl.utils.get_column_letter(col)
    header_row = int("".join(c for c in first if c.isdigit()))
    ws.cell(header_row, col, header)
    for row, v in values.items():
        ws.cell(row, col, v).number_format = number_format or "General"
    t.ref = t.autoFilter.ref = f"{first}:{letter}{''.join(c for c in last if c.isdigit())}"
    t.tableColumns.append(TableColumn(id=len(t.tableColumns) + 1, name=header))


def extend_like_bappeda(source: Path, target: Path, tanpa_kelompok: tuple[str, ...] = ()) -> Path:
    """The analyst's edits on a copy of ``source``; the OPDs ``tanpa_kelompok`` are left without a group.

    An ``.xlsm`` target keeps the VBA project (the UDF wrappers real Excel calls)."""
    wb = openpyxl.load_workbook(source, keep_vba=target.suffix == ".xlsm")
    opd = wb["OPD"]
    _add_column(opd, "tblOPD", "Kelompok", {r: kelompok_of(opd.cell(r, 1).value) for r in range(4, opd.max_row + 1)
                                            if opd.cell(r, 1).value not in (None, *tanpa_kelompok)})
    real = wb["Realisasi"]
    rows = [r for r in range(4, real.max_row + 1) if real.cell(r, 1).value]
    _add_column(real, "tblRealisasi", "Nilai SAKIP", {r: [72.5, 88, 105, 64.25, 91][i % 5] for i, r in enumerate(rows)})
    _add_column(real, "tblRealisasi", "Tanggal Diterima",
                {r: BATAS[real.cell(r, 2).value] + dt.timedelta(days=TELAT[i % len(TELAT)], hours=9)
                 for i, r in enumerate(rows)}, "dd/mm/yyyy hh:mm")

    param = wb["Parameter"]
    bobot = param.tables["tblBobot"]
    for row in param[bobot.ref]:  # the grown table needs two more rows: it moves below the others
        for c in row:
            c.value = None
    for i, (label, w) in enumerate([("Komponen", "Bobot"), *BOBOT]):
        param.cell(40 + i, 1, label), param.cell(40 + i, 2, w)
    bobot.ref = f"A40:B{40 + len(BOBOT)}"
    for i, row in enumerate([("Tahun", "Triwulan", "Batas Pengumpulan"), *((2022, tw, d) for tw, d in BATAS.items())]):
        for j, v in enumerate(row):
            param.cell(4 + i, 10 + j, v).number_format = "dd/mm/yyyy" if isinstance(v, dt.datetime) else "General"
    nilai = param.tables["tblNilai"]
    param["F11"], param["G11"] = "PenguranganPerHari", 5
    nilai.ref = "F4:H11"
    hadiah = param.tables["tblHadiah"]
    assert hadiah.ref == "A19:C22"
    param["D19"] = "Kelompok"
    for j, v in enumerate((1, 2_000_000, "Bank Daerah", "Badan dan Sekretariat")):
        param.cell(23, j + 1, v)
    hadiah.ref = "A19:D23"
    hadiah.tableColumns.append(TableColumn(id=4, name="Kelompok"))
    wb.save(target)
    return target


def recalculated(path: Path, tmp_path: Path) -> Path:
    """``path`` after LibreOffice recalculated every formula (the UDF cells come out as errors)."""
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    out = tmp_path / "lo"
    out.mkdir()
    exe = shutil.which("soffice")
    if exe is None:
        pytest.fail("LibreOffice (soffice) is not installed; run .ci/run or apt-get install libreoffice-calc-nogui")
    r = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    return out / (path.stem + ".xlsx")


@pytest.mark.libreoffice
def test_live_rekap_of_a_master_with_groups_extra_component_and_timeliness_equals_hitung(tmp_path, xlwings_server):
    path = extend_like_bappeda(SHIPPED_XLSM, tmp_path / "skema.xlsx")
    r = run_cli("hitung", path, "--json")
    assert r.returncode == 0, r.stdout + r.stderr  # complete: no galat, prizes allocated
    hitung = {h["kode"]: h for h in json.loads(r.stdout)["hasil"]}
    assert len({h["kelompok"] for h in hitung.values()}) == 2

    shown = replay_rekap(openpyxl.load_workbook(path), openpyxl.load_workbook(recalculated(path, tmp_path),
                                                                             data_only=True), xlwings_server)

    assert_rekap_is_hitung(shown, hitung)


def assert_rekap_is_hitung(shown: list[dict], hitung: dict) -> None:
    """Every Rekap row (``{heading: value}``) shows what ``hitung --json`` gives its OPD."""
    assert sorted(row["Kode OPD"] for row in shown) == sorted(hitung)
    assert set(shown[0]) >= {"Kelompok", "Peringkat Umum", "Nilai SAKIP", "Ketepatan Waktu"}
    for row in shown:
        h = hitung[row["Kode OPD"]]
        assert (row["Kelompok"], row["Peringkat"], row["Peringkat Umum"], row["Perkiraan Hadiah"]) == (
            h["kelompok"], h["peringkat"], h["peringkat_umum"], h["hadiah"]), row["Kode OPD"]
        assert (row["Kategori"], row["Zona"]) == (h["kategori"], h["zona"]), row["Kode OPD"]
        for kolom, nilai in (("Serapan Anggaran", h["serapan"]), ("Realisasi Fisik", h["fisik"]),
                             ("Capaian Kinerja Program", h["cakin"]), ("Indeks", h["indeks"]),
                             ("Nilai SAKIP", h["komponen_lain"]["Nilai SAKIP"]),
                             ("Ketepatan Waktu", h["ketepatan_waktu"])):
            assert row[kolom] == pytest.approx(nilai), (row["Kode OPD"], kolom)
        assert row["P3DN"] == ("" if h["p3dn"] is None else pytest.approx(h["p3dn"])), row["Kode OPD"]


@pytest.mark.libreoffice
def test_an_opd_left_without_a_group_is_a_galat_in_rekap_and_the_others_rank_as_hitung_does(tmp_path, xlwings_server):
    """docs/metode.md: a blank Kelompok next to grouped OPDs blocks that OPD; Rekap says so in its Indeks and ranks
    the others without it (prizes aside: Hitung Indeks withholds them while the result is SEMENTARA)."""
    path = extend_like_bappeda(SHIPPED_XLSM, tmp_path / "skema.xlsx", tanpa_kelompok=("2.15",))
    r = run_cli("hitung", path, "--json")
    assert r.returncode == 3, r.stdout + r.stderr
    hitung = {h["kode"]: h for h in json.loads(r.stdout)["hasil"]}
    assert "2.15" not in hitung

    shown = {row["Kode OPD"]: row for row in replay_rekap(
        openpyxl.load_workbook(path), openpyxl.load_workbook(recalculated(path, tmp_path), data_only=True),
        xlwings_server)}
    assert shown["2.15"]["Indeks"].startswith("#GALAT: Kelompok OPD ini kosong")
    assert all(shown["2.15"][k].startswith("#GALAT") for k in ("Kategori", "Peringkat", "Peringkat Umum"))
    del shown["2.15"]
    assert {k: (row["Peringkat"], row["Peringkat Umum"], row["Indeks"]) for k, row in shown.items()} == {
        k: (h["peringkat"], h["peringkat_umum"], pytest.approx(h["indeks"])) for k, h in hitung.items()}


@pytest.mark.excel
def test_real_excel_shows_the_extended_rekap_as_hitung(excel_app, tmp_path):
    """For a Bappeda IT officer (Windows, Excel, the xlwings add-in): the same edits, Rekap recalculated by Excel."""
    import sys

    if sys.platform != "win32":
        pytest.skip("fungsi Python (UDF) xlwings hanya ada di Windows")
    path = extend_like_bappeda(SHIPPED_XLSM, tmp_path / "skema.xlsm")
    r = run_cli("hitung", path, "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    hitung = {h["kode"]: h for h in json.loads(r.stdout)["hasil"]}
    book = excel_app.books.open(path)
    try:
        excel_app.calculate()
        rekap = book.sheets["Rekap"]
        headings = rekap.range("A5:S5").value
        names = [h or f"kolom {j}" for j, h in enumerate(headings)]
        rows = [dict(zip(names, ("" if v is None else v for v in row))) for row in rekap.range("A6:S85").value
                if row[1]]
    finally:
        book.close()
    assert_rekap_is_hitung(rows, hitung)
