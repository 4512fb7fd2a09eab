"""Starting the CLI for hitung does not load the PDF and chart libraries of ``rapor``.

Every ``indeks-opd`` command pays the imports of all subcommands at start; matplotlib and
reportlab (~0.3 s) are loaded only by the command that draws and writes PDFs
(benchmarks/RESULTS.md: hitung vs LibreOffice at small sizes). A whole ``hitung`` process
(the click) loads only what reading, computing and writing a workbook needs.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SRC
from indeks_opd.files.sample import sample_path

NOT_FOR_HITUNG = ("openpyxl", "xlwings", "xlsxwriter", "matplotlib", "reportlab", "PIL", "olefile", "rich",
                  "indeks_opd.excel", "indeks_opd.udfs", "indeks_opd.impor", "indeks_opd.templat", "indeks_opd.rapor",
                  "indeks_opd.artefacts", "indeks_opd.files.sample")
"""What other commands and the Excel layer use: the other writers (openpyxl, XlsxWriter), Excel, PDFs and charts,
the terminal table (rich: not with --diam), the builders of the shipped files and of the sample."""


def imported_by(*args, cwd) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run ``python -m indeks_opd ARGS`` in a fresh interpreter: the finished process and every module it imported
    (``-X importtime`` names each one on stderr as it is first imported)."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "indeks_opd", *map(str, args)], capture_output=True,
                       text=True, cwd=cwd, timeout=120, env=dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8"))
    modules = {line.rpartition("|")[2].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    return r, modules - {"package"}


def test_cli_import_leaves_pdf_and_chart_libraries_unloaded():
    code = ("import sys, indeks_opd.cli; "
            "print(sorted(m for m in ('matplotlib', 'reportlab') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(SRC)),
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_the_excel_entry_leaves_matplotlib_to_rapor(tmp_path):
    """Every Excel button click starts a new Python: ``indeks_opd.excel`` imports xlwings without its optional
    matplotlib import (~0.25 s, benchmarks/RESULTS.md); rapor still draws with matplotlib in the same process."""
    code = ("import sys, indeks_opd.excel as x; print('matplotlib' in sys.modules, hasattr(x.xw, 'Book')); "
            "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; "
            "plt.figure().savefig(sys.argv[1]); print('ok')")
    out = tmp_path / "grafik.png"
    r = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(SRC), XLWINGS_LICENSE_KEY="noncommercial"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True", "ok"] and out.stat().st_size > 0


def test_a_quiet_hitung_process_imports_only_what_hitung_uses(tmp_path):
    """The click (``hitung --diam``, what the benchmark times) reads, computes and writes the sample without loading
    the libraries of the other commands and of Excel: each would add its import time to every run."""
    r, modules = imported_by("hitung", sample_path(), "--keluaran", tmp_path / "hasil.xlsx", "--diam", cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path / "hasil.xlsx").stat().st_size > 0
    assert {"pandas", "python_calamine", "lxml.etree", "indeks_opd.files.writer"} <= modules  # the measure works
    assert sorted(m for m in modules if any(m == x or m.startswith(x + ".") for x in NOT_FOR_HITUNG)) == []


def test_a_button_process_imports_only_what_its_button_uses():
    """A button runs ``import xlwings.utils; …; import indeks_opd.excel as x; x.…_tombol()`` in a new process (the
    xlwings add-in's RunPython): after xlwings' own imports, ``indeks_opd.excel`` adds neither openpyxl nor the
    template, import, rapor or command-line modules; the buttons that need them import them when pressed."""
    code = ("import xlwings.utils, sys; before = set(sys.modules); import indeks_opd.excel; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    r = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(SRC), XLWINGS_LICENSE_KEY="noncommercial"))
    assert r.returncode == 0, r.stderr
    added = set(r.stdout.split())
    assert {"indeks_opd.excel", "indeks_opd.files.reader", "indeks_opd.alur.master"} <= added  # the measure works
    not_for_buttons = [x for x in NOT_FOR_HITUNG if x not in ("indeks_opd.excel", "PIL", "matplotlib")] + ["indeks_opd.cli"]
    assert sorted(m for m in added if any(m == x or m.startswith(x + ".") for x in not_for_buttons)) == []
