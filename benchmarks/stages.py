"""Where hitung's time goes beyond its I/O floor: ``python benchmarks/stages.py INDUK [TAHUN TRIWULAN]``.

Times each stage of ``indeks-opd hitung`` on its own (fastest of 3) next to the two parts of
the floor measured by ``run.py`` (reading every cell value, re-saving the package). Used for
the stage breakdown in RESULTS.md; a profiler (``python -m cProfile``) tells the rest.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from indeks_opd.contract import read_contract
from indeks_opd.core import compute_period
from indeks_opd.files.reader import read_contract_sheets
from indeks_opd.files.writer import WorkbookContents, outputs_for, write_outputs
from indeks_opd.files.xlsx_package import Package
from tasks import read_every_cell  # also puts src/ on sys.path


def stages(induk: str, tahun: int, triwulan: int, ulang: int = 3) -> dict[str, float]:
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hasil.xlsx"
        for _ in range(ulang):
            waktu = {}
            t = time.perf_counter()
            read_every_cell(induk)
            waktu["lantai: baca"] = time.perf_counter() - t
            t = time.perf_counter()
            Package.open(induk).save(out)
            waktu["lantai: simpan zip"] = time.perf_counter() - t
            t = time.perf_counter()
            sheets, names = read_contract_sheets(induk)
            waktu["hitung: baca sel + format"] = time.perf_counter() - t
            t = time.perf_counter()
            data = read_contract(sheets, names)
            waktu["hitung: kontrak"] = time.perf_counter() - t
            t = time.perf_counter()
            hasil = compute_period(data, tahun, triwulan)
            waktu["hitung: inti"] = time.perf_counter() - t
            t = time.perf_counter()
            model = outputs_for(hasil, WorkbookContents(data, {}), datetime.now())
            waktu["hitung: model keluaran + sidik data"] = time.perf_counter() - t
            out.unlink(missing_ok=True)
            t = time.perf_counter()
            write_outputs(induk, out, model, None)
            waktu["hitung: tulis"] = time.perf_counter() - t
            for k, v in waktu.items():
                best[k] = min(best.get(k, float("inf")), v)
    return best


if __name__ == "__main__":
    args = sys.argv[1:]
    tahun, triwulan = (int(args[1]), int(args[2])) if len(args) == 3 else (2024, 1)
    hasil = stages(args[0], tahun, triwulan)
    for k, v in hasil.items():
        print(f"{k:<40} {v:8.3f} s")
    lantai = sum(v for k, v in hasil.items() if k.startswith("lantai"))
    produk = sum(v for k, v in hasil.items() if k.startswith("hitung"))
    print(f"{'lantai':<40} {lantai:8.3f} s\n{'hitung (tanpa kunci dan cadangan)':<40} {produk:8.3f} s  "
          f"({produk / lantai:.2f}×)")
