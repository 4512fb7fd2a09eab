"""The benchmark runner cannot rot: its smoke mode runs every measurement on the smallest data.

Asserts that it completes and prints every table and target line, that the physical floor
writes a real workbook with the rows it claims, and that LibreOffice's recalculated values
equal the core's — never timing (timing belongs in benchmarks/, docs/arsitektur.md "Conventions").
Marked ``benchmark``: CI runs it; leave it out while working with ``-m "not excel and not benchmark"``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.benchmark

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
RUNNER = BENCH / "run.py"


def test_runner_smoke_mode_prints_the_table(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, str(RUNNER), "--periksa-saja", "--data", str(tmp_path / "data")],
                       capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    out = r.stdout
    for heading in ("### Hitung vs lantai fisik", "### Riwayat", "### Klik", "### Impor templat vs baca + tulis",
                    "### UDF INDEKS_OPD lewat xlwings.server.custom_functions_call", "### Target issue 17"):
        assert heading in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert any(line.startswith("| 10 |") for line in table)        # the smallest size was measured
    assert "Eksponen pertumbuhan" in out
    targets = out.split("### Target issue 17", 1)[1]
    for target in ("lantai fisik", "memori puncak", "riwayat", "klik", "LibreOffice hangat", "eksponen pertumbuhan",
                   "UDF vektor"):
        line = next(line for line in targets.splitlines() if target in line)
        assert any(s in line for s in ("TERPENUHI", "TIDAK terpenuhi", "tidak diukur")), line
    if "### Cara manual" in out:  # LibreOffice present: both formula designs' values were checked against the core
        rows = [line for line in out.split("### Cara manual", 1)[1].splitlines() if " | 10 |" in line]
        assert {line.split("|")[1].strip() for line in rows} == {"sumifs", "lookup"}
        assert all(line.rstrip(" |").endswith("10/10") for line in rows), rows


def test_floor_writes_the_rows_it_counts(tmp_path):
    sys.path.insert(0, str(BENCH))
    import floor
    import generate

    master = generate.write_master(tmp_path / "induk.xlsx", {**generate.contract_rows(7, 3, 1),
                                                              **generate.history_rows(7, 2)})
    out = tmp_path / "lantai.xlsx"
    floor.hitung_floor(str(master), str(out))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:4] == ["Parameter", "OPD", "Realisasi", "Indikator"]
    assert wb["Riwayat"].max_row == 1 + 2 * 7 + 7          # header, the history kept, this period's rows
    assert wb["Peringkat"].max_row == 5 + 7
    assert [c.value for c in wb["OPD"][2]] == generate.contract_rows(7, 3, 1)["OPD"][1]   # copied entries intact
    assert wb["Riwayat"]["C3"].value == generate.history_rows(7, 2)["Riwayat"][2][2]
