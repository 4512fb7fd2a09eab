"""What only Microsoft Excel on a Windows PC can confirm about issue 11 (docs/vba-build.md, "Not
verifiable on Linux"); skipped elsewhere. Run by the Bappeda IT officer as in the README section
"Menguji dengan Excel sungguhan": ``.venv\\Scripts\\python -m pytest -m excel -v``.

Checks that need *Trust access to the VBA project object model* (File › Options › Trust Center ›
Macro Settings) skip with that instruction when it is off; checks that need a person to look at
the screen run only with ``INDEKS_OPD_UJI_INTERAKTIF=1``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SRC, run_cli
from indeks_opd.core.parameter import Hadiah, Parameter
from indeks_opd.files.sample import sample_rows, write_contract_workbook

pytestmark = pytest.mark.excel

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm"
ADDIN = ROOT / "addin" / "IndeksOPD.xlam"
COMPILE_VBA_PROJECT = 578
"""Id of the VBE menu command Debug › Compile <project>; Excel disables it once the project compiled."""


@pytest.fixture
def excel(excel_app):
    """The shared hidden Excel (conftest), on Windows only: the VBA editor and cmd.exe checks are Windows'."""
    if sys.platform != "win32":
        pytest.skip("butuh Microsoft Excel untuk Windows")
    return excel_app


def vb_project(book):
    try:
        return book.api.VBProject
    except Exception:  # noqa: BLE001 - COM refuses while trust access is off
        pytest.skip("aktifkan Trust access to the VBA project object model (Trust Center › Macro Settings)")


def not_repaired(book) -> None:
    """Excel opens a file it had to repair as '<name> [Repaired]' (Indonesian Office: '[Diperbaiki]')."""
    caption = str(book.api.Windows(1).Caption)
    assert "[" not in caption and "Repaired" not in caption and "Diperbaiki" not in caption, caption


def hitung_copy(tmp_path: Path, source: Path) -> Path:
    path = Path(shutil.copy(source, tmp_path / source.name))
    r = run_cli("hitung", path)
    assert r.returncode in (0, 3), r.stderr
    return path


def test_every_file_we_build_or_write_opens_without_repair(excel, tmp_path):
    """The built master and add-in, a master after hitung (moved filters, shared-string counts, a Log
    parameter text cut at 32,767 characters) and a template: no repair prompt, nothing dropped."""
    from templat_util import make_templates

    long_prizes = Parameter(hadiah=tuple(Hadiah(i, 1_000, "Sumber hadiah yang panjang sekali " * 6) for i in range(1, 301)))
    files = [MASTER, ADDIN, hitung_copy(tmp_path, MASTER),
             hitung_copy(tmp_path, write_contract_workbook(tmp_path / "hadiah.xlsx", sample_rows(), long_prizes)),
             next(iter(make_templates(MASTER, tmp_path / "kirim", 2023, 1).values()))]
    for path in files:
        book = excel.books.open(str(path))
        try:
            not_repaired(book)
        finally:
            book.close()


@pytest.mark.parametrize("path", [MASTER, ADDIN], ids=["xlsm", "xlam"])
def test_vba_compiles_and_the_xlwings_reference_resolves(excel, path):
    """Source-only modules compile (no name clash between project, modules and procedures) and the
    project reference to the installed xlwings.xlam is not MISSING (its version is the add-in's)."""
    book = excel.books.open(str(path))
    try:
        project = vb_project(book)
        reference = next(r for r in project.References if r.Name == "xlwings")
        assert not reference.IsBroken, reference.FullPath
        assert reference.FullPath.lower().endswith("xlwings.xlam")
        excel.api.VBE.ActiveVBProject = project
        command = excel.api.VBE.CommandBars.FindControl(Id=COMPILE_VBA_PROJECT)
        command.Execute()
        assert not command.Enabled  # compiled: Excel greys the command out
        names = {c.Name for c in project.VBComponents}
        assert project.Name not in names
    finally:
        book.close()


def verdict(cell) -> bool:
    """Excel's verdict on a cell's value: True when valid or when no rule applies to the cell."""
    try:
        _ = cell.api.Validation.Type  # raises when the cell has no rule
    except Exception:  # noqa: BLE001 - COM error: no validation on this cell
        return True
    return bool(cell.api.Validation.Value)


def test_parameter_rules_accept_a_prize_source_and_check_colours(excel, tmp_path):
    """The Warna rule covers the colours only: a prize's Sumber 'Bank Jateng' is valid, a colour that is
    not #RRGGBB is not (Range.Validation.Value is Excel's own verdict on a cell's value)."""
    book = excel.books.open(str(Path(shutil.copy(MASTER, tmp_path / MASTER.name))))
    try:
        sheet = book.sheets["Parameter"]
        sheet["C20"].value = "Bank Jateng"
        assert verdict(sheet["C20"])
        sheet["C12"].value = "hijau"
        assert not verdict(sheet["C12"])
    finally:
        book.close()  # display_alerts is off: closed without saving


def test_hitung_filters_are_the_ones_excel_sees(excel, tmp_path):
    """After hitung, each output sheet's AutoFilter as Excel reads it spans the new rows."""
    path = hitung_copy(tmp_path, MASTER)
    book = excel.books.open(str(path))
    try:
        peringkat = book.sheets["Peringkat"]
        last = peringkat.range("B6").end("down").row
        assert peringkat.api.AutoFilter.Range.Address == f"$A$5:$M${last}"
    finally:
        book.close()


def test_ribbon_tab_appears_and_its_button_runs_on_the_active_workbook(excel, tmp_path):
    """The add-in's tab 'Indeks OPD' (customUI14) shows and Hitung Indeks acts on the active workbook."""
    if os.environ.get("INDEKS_OPD_UJI_INTERAKTIF") != "1":
        pytest.skip("uji interaktif: set INDEKS_OPD_UJI_INTERAKTIF=1")
    excel.visible = True
    addin = excel.books.open(str(ADDIN))
    book = excel.books.open(str(Path(shutil.copy(MASTER, tmp_path / MASTER.name))))
    try:
        book.activate()
        answer = excel.alert("Apakah tab 'Indeks OPD' tampil di pita Excel? Tekan tombol Hitung Indeks di tab itu, "
                             "klik OK pada ringkasannya, lalu jawab Yes bila sheet Peringkat terisi.",
                             title="Uji pita Indeks OPD", buttons="yes_no")
        assert answer == "yes"
        assert book.sheets["Peringkat"]["A6"].value == 1
    finally:
        book.close()
        addin.close()
        excel.visible = False


def test_commands_on_a_real_windows_console_and_a_network_path(tmp_path):
    """Output redirected to a file in cmd.exe (the ANSI code page, no PYTHONIOENCODING) and a master
    reached through a UNC path (the administrative share of this PC, when the user may use it)."""
    if sys.platform != "win32":
        pytest.skip("butuh Windows")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env["PYTHONPATH"] = str(SRC)
    out = tmp_path / "keluaran demo.txt"
    r = subprocess.run(f'"{sys.executable}" -m indeks_opd demo --keluaran "{tmp_path / "demo é"}" > "{out}" 2>&1',
                       shell=True, env=env, cwd=tmp_path)
    text = out.read_bytes().decode("mbcs")
    assert r.returncode == 0 and "Traceback" not in text and "Dinas Perhubungan" in text
    drive, rest = str(tmp_path).split(":", 1)
    unc = Path(rf"\\localhost\{drive}$") / rest.lstrip("\\")
    if not unc.exists():
        pytest.skip(r"share administratif \\localhost\C$ tidak bisa dipakai di PC ini")
    master = Path(shutil.copy(MASTER, tmp_path / "Induk di share.xlsm"))
    r = run_cli("hitung", unc / master.name)
    assert r.returncode in (0, 3), r.stderr
