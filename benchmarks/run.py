"""Benchmarks of Indeks Kinerja OPD, as ratios against baselines measured in the same run.

    python benchmarks/run.py            # full run (~25 minutes on 2 shared cores)
    python benchmarks/run.py --cepat    # small and quick (< 2 minutes), same table
    python benchmarks/run.py --periksa-saja   # smoke mode on the smallest sizes (seconds), for the tests

Every measurement runs in a fresh interpreter (``benchmarks/tasks.py``), so peak memory
belongs to one job. Each job is repeated (product and baseline interleaved) and the fastest
repetition is kept — the usual estimate of the cost on a machine shared with other work.
Timing is never pass/fail in the test suite; this runner only *prints* whether each target
of issue 8 holds. Generated workbooks are cached in ``--data`` (fixed seed, so a cached file
is the file that would be generated again).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import generate  # noqa: E402

M_INDIKATOR = 20


@dataclass(frozen=True)
class Profile:
    skala: tuple[int, ...]
    """OPD counts of the scaling series (hitung vs its I/O floor at each)."""
    libreoffice: tuple[int, ...]
    """OPD counts where the formula workbook is recalculated by LibreOffice."""
    impor: tuple[int, ...]
    """Numbers of filled templates imported (into a master of that many OPDs)."""
    udf_n: int
    ulang: int
    """Repetitions of the small jobs (the fastest is kept)."""
    ulang_besar: int = 1
    """Repetitions of jobs at >= 5,000 OPDs."""
    lo_timeout: float = 900.0


PROFILES = {
    "penuh": Profile(skala=(40, 200, 1000, 5000, 22000), libreoffice=(40, 200, 1000, 5000), impor=(40, 400),
                     udf_n=1000, ulang=3, ulang_besar=1, lo_timeout=300),
    "cepat": Profile(skala=(40, 80, 160, 320, 640), libreoffice=(40,), impor=(10, 40), udf_n=1000, ulang=2),
    "periksa": Profile(skala=(10, 20, 40), libreoffice=(10,), impor=(3,), udf_n=20, ulang=1, lo_timeout=120),
}

TARGET_HITUNG_LANTAI = 2.0
TARGET_IMPOR_BACA = 1.5
TARGET_EKSPONEN = 1.15
TARGET_MEMORI_MB = 1024.0
TARGET_MEMORI_OPD = 22000
TARGET_UDF = 20.0


# --- data ----------------------------------------------------------------------------------------

class Data:
    """Generated workbooks, cached under ``root`` by content parameters and generator version."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _name(self, kind: str, n: int) -> Path:
        return self.root / f"{kind}_{n}opd_{M_INDIKATOR}ind_v{generate.VERSION}"

    def master(self, n: int) -> Path:
        """Master with TW I of TAHUN, active period TW I (what hitung computes)."""
        path = self._name("induk", n).with_suffix(".xlsx")
        if not path.exists():
            generate.write_master(path, generate.contract_rows(n, M_INDIKATOR, 1), generate.TAHUN, 1)
        return path

    def formulas(self, n: int) -> Path:
        path = self._name("rumus", n).with_suffix(".xlsx")
        if not path.exists():
            generate.write_formula_workbook(path, generate.contract_rows(n, M_INDIKATOR, 1), generate.TAHUN, 1)
        return path

    def import_set(self, n: int) -> tuple[Path, Path]:
        """Master with TW I data and TW II active, and the n OPDs' TW II templates, filled."""
        folder = self._name("impor", n)
        master, templates, done = folder / "induk.xlsx", folder / "templat", folder / "selesai"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            rows = generate.contract_rows(n, M_INDIKATOR, 2)
            tw1 = {s: [r for i, r in enumerate(rs) if s == "OPD" or i == 0 or r[1] == 1] for s, rs in rows.items()}
            generate.write_master(master, tw1, generate.TAHUN, 2)
            generate.write_templates(master, templates, rows, generate.TAHUN, 2)
            done.write_text("ok")
        return master, templates


# --- measuring -------------------------------------------------------------------------------------

def job(name: str, *args, env: dict | None = None, timeout: float = 3600) -> dict:
    """Run one job of tasks.py in a fresh interpreter; adds ``proses`` (wall time of the whole process)."""
    t = time.perf_counter()
    r = subprocess.run([sys.executable, str(HERE / "tasks.py"), name, *map(str, args)], capture_output=True,
                       text=True, timeout=timeout, env=dict(os.environ, **(env or {})))
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"tasks.py {name} gagal (kode {r.returncode}):\n{r.stderr[-3000:]}")
    hasil = json.loads(r.stdout.strip().splitlines()[-1])
    hasil["proses"] = wall
    return hasil


def best(runs: list[dict]) -> dict:
    """The fastest repetition, with the highest peak memory of all of them."""
    b = dict(min(runs, key=lambda x: x["detik"]))
    b["proses"] = min(x["proses"] for x in runs)
    b["rss_mb"] = max(x["rss_mb"] for x in runs)
    return b


def fit_exponent(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def measure_scaling(data: Data, prof: Profile, work: Path, log) -> list[dict]:
    rows = []
    for n in prof.skala:
        master = data.master(n)
        ulang = prof.ulang if n < 5000 else prof.ulang_besar
        hitung, lantai = [], []
        for _ in range(ulang):
            for kind, runs in (("lantai", lantai), ("hitung", hitung)):
                out = work / f"{kind}_{n}.xlsx"
                out.unlink(missing_ok=True)
                runs.append(job(kind, master, out))
                out.unlink(missing_ok=True)
        h, f = best(hitung), best(lantai)
        if h["rc"] != 0:
            raise RuntimeError(f"hitung {n} OPD keluar dengan kode {h['rc']} (data benchmark harus lengkap)")
        rows.append({"n": n, "hitung": h, "lantai": f, "mb": master.stat().st_size / 1e6})
        log(f"  {n:>6} OPD: hitung {h['detik']:.2f} s, lantai {f['detik']:.2f} s, {h['rss_mb']:.0f} MB")
    return rows


def libreoffice_profile(work: Path) -> Path:
    """A LibreOffice user profile that recalculates every formula when a file is loaded."""
    prof = work / "lo-profil"
    (prof / "user").mkdir(parents=True, exist_ok=True)
    items = "".join(
        f'<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="{k}" oor:op="fuse">'
        f"<value>0</value></prop></item>" for k in ("OOXMLRecalcMode", "ODFRecalcMode"))
    (prof / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{items}</oor:items>\n", encoding="utf-8")
    return prof


def soffice_recalc(soffice: str, profile: Path, source: Path, outdir: Path, timeout: float) -> float | None:
    """Seconds LibreOffice takes to open (recalculating), and save ``source`` as xlsx; None on timeout."""
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / source.name).unlink(missing_ok=True)
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(outdir), str(source)]
    t = time.perf_counter()
    try:
        subprocess.run(cmd, capture_output=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    if not (outdir / source.name).exists():
        raise RuntimeError(f"LibreOffice tidak menulis {outdir / source.name}")
    return time.perf_counter() - t


def check_recalculated(converted: Path, master: Path) -> tuple[int, int]:
    """(OPDs whose index and rank from LibreOffice equal the core's, OPDs compared)."""
    import openpyxl

    from indeks_opd.core import compute_period
    from indeks_opd.files.reader import read_workbook

    hasil = compute_period(read_workbook(master), generate.TAHUN, 1).hasil.set_index("kode")
    wb = openpyxl.load_workbook(converted, read_only=True, data_only=True)
    cocok = total = 0
    for kode, _, *_, indeks, _, peringkat, kategori, _ in wb["Rekap"].iter_rows(min_row=2, values_only=True):
        total += 1
        r = hasil.loc[kode]
        if (isinstance(indeks, (int, float)) and abs(indeks - r["indeks"]) < 1e-6 and peringkat == r["peringkat"]
                and kategori == r["kategori"]):
            cocok += 1
    wb.close()
    return cocok, total


def measure_libreoffice(data: Data, prof: Profile, work: Path, scaling: list[dict], log) -> list[dict] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        log("  LibreOffice (soffice) tidak ditemukan: pembanding cara manual dilewati")
        return None
    profile = libreoffice_profile(work)
    warm = data.formulas(min(prof.libreoffice))
    soffice_recalc(soffice, profile, warm, work / "lo-pemanasan", prof.lo_timeout)  # first start builds the profile
    by_n = {r["n"]: r for r in scaling}
    rows = []
    for n in prof.libreoffice:
        source = data.formulas(n)
        detik = soffice_recalc(soffice, profile, source, work / "lo", prof.lo_timeout)
        cocok, total = check_recalculated(work / "lo" / source.name, data.master(n)) if detik else (0, 0)
        hitung = by_n[n]["hitung"]["proses"] if n in by_n else job("hitung", data.master(n), work / "h.xlsx")["proses"]
        (work / "h.xlsx").unlink(missing_ok=True)
        rows.append({"n": n, "detik": detik, "cocok": cocok, "total": total, "hitung": hitung})
        waktu_lo = f"> {prof.lo_timeout:.0f}" if detik is None else f"{detik:.1f}"
        log(f"  {n:>6} OPD: LibreOffice {waktu_lo} s, "
            f"{cocok}/{total} OPD sama dengan inti")
        if detik is None:
            break  # larger sizes take even longer
    return rows


def measure_impor(data: Data, prof: Profile, work: Path, log) -> list[dict]:
    rows = []
    for n in prof.impor:
        master, templates = data.import_set(n)
        impor, baca = [], []
        for _ in range(prof.ulang):
            baca.append(job("baca", master, templates))
            run_dir = work / f"impor_{n}"
            shutil.rmtree(run_dir, ignore_errors=True)
            run_dir.mkdir()
            copy = shutil.copy2(master, run_dir / "induk.xlsx")
            impor.append(job("impor", copy, templates))
            if impor[-1]["rc"] != 0:
                raise RuntimeError(f"impor {n} templat keluar dengan kode {impor[-1]['rc']}")
        i, b = best(impor), best(baca)
        rows.append({"n": n, "impor": i, "baca": b})
        log(f"  {n:>6} templat: impor {i['detik']:.2f} s, baca saja {b['detik']:.2f} s")
    return rows


def measure_udf(prof: Profile, log) -> dict:
    runs = [job("udf", prof.udf_n, env={"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"})
            for _ in range(prof.ulang)]
    b = dict(min(runs, key=lambda x: x["detik"]))
    b["detik_skalar"] = min(x["detik_skalar"] for x in runs)
    if not all(x["sama"] for x in runs):
        raise RuntimeError("INDEKS_OPD vektor dan skalar memberi hasil berbeda")
    log(f"  N = {b['n']}: vektor {b['detik']:.3f} s, skalar {b['detik_skalar']:.3f} s")
    return b


# --- report ----------------------------------------------------------------------------------------

def machine() -> list[str]:
    import importlib.metadata as md

    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        ram = float("nan")
    versi = ", ".join(f"{p} {md.version(p)}" for p in ("pandas", "numpy", "openpyxl", "lxml", "python-calamine",
                                                       "xlsxwriter", "xlwings"))
    lo = shutil.which("soffice")
    lo_v = subprocess.run([lo, "--version"], capture_output=True, text=True).stdout.strip() if lo else "tidak ada"
    return [f"- CPU: {os.cpu_count()} inti ({platform.processor() or platform.machine()}), RAM {ram:.1f} GiB, "
            f"beban rata-rata saat mulai {os.getloadavg()[0]:.1f}",
            f"- Python {platform.python_version()} ({platform.system()} {platform.release()})",
            f"- {versi}", f"- {lo_v}"]


def status(ok: bool | None) -> str:
    return "tidak diukur" if ok is None else ("TERPENUHI" if ok else "TIDAK terpenuhi")


def report(prof_name: str, prof: Profile, scaling, lo, impor, udf, durasi: float, mesin: list[str]) -> str:
    out = [f"## Hasil ({prof_name}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {durasi / 60:.1f} menit)",
           "", *mesin, "", f"### Hitung vs lantai I/O ({M_INDIKATOR} indikator per OPD, 1 triwulan)", "",
           "| OPD | berkas MB | hitung s | lantai s | rasio | hitung proses s | lantai proses s | memori puncak MB |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in scaling:
        h, f = r["hitung"], r["lantai"]
        out.append(f"| {r['n']:,} | {r['mb']:.1f} | {h['detik']:.2f} | {f['detik']:.2f} | "
                   f"{h['detik'] / f['detik']:.2f}× | {h['proses']:.2f} | {f['proses']:.2f} | {h['rss_mb']:.0f} |")
    sizes = [r["n"] for r in scaling]
    eks_h = fit_exponent(sizes, [r["hitung"]["detik"] for r in scaling])
    eks_f = fit_exponent(sizes, [r["lantai"]["detik"] for r in scaling])
    eks_m = fit_exponent(sizes, [r["hitung"]["rss_mb"] for r in scaling])
    out += ["", f"Eksponen pertumbuhan (kuadrat terkecil log-log): hitung {eks_h:.2f}, lantai I/O {eks_f:.2f}, "
                f"memori puncak {eks_m:.2f}.", ""]
    if lo is not None:
        out += ["### Cara manual: rumus Excel asli dihitung ulang dan disimpan LibreOffice headless", "",
                "| OPD | LibreOffice s | hitung proses s | LibreOffice / hitung | nilai dihitung ulang = inti |",
                "|---:|---:|---:|---:|---:|"]
        for r in lo:
            d = f"> {prof.lo_timeout:.0f}" if r["detik"] is None else f"{r['detik']:.2f}"
            rasio = f"> {prof.lo_timeout / r['hitung']:.1f}×" if r["detik"] is None else f"{r['detik'] / r['hitung']:.1f}×"
            out.append(f"| {r['n']:,} | {d} | {r['hitung']:.2f} | {rasio} | {r['cocok']}/{r['total']} |")
        out.append("")
    out += ["### Impor templat vs hanya membaca berkas yang sama", "",
            "| templat | impor s | baca saja s | rasio | impor proses s | memori puncak MB |", "|---:|---:|---:|---:|---:|---:|"]
    for r in impor:
        i, b = r["impor"], r["baca"]
        out.append(f"| {r['n']:,} | {i['detik']:.2f} | {b['detik']:.2f} | {i['detik'] / b['detik']:.1f}× | "
                   f"{i['proses']:.2f} | {i['rss_mb']:.0f} |")
    per_v, per_s = udf["detik"] / udf["n"] * 1e6, udf["detik_skalar"] / udf["n"] * 1e6
    out += ["", "### UDF INDEKS_OPD lewat xlwings.server.custom_functions_call", "",
            "| N | satu panggilan vektor s | N panggilan skalar s | µs/baris vektor | µs/baris skalar | percepatan |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {udf['n']:,} | {udf['detik']:.3f} | {udf['detik_skalar']:.3f} | {per_v:.0f} | {per_s:.0f} | "
            f"{per_s / per_v:.1f}× |", ""]

    besar = next((r for r in scaling if r["n"] >= TARGET_MEMORI_OPD), None)
    lo_ok = None if not lo else all(r["detik"] is None or r["detik"] > r["hitung"] for r in lo) and all(
        r["cocok"] == r["total"] for r in lo if r["detik"] is not None)
    targets = [
        (f"hitung ≤ {TARGET_HITUNG_LANTAI:g}× lantai I/O di setiap ukuran",
         all(r["hitung"]["detik"] <= TARGET_HITUNG_LANTAI * r["lantai"]["detik"] for r in scaling),
         f"rasio terbesar {max(r['hitung']['detik'] / r['lantai']['detik'] for r in scaling):.2f}×"),
        ("hitung lebih cepat dari LibreOffice (dan nilainya sama)", lo_ok,
         "" if not lo else
         f"rasio terkecil {min((prof.lo_timeout if r['detik'] is None else r['detik']) / r['hitung'] for r in lo):.1f}×"),
        (f"impor ≤ {TARGET_IMPOR_BACA:g}× baca saja",
         all(r["impor"]["detik"] <= TARGET_IMPOR_BACA * r["baca"]["detik"] for r in impor),
         f"rasio terbesar {max(r['impor']['detik'] / r['baca']['detik'] for r in impor):.1f}×"),
        (f"eksponen pertumbuhan ≤ {TARGET_EKSPONEN:g}", eks_h <= TARGET_EKSPONEN, f"{eks_h:.2f}"),
        (f"{TARGET_MEMORI_OPD:,} OPD < {TARGET_MEMORI_MB:.0f} MB memori puncak",
         None if besar is None else besar["hitung"]["rss_mb"] < TARGET_MEMORI_MB,
         "" if besar is None else f"{besar['hitung']['rss_mb']:.0f} MB"),
        (f"UDF vektor ≥ {TARGET_UDF:g}× lebih cepat per baris (N = {udf['n']:,})", per_s / per_v >= TARGET_UDF,
         f"{per_s / per_v:.1f}×"),
    ]
    out += ["### Target issue 8", "", "| target | status | nilai |", "|---|---|---|"]
    out += [f"| {t} | {status(ok)} | {v} |" for t, ok, v in targets]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark Indeks Kinerja OPD: rasio terhadap pembanding yang diukur "
                                             "dalam proses yang sama.")
    ap.add_argument("--cepat", action="store_true", help="ukuran kecil, selesai < 2 menit")
    ap.add_argument("--periksa-saja", action="store_true", help="ukuran terkecil, hanya memeriksa runner berjalan")
    ap.add_argument("--data", type=Path, default=HERE / "_data", help="folder cache buku kerja yang dibangkitkan")
    ap.add_argument("--md", type=Path, help="juga tulis tabel hasil ke berkas Markdown ini")
    a = ap.parse_args(argv)
    nama = "periksa" if a.periksa_saja else ("cepat" if a.cepat else "penuh")
    prof = PROFILES[nama]
    mulai = time.perf_counter()
    mesin = machine()

    def log(s: str) -> None:
        print(s, file=sys.stderr, flush=True)

    data = Data(a.data)
    with tempfile.TemporaryDirectory(prefix="indeks-bench-") as tmp:
        work = Path(tmp)
        log(f"[{nama}] penskalaan hitung vs lantai I/O …")
        scaling = measure_scaling(data, prof, work, log)
        log("cara manual (LibreOffice) …")
        lo = measure_libreoffice(data, prof, work, scaling, log)
        log("impor templat …")
        impor = measure_impor(data, prof, work, log)
        log("UDF …")
        udf = measure_udf(prof, log)
    teks = report(nama, prof, scaling, lo, impor, udf, time.perf_counter() - mulai, mesin)
    print(teks)
    if a.md:
        a.md.write_text(teks, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
