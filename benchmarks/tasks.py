"""One measured job per process: ``python benchmarks/tasks.py JOB ARGS...`` prints one JSON line.

Run by ``benchmarks/run.py`` in a fresh interpreter for each measurement, so that peak memory
(``ru_maxrss`` of this process) belongs to one job and no cache survives between jobs. The
JSON holds ``detik`` (seconds of the job itself, after the imports it needs) and ``rss_mb``
(peak resident memory of the whole process, imports included), plus job-specific fields.

Jobs:
- ``hitung INDUK KELUARAN``: ``indeks-opd hitung INDUK --keluaran KELUARAN --diam`` through
  the CLI's own ``main`` (read, compute, write the output sheets safely).
- ``lantai INDUK KELUARAN``: the I/O floor of hitung — the same libraries doing only I/O:
  every cell value of every sheet read with openpyxl read-only (as the product's reader
  opens it), then the package opened and saved unchanged by the product's own package
  writer (:class:`indeks_opd.files.xlsx_package.Package`, zip + the same compression).
- ``impor INDUK FOLDER``: ``indeks-opd impor FOLDER --ke INDUK`` through the CLI's ``main``.
- ``baca INDUK FOLDER``: the read-only baseline of impor — the same files read with the
  same libraries and nothing else: the master's cells with openpyxl read-only, every
  template's sheets with python-calamine.
- ``udf N``: one vectorised ``INDEKS_OPD`` call over N rows vs N one-row calls, both through
  ``xlwings.server.custom_functions_call`` (needs ``XLWINGS_ON_SERVER=true`` in the
  environment, set by the runner).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _cli(argv: list[str]) -> tuple[int, float]:
    from indeks_opd.cli import main

    t = time.perf_counter()
    with redirect_stdout(StringIO()):
        rc = main(argv)
    return rc, time.perf_counter() - t


def job_hitung(induk: str, keluaran: str) -> dict:
    import indeks_opd.cli  # noqa: F401 - imports are not the job

    rc, detik = _cli(["hitung", induk, "--keluaran", keluaran, "--diam"])
    return {"detik": detik, "rc": rc}


def read_every_cell(path: str) -> int:
    """Every cell value of every sheet with openpyxl read-only, as the product's reader opens a file."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    sel = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            sel += len(row)
    wb.close()
    return sel


def job_lantai(induk: str, keluaran: str) -> dict:
    import openpyxl  # noqa: F401 - imports are not the job

    from indeks_opd.files.xlsx_package import Package

    t = time.perf_counter()
    sel = read_every_cell(induk)
    Package.open(induk).save(keluaran)
    return {"detik": time.perf_counter() - t, "sel": sel}


def job_impor(induk: str, folder: str) -> dict:
    import indeks_opd.cli  # noqa: F401

    rc, detik = _cli(["impor", folder, "--ke", induk])
    return {"detik": detik, "rc": rc}


def job_baca(induk: str, folder: str) -> dict:
    import openpyxl  # noqa: F401
    import python_calamine

    t = time.perf_counter()
    sel = read_every_cell(induk)
    berkas = sorted(Path(folder).glob("*.xlsx"))
    for p in berkas:
        cal = python_calamine.CalamineWorkbook.from_path(str(p))
        for nama in cal.sheet_names:
            sel += sum(len(r) for r in cal.get_sheet_by_name(nama).to_python(skip_empty_area=False))
        cal.close()
    return {"detik": time.perf_counter() - t, "sel": sel, "berkas": len(berkas)}


def job_udf(n: str) -> dict:
    import asyncio

    import xlwings as xw
    from xlwings import server

    from indeks_opd import udfs

    n = int(n)
    rows = [[90.0 - i % 37, 80.0 + i % 19, 70.0 + i % 29, ("" if i % 10 == 0 else 60.0 + i % 41)] for i in range(n)]

    def call(args):
        data = {"func_name": "INDEKS_OPD", "args": args, "caller_address": "Rekap!F2", "version": xw.__version__,
                "client": "Office.js", "runtime": "1.4", "culture_info_name": "id-ID", "date_format": "dd/mm/yyyy"}
        return asyncio.run(server.custom_functions_call(data, udfs))

    columns = [[[r[k]] for r in rows] for k in range(4)]
    call([c[:1] for c in columns])  # warm-up: first-call costs are not per-row costs
    t = time.perf_counter()
    vektor = call(columns)
    t_vektor = time.perf_counter() - t
    t = time.perf_counter()
    skalar = [call([[[v]] for v in r]) for r in rows]
    t_skalar = time.perf_counter() - t
    sama = len(vektor) == len(skalar) == n and all(abs(a[0] - b[0][0]) < 1e-9 for a, b in zip(vektor, skalar))
    return {"detik": t_vektor, "detik_skalar": t_skalar, "n": n, "sama": sama}


JOBS = {"hitung": job_hitung, "lantai": job_lantai, "impor": job_impor, "baca": job_baca, "udf": job_udf}

if __name__ == "__main__":
    hasil = JOBS[sys.argv[1]](*sys.argv[2:])
    hasil["rss_mb"] = _peak_mb()
    print(json.dumps(hasil))
