"""How long reading 40 filled OPD templates takes: the import's fast reader against openpyxl.

    PYTHONPATH=src python benchmarks/impor_templat.py

Builds a sample master, 40 filled templates (the 18 sample OPDs, repeated), then times
reading them with :func:`indeks_opd.template_reader.read_received` (python-calamine for
values + one streamed XML pass for number formats and formula facts) and with openpyxl
read-only (values and formats), and the whole ``plan_import`` validation. Timing lives here,
never in a test's pass/fail (DESIGN.md §6).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from indeks_opd.file_reader import open_workbook, read_workbook, sheet_from_openpyxl  # noqa: E402
from indeks_opd.impor import plan_import  # noqa: E402
from indeks_opd.template_reader import read_received  # noqa: E402
from templat_util import fill, make_master, make_templates  # noqa: E402

N = 40


def timed(label: str, fn, files) -> None:
    t0 = time.perf_counter()
    for p in files:
        fn(p)
    dt = time.perf_counter() - t0
    print(f"{label:<44} {dt:6.3f} s  ({1000 * dt / len(files):5.1f} ms/berkas)")


def openpyxl_read(p: Path) -> None:
    wb = open_workbook(p)
    try:
        for name in ("Realisasi", "Indikator"):
            sheet_from_openpyxl(wb[name])
    finally:
        wb.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        master = make_master(folder)
        dasar = list(make_templates(master, folder / "dasar").values())
        for p in dasar:
            fill(p)
        files = []
        for i in range(N):
            q = folder / "kirim" / f"{i:02d}_{dasar[i % len(dasar)].name}"
            q.parent.mkdir(exist_ok=True)
            files.append(Path(shutil.copy(dasar[i % len(dasar)], q)))
        timed("read_received (calamine + XML facts)", lambda p: read_received(p, ("Realisasi", "Indikator")), files)
        timed("openpyxl read-only (values + formats)", openpyxl_read, files)
        data = read_workbook(master)
        t0 = time.perf_counter()
        plan_import(data, files, master, 2022, 4, lewati_bermasalah=True)
        print(f"{'plan_import: read + validate all':<44} {time.perf_counter() - t0:6.3f} s")


if __name__ == "__main__":
    main()
