"""Where hitung's time goes beyond its physical floor: ``python benchmarks/stages.py INDUK [TAHUN TRIWULAN]``.

Times each stage of ``indeks-opd hitung`` on its own (fastest of 3) next to the two parts of
the floor measured by ``run.py`` (``floor.py``: calamine values of the sheets hitung reads;
raw-XML rows and a raw copy of every other zip entry), with Python's cycle collector paused as
both run. Used for the stage breakdown in RESULTS.md; a profiler (py-spy, pyinstrument) tells
the rest.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import floor
import tasks  # noqa: F401 - puts src/ on sys.path
from indeks_opd.contract.output_sheets import SHEET_REKAP
from indeks_opd.core import compute_period
from indeks_opd.files.writer import outputs_for, read_for_hitung, write_outputs


def stages(induk: str, tahun: int, triwulan: int, ulang: int = 3) -> dict[str, float]:
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hasil.xlsx"
        for _ in range(ulang):
            waktu = {}
            t = time.perf_counter()
            floor.read_values(induk, (*floor.INPUT_SHEETS, "Riwayat", "Log", "Rekap"))
            waktu["lantai: baca (calamine)"] = time.perf_counter() - t
            t = time.perf_counter()
            floor.hitung_floor(induk, str(out))
            waktu["lantai: baca + tulis"] = time.perf_counter() - t
            out.unlink(missing_ok=True)
            t = time.perf_counter()
            contents = read_for_hitung(induk)
            waktu["hitung: baca + kontrak"] = time.perf_counter() - t
            t = time.perf_counter()
            hasil = compute_period(contents.data, tahun, triwulan)
            waktu["hitung: inti"] = time.perf_counter() - t
            t = time.perf_counter()
            model = outputs_for(hasil, contents, datetime.now())
            waktu["hitung: model keluaran + sidik data"] = time.perf_counter() - t
            t = time.perf_counter()
            write_outputs(induk, out, model, contents.existing.get(SHEET_REKAP), package=contents.package)
            waktu["hitung: tulis"] = time.perf_counter() - t
            out.unlink(missing_ok=True)
            for k, v in waktu.items():
                best[k] = min(best.get(k, float("inf")), v)
    return best


if __name__ == "__main__":
    gc.disable()  # as hitung (cli/hitung.py) and the floor (floor.py) run: no collector passes over the cells
    args = sys.argv[1:]
    tahun, triwulan = (int(args[1]), int(args[2])) if len(args) == 3 else (2024, 1)
    hasil = stages(args[0], tahun, triwulan)
    for k, v in hasil.items():
        print(f"{k:<40} {v:8.3f} s")
    lantai = hasil["lantai: baca + tulis"]
    produk = sum(v for k, v in hasil.items() if k.startswith("hitung"))
    print(f"{'hitung (tanpa kunci dan cadangan)':<40} {produk:8.3f} s  ({produk / lantai:.2f}× lantai)")
