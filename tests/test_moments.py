"""Run and workflow times as real Excel date-times (issue 13 item 9): Riwayat's *Dihitung Pada*, the Log's
*Waktu*, Status' *Diterima Pada*/*Diverifikasi Pada* and Periode's *Pada*.

What a user sees is asserted on the saved workbook (openpyxl) and on LibreOffice's rendering; that the
same moment comes back from every reader is asserted where it matters, the fingerprint of a locked
period: calamine (the CLI), openpyxl and the ``Book`` API (xlwings' remote engine) must agree with
the lock, and a master written by the previous version (times as ISO text) must still match its lock.

``data/induk-0.1.0-waktu-teks.xlsx`` was written by version 0.1.0 as it was before date-times (commit
711705c), from the shipped sample ``contoh.xlsx``: ``templat --tahun 2022 --triwulan 3 --opd 2.15 2.12``,
both templates filled (``templat_util.fill``), ``impor ... --tahun 2022 --triwulan 3``, ``verifikasi
--tahun 2022 --triwulan 3 --opd 2.15``, ``hitung --triwulan 3``, ``kunci --tahun 2022 --triwulan 3
--paksa --alasan "Rakorpok TW III"``, ``hitung`` (TW IV). Its times are ISO text.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from conftest import libreoffice_pdf, run_cli
from indeks_opd.alur.sheets import read_workflow
from indeks_opd.alur.tamper import tamper_findings
from indeks_opd.contract.output_sheets import FORMAT_WAKTU
from indeks_opd.excel import status_periode
from indeks_opd.files.reader import read_workbook, sheet_from_openpyxl
from officejs import book_json, run_remote

OLD_MASTER = Path(__file__).parent / "data" / "induk-0.1.0-waktu-teks.xlsx"
MONTHS = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"


def _status_json(master, *periode) -> dict:
    r = run_cli("status", master, *periode, "--json")
    assert r.returncode in (0, 3), r.stderr
    return json.loads(r.stdout)


def _button_status(master) -> str:
    """The Status button's text on the workbook as Excel would send it (remote engine)."""
    _, _, text = run_remote(book_json(master), lambda book: status_periode(book, show_summary=False))
    return text


def _column(ws, header: str) -> list:
    j = [c.value for c in ws[1]].index(header) + 1
    return [ws.cell(r, j) for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is not None]


def _tw3_times(riwayat) -> set:
    return {c.value for c in _column(riwayat, "Dihitung Pada") if riwayat.cell(c.row, 2).value == 3}


def test_a_master_of_the_previous_version_reads_and_its_lock_still_matches(tmp_path):
    master = shutil.copy(OLD_MASTER, tmp_path / "induk.xlsx")
    old = openpyxl.load_workbook(master)
    old_tw3 = _tw3_times(old["Riwayat"])
    assert len(old_tw3) == 1 and all(isinstance(v, str) and "T" in v for v in old_tw3)  # ISO text, as 0.1.0 wrote
    old_status = _status_json(master, "--tahun", "2022", "--triwulan", "3")
    assert old_status["terkunci"] and old_status["masalah"] == []
    assert "GALAT" not in _button_status(master)

    r = run_cli("hitung", master, "--diam")  # TW IV: its rows are rewritten, earlier periods' rows kept as they are
    assert r.returncode == 0, r.stdout + r.stderr
    wb = openpyxl.load_workbook(master)
    assert _tw3_times(wb["Riwayat"]) == old_tw3  # kept as 0.1.0 wrote them
    tw4 = [c for c in _column(wb["Riwayat"], "Dihitung Pada") if wb["Riwayat"].cell(c.row, 2).value == 4]
    assert len(tw4) == 18 and all(c.is_date and c.number_format == FORMAT_WAKTU for c in tw4)
    waktu = _column(wb["Log"], "Waktu")  # the Log is rewritten whole: its older times become date-times
    assert [c.value for c in waktu[:-1]] == [datetime.fromisoformat(c.value) for c in _column(old["Log"], "Waktu")]
    assert all(c.is_date and c.number_format == FORMAT_WAKTU for c in waktu)
    _assert_lock_matches(master, old_status)

    r = run_cli("hitung", master, "--triwulan", "2", "--diam")  # an earlier quarter: Riwayat rewritten whole
    assert r.returncode == 0, r.stdout + r.stderr
    riwayat = openpyxl.load_workbook(master)["Riwayat"]
    assert _tw3_times(riwayat) == {datetime.fromisoformat(v) for v in old_tw3}  # the same moment, now a date-time
    assert all(c.is_date and c.number_format == FORMAT_WAKTU for c in _column(riwayat, "Dihitung Pada"))
    _assert_lock_matches(master, old_status)


def _assert_lock_matches(master, old_status) -> None:
    """The lock 0.1.0 recorded still matches, from the CLI (calamine) and the Status button (Book API)."""
    status = _status_json(master, "--tahun", "2022", "--triwulan", "3")
    assert status["masalah"] == [] and status["opd"] == old_status["opd"]
    assert "GALAT" not in _button_status(master)


def _lock_tw4(master) -> None:
    assert run_cli("hitung", master, "--diam").returncode == 0
    assert run_cli("kunci", master, "--paksa", "--alasan", "Rakorpok TW IV").returncode == 0


def _openpyxl_findings(master) -> list:
    wb = openpyxl.load_workbook(master, data_only=True)
    grid = {name: sheet_from_openpyxl(wb[name]) for name in ("Riwayat", "Log", "Status", "Periode")}
    wf = read_workflow(grid["Status"], grid["Periode"])
    return tamper_findings(wf, grid["Log"], read_workbook(master), grid["Riwayat"])


def test_a_lock_made_now_matches_from_calamine_openpyxl_and_the_book_api(sample_workbook):
    _lock_tw4(sample_workbook)
    riwayat = openpyxl.load_workbook(sample_workbook)["Riwayat"]
    assert all(c.is_date for c in _column(riwayat, "Dihitung Pada"))
    assert _status_json(sample_workbook)["masalah"] == []  # calamine
    assert _openpyxl_findings(sample_workbook) == []
    assert "GALAT" not in _button_status(sample_workbook)  # the Book API


def test_a_locked_time_changed_by_hand_is_found_by_every_reader(sample_workbook):
    """The time is part of the locked rows: one minute later is a change, whoever reads it."""
    _lock_tw4(sample_workbook)
    wb = openpyxl.load_workbook(sample_workbook)
    cell = _column(wb["Riwayat"], "Dihitung Pada")[0]
    cell.value += timedelta(minutes=1)
    wb.save(sample_workbook)
    [galat] = _status_json(sample_workbook)["masalah"]
    assert galat["lokasi"] == "Riwayat" and "berubah setelah periode itu dikunci" in galat["pesan"]
    assert [m.sheet for m in _openpyxl_findings(sample_workbook)] == ["Riwayat"]
    assert "sheet Riwayat berubah setelah periode itu dikunci" in _button_status(sample_workbook)


@pytest.mark.libreoffice
def test_libreoffice_shows_the_times_in_indonesian(sample_workbook, tmp_path):
    assert run_cli("hitung", sample_workbook, "--diam").returncode == 0
    _, pages = libreoffice_pdf(sample_workbook, tmp_path)
    text = "".join(pages)
    shown = re.findall(rf"\b\d{{2}} (?:{MONTHS}) \d{{4}} \d{{2}}:\d{{2}}\b", text)
    assert len(shown) >= 1 + 18 + 1  # Peringkat's "Dihitung:", each Riwayat row, the Log row
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)  # no ISO text left
