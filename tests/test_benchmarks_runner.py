"""The benchmark runner cannot rot: its smoke mode runs every measurement on the smallest data.

Asserts that it completes and prints the whole table and every target line — never timing
(timing belongs in benchmarks/, docs/arsitektur.md "Conventions"). Marked ``benchmark``: CI
runs it; leave it out while working with ``-m "not excel and not benchmark"``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.benchmark

RUNNER = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_runner_smoke_mode_prints_the_table(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, str(RUNNER), "--periksa-saja", "--data", str(tmp_path / "data")],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    out = r.stdout
    for heading in ("### Hitung vs lantai I/O", "### Impor templat vs hanya membaca berkas yang sama",
                    "### UDF INDEKS_OPD lewat xlwings.server.custom_functions_call", "### Target issue 8"):
        assert heading in out
    table = [line for line in out.splitlines() if line.startswith("| ")]
    assert any(line.startswith("| 10 |") for line in table)        # the smallest size was measured
    assert "Eksponen pertumbuhan" in out
    targets = out.split("### Target issue 8", 1)[1]
    for target in ("lantai I/O di setiap ukuran", "baca saja", "eksponen pertumbuhan", "memori puncak",
                   "UDF vektor"):
        line = next(line for line in targets.splitlines() if target in line)
        assert any(s in line for s in ("TERPENUHI", "TIDAK terpenuhi", "tidak diukur")), line
    if "### Cara manual" in out:  # LibreOffice present: its values were checked against the core
        row = next(line for line in out.split("### Cara manual", 1)[1].splitlines() if line.startswith("| 10 |"))
        assert row.rstrip(" |").endswith("10/10")
