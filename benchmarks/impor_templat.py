"""How long reading 40 filled OPD templates takes: the import's fast reader against openpyxl.

    PYTHONPATH=src python benchmarks/impor_templat.py

Builds a master of 40 OPDs (the 18 sample OPDs' data under new codes), their 40 filled
templates, then times
reading them with :func:`indeks_opd.files.template_reader.read_received` (python-calamine for
values + one streamed XML pass for number formats and formula facts) and with openpyxl
read-only (values and formats), and the whole ``plan_import`` validation. Timing lives here,
never in a test's pass/fail (docs/arsitektur.md, Conventions).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from indeks_opd.files.reader import open_workbook, read_workbook, sheet_from_openpyxl  # noqa: E402
from indeks_opd.files.sample import sample_rows, write_contract_workbook  # noqa: E402
from indeks_opd.files.template_reader import read_received  # noqa: E402
from indeks_opd.impor.run import plan_import  # noqa: E402
from templat_util import fill, make_templates  # noqa: E402

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


def master_of_40(path: Path) -> Path:
    rows = sample_rows()
    aktif = [r for r in rows["OPD"][1:] if r[3] == "Ya"]
    baru = {f"8.{i:02d}": aktif[i % len(aktif)] for i in range(N)}
    out = {"OPD": [rows["OPD"][0]] + [[k, f"{r[1]} {k}", f"{r[2]}{k[2:]}", "Ya"] for k, r in baru.items()]}
    for sheet in ("Realisasi", "Indikator"):
        out[sheet] = [rows[sheet][0]] + [[*r[:2], k, *r[3:]] for k, o in baru.items()
                                         for r in rows[sheet][1:] if r[2] == o[0]]
    return write_contract_workbook(path, out)


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        master = master_of_40(folder / "induk.xlsx")
        files = list(make_templates(master, folder / "kirim").values())
        for p in files:
            fill(p)
        timed("read_received (calamine + XML facts)", lambda p: read_received(p, ("Realisasi", "Indikator")), files)
        timed("openpyxl read-only (values + formats)", openpyxl_read, files)
        data = read_workbook(master)
        t0 = time.perf_counter()
        plan_import(data, files, master, 2022, 4, lewati_bermasalah=True)
        print(f"{'plan_import: read + validate all':<44} {time.perf_counter() - t0:6.3f} s")


if __name__ == "__main__":
    main()
