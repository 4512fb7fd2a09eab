"""One measured job per process: ``python benchmarks/tasks.py JOB ARGS...`` prints one JSON line.

Run by ``benchmarks/run.py`` through ``launch.py`` (a small parent that adds the process's
wall time and peak memory), in a fresh interpreter for each measurement so that no cache
survives between jobs. The JSON holds ``detik`` (seconds of the job itself, after the imports
it needs) and ``hwm_mb`` (``VmHWM``: this process's own peak resident memory), plus
job-specific fields.

Jobs:
- ``hitung INDUK KELUARAN``: ``indeks-opd hitung INDUK --keluaran KELUARAN --diam`` through
  the CLI's own ``main`` (read, compute, write the output sheets safely).
- ``lantai INDUK KELUARAN``: the physical floor of hitung (``floor.py``): python-calamine
  values of the sheets hitung reads, rows of the size hitung writes as raw XML, every other
  zip entry copied compressed.
- ``impor INDUK FOLDER``: ``indeks-opd impor FOLDER --ke INDUK`` through the CLI's ``main``.
- ``baca_tulis INDUK FOLDER KELUARAN``: the physical floor of impor (``floor.py``): the master
  and every template read with python-calamine, the master's Realisasi and Indikator rows
  (old + imported) written as raw XML, everything else copied compressed.
- ``udf N``: one vectorised ``INDEKS_OPD`` call over N rows vs N one-row calls, both through
  ``xlwings.server.custom_functions_call`` (needs ``XLWINGS_ON_SERVER=true`` in the
  environment, set by the runner).
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def _hwm_mb() -> float | None:
    """Peak resident memory of this process's own address space (``VmHWM``, reset by ``exec``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None


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


def job_lantai(induk: str, keluaran: str) -> dict:
    """The physical floor of hitung (see floor.py): calamine read, raw-XML rows, raw copy of the rest."""
    import python_calamine  # noqa: F401 - imports are not the job

    import floor

    t = time.perf_counter()
    sel = floor.hitung_floor(induk, keluaran)
    return {"detik": time.perf_counter() - t, "sel": sel}


def job_impor(induk: str, folder: str) -> dict:
    import indeks_opd.cli  # noqa: F401

    rc, detik = _cli(["impor", folder, "--ke", induk])
    return {"detik": detik, "rc": rc}


def job_baca_tulis(induk: str, folder: str, keluaran: str) -> dict:
    """The physical floor of impor (see floor.py): read master and templates, write the same rows."""
    import python_calamine  # noqa: F401

    import floor
    from indeks_opd.templat.generate import HEADER_ROW

    berkas = sorted(str(p) for p in Path(folder).glob("*.xlsx"))
    t = time.perf_counter()
    baris = floor.impor_floor(induk, berkas, keluaran, HEADER_ROW)
    return {"detik": time.perf_counter() - t, "baris": baris, "berkas": len(berkas)}


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


JOBS = {"hitung": job_hitung, "lantai": job_lantai, "impor": job_impor, "baca_tulis": job_baca_tulis, "udf": job_udf}

if __name__ == "__main__":
    hasil = JOBS[sys.argv[1]](*sys.argv[2:])
    hasil["hwm_mb"] = _hwm_mb()
    print(json.dumps(hasil))
