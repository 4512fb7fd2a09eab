"""Starting the CLI for hitung does not load the PDF and chart libraries of ``rapor``.

Every ``indeks-opd`` command pays the imports of all subcommands at start; matplotlib and
reportlab (~0.3 s) are loaded only by the command that draws and writes PDFs
(benchmarks/RESULTS.md: hitung vs LibreOffice at small sizes).
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SRC


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
