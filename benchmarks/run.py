"""Benchmarks of Indeks Kinerja OPD, as ratios against baselines measured in the same run.

    python benchmarks/run.py            # full run (see RESULTS.md for its duration)
    python benchmarks/run.py --cepat    # small sizes, same tables, a few minutes
    python benchmarks/run.py --periksa-saja   # smoke mode on the smallest sizes, for the tests

Every measurement runs in a fresh interpreter (``tasks.py``) started from a small parent
(``launch.py``), so peak memory belongs to that job and no cache survives. Every job is
repeated (product and baseline interleaved) and min and median are reported with the spread
between repetitions. Timing is never pass/fail in the test suite; this runner only *prints*
whether each target of issue 17 holds. Generated workbooks are cached in ``--data`` (fixed
seed, so a cached file is the file that would be generated again).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
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
    """OPD counts of the scaling series (hitung vs its physical floor at each)."""
    riwayat: tuple[int, int]
    """(OPDs, quarters of Riwayat already in the workbook) for the history row."""
    libreoffice: dict[str, tuple[int, ...]]
    """OPD counts where each formula design is recalculated by LibreOffice."""
    impor: tuple[int, ...]
    """Numbers of filled templates imported (into a master of that many OPDs)."""
    udf_n: int
    ulang: int
    """Repetitions of every job (min and median are reported)."""
    klik: int = 5
    """Repetitions of the click (hitung on the bundled sample, whole process)."""
    lo_timeout: float = 900.0


PROFILES = {
    "penuh": Profile(skala=(40, 200, 1000, 5000, 22000), riwayat=(1000, 8),
                     libreoffice={"sumifs": (1000, 5000), "lookup": (1000, 5000, 22000)}, impor=(40, 400),
                     udf_n=1000, ulang=3, lo_timeout=300),
    "cepat": Profile(skala=(40, 200, 1000), riwayat=(200, 8), libreoffice={"sumifs": (200,), "lookup": (200,)},
                     impor=(10, 40), udf_n=1000, ulang=3),
    "periksa": Profile(skala=(10, 20, 40), riwayat=(10, 2), libreoffice={"sumifs": (10,), "lookup": (10,)},
                       impor=(3,), udf_n=20, ulang=1, klik=1, lo_timeout=120),
}

TARGET_HITUNG_LANTAI = 2.0
TARGET_LANTAI_OPD = (5000, 22000)
TARGET_MEMORI_MB = 500.0
TARGET_MEMORI_OPD = 22000
TARGET_RIWAYAT = 1.2
TARGET_KLIK_S = 0.35
TARGET_EKSPONEN = 1.15
TARGET_UDF = 20.0
SAMPLE = ROOT / "src" / "indeks_opd" / "data" / "contoh.xlsx"


# --- data ----------------------------------------------------------------------------------------

class Data:
    """Generated workbooks, cached under ``root`` by content parameters and generator version."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _name(self, kind: str, n: int) -> Path:
        return self.root / f"{kind}_{n}opd_{M_INDIKATOR}ind_v{generate.VERSION}"

    def master(self, n: int, riwayat: int = 0) -> Path:
        """Master with TW I of TAHUN, active period TW I (what hitung computes), and ``riwayat``
        earlier quarters already in its Riwayat and Log sheets."""
        path = self._name("induk" if not riwayat else f"induk_riwayat{riwayat}", n).with_suffix(".xlsx")
        if not path.exists():
            rows = generate.contract_rows(n, M_INDIKATOR, 1)
            if riwayat:
                rows.update(generate.history_rows(n, riwayat))
            generate.write_master(path.with_suffix(".tmp"), rows, generate.TAHUN, 1).rename(path)
        return path

    def formulas(self, n: int, design: str) -> Path:
        path = self._name(f"rumus_{design}", n).with_suffix(".xlsx")
        if not path.exists():
            generate.write_formula_workbook(path.with_suffix(".tmp"), generate.contract_rows(n, M_INDIKATOR, 1),
                                            generate.TAHUN, 1, design=design).rename(path)
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

def launch(cmd: list[str], env: dict | None = None, timeout: float = 3600) -> dict:
    """Run ``cmd`` under ``launch.py`` (the small parent): its JSON plus ``proses`` and ``rss_mb``."""
    r = subprocess.run([sys.executable, str(HERE / "launch.py"), *cmd], capture_output=True, text=True,
                       timeout=timeout, env=dict(os.environ, **(env or {})))
    if r.returncode != 0 or not r.stdout.strip():
        raise RuntimeError(f"{' '.join(cmd[:4])} gagal:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def job(name: str, *args, env: dict | None = None, timeout: float = 3600) -> dict:
    """One job of tasks.py in a fresh interpreter started from the small parent."""
    hasil = launch([sys.executable, str(HERE / "tasks.py"), name, *map(str, args)], env, timeout)
    if "detik" not in hasil:
        raise RuntimeError(f"tasks.py {name} gagal (kode {hasil.get('rc')})")
    return hasil


def summary(runs: list[dict], key: str = "detik") -> dict:
    """min, median and spread (max / min) of ``key`` over repetitions; the peaks' highest memory."""
    xs = sorted(r[key] for r in runs)
    return {"min": xs[0], "med": statistics.median(xs), "sebar": xs[-1] / xs[0] if xs[0] > 0 else 1.0,
            "proses": min(r.get("proses", 0.0) for r in runs), "rss_mb": max(r.get("rss_mb", 0.0) for r in runs),
            "hwm_mb": max(r.get("hwm_mb") or 0.0 for r in runs), "n": len(xs), "rc": runs[-1].get("rc", 0)}


def interleaved(pairs: dict[str, tuple], ulang: int, work: Path) -> dict[str, dict]:
    """Run each named job ``ulang`` times, the jobs interleaved (so load changes hit all alike)."""
    runs: dict[str, list] = {k: [] for k in pairs}
    for _ in range(ulang):
        for k, (name, *args) in pairs.items():
            out = work / f"{k}.xlsx"
            out.unlink(missing_ok=True)
            runs[k].append(job(name, *args, out) if name in ("hitung", "lantai") else job(name, *args))
            out.unlink(missing_ok=True)
    return {k: summary(v) for k, v in runs.items()}


def fit_exponent(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def measure_scaling(data: Data, prof: Profile, work: Path, log) -> list[dict]:
    rows = []
    for n in prof.skala:
        master = data.master(n)
        s = interleaved({"lantai": ("lantai", master), "hitung": ("hitung", master)}, prof.ulang, work)
        if s["hitung"]["rc"] not in (0, 3):
            raise RuntimeError(f"hitung {n} OPD keluar dengan kode {s['hitung']['rc']}")
        rows.append({"n": n, "mb": master.stat().st_size / 1e6, **s})
        log(f"  {n:>6} OPD: hitung {s['hitung']['min']:.2f}/{s['hitung']['med']:.2f} s, lantai "
            f"{s['lantai']['min']:.2f}/{s['lantai']['med']:.2f} s, {s['hitung']['rss_mb']:.0f} MB")
    return rows


def measure_history(data: Data, prof: Profile, work: Path, log) -> dict:
    n, quarters = prof.riwayat
    plain, history = data.master(n), data.master(n, quarters)
    s = interleaved({"tanpa": ("hitung", plain), "riwayat": ("hitung", history),
                     "lantai_riwayat": ("lantai", history)}, prof.ulang, work)
    log(f"  {n} OPD: tanpa riwayat {s['tanpa']['min']:.2f} s, {quarters} triwulan riwayat {s['riwayat']['min']:.2f} s")
    return {"n": n, "triwulan": quarters, **s}


def measure_click(prof: Profile, work: Path, log) -> dict:
    """The click: ``indeks-opd hitung`` on the bundled sample, the whole process, next to an empty interpreter."""
    sample = shutil.copy2(SAMPLE, work / "contoh.xlsx")
    # bytecode is written and used, as after a pip install (a shell with PYTHONDONTWRITEBYTECODE=1 would have
    # every changed module compiled again in each measured process: +0.05 s on the click here)
    env = {"PYTHONPATH": str(ROOT / "src"), "PYTHONDONTWRITEBYTECODE": ""}
    launch([sys.executable, "-m", "indeks_opd", "hitung", str(sample), "--keluaran", str(work / "klik.xlsx"), "--diam"],
           env)  # the warm-up that writes it
    runs: dict[str, list] = {"klik": [], "python": [], "pandas": []}
    for _ in range(prof.klik):
        (work / "klik.xlsx").unlink(missing_ok=True)
        runs["klik"].append(launch([sys.executable, "-m", "indeks_opd", "hitung", str(sample), "--keluaran",
                                    str(work / "klik.xlsx"), "--diam"], env))
        runs["python"].append(launch([sys.executable, "-c", "pass"], env))
        runs["pandas"].append(launch([sys.executable, "-c", "import pandas"], env))
    s = {k: summary(v, "proses") for k, v in runs.items()}
    if s["klik"]["rc"] not in (0, 3):
        raise RuntimeError(f"hitung contoh.xlsx keluar dengan kode {s['klik']['rc']}")
    log(f"  klik {s['klik']['min']:.3f}/{s['klik']['med']:.3f} s (python kosong {s['python']['min']:.3f} s)")
    return s


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
    """Seconds a fresh LibreOffice takes to start, open (recalculating) and save ``source`` as xlsx; None on timeout."""
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


def uno_python() -> str | None:
    """A Python that can ``import uno`` (LibreOffice's bridge), for the warm measurement."""
    for py in ("/usr/bin/python3", shutil.which("python3")):
        if py and subprocess.run([py, "-c", "import uno"], capture_output=True).returncode == 0:
            return py
    return None


def soffice_warm(py: str, soffice: str, profile: Path, warmup: Path, source: Path, outdir: Path, ulang: int,
                 timeout: float) -> list[float] | None:
    """Seconds a running LibreOffice takes to open (recalculating) and save ``source``, per repetition."""
    cmd = [py, str(HERE / "lo_warm.py"), soffice, str(profile), str(outdir), str(ulang), str(warmup), str(source)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout * (ulang + 1), check=True)
    except subprocess.TimeoutExpired:
        return None
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    return lines[-1]["detik"]


def check_recalculated(converted: Path, master: Path) -> tuple[int, int]:
    """(OPDs whose index, rank and category from LibreOffice equal the core's, OPDs compared)."""
    import python_calamine

    from indeks_opd.core import compute_period
    from indeks_opd.files.reader import read_workbook

    hasil = compute_period(read_workbook(master), generate.TAHUN, 1).hasil.set_index("kode")
    cal = python_calamine.CalamineWorkbook.from_path(str(converted))
    cocok = total = 0
    for row in cal.get_sheet_by_name("Rekap").to_python()[1:]:
        kode, indeks, peringkat, kategori = row[0], row[7], row[9], row[10]
        total += 1
        r = hasil.loc[kode]
        if (isinstance(indeks, (int, float)) and abs(indeks - r["indeks"]) < 1e-6 and peringkat == r["peringkat"]
                and kategori == r["kategori"]):
            cocok += 1
    cal.close()
    return cocok, total


def measure_libreoffice(data: Data, prof: Profile, work: Path, scaling: list[dict], log) -> list[dict] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        log("  LibreOffice (soffice) tidak ditemukan: pembanding cara manual dilewati")
        return None
    py = uno_python()
    profile = libreoffice_profile(work)
    smallest = min(min(v) for v in prof.libreoffice.values())
    warmup = data.formulas(smallest, "lookup")
    soffice_recalc(soffice, profile, warmup, work / "lo-pemanasan", prof.lo_timeout)  # first start builds the profile
    by_n = {r["n"]: r["hitung"] for r in scaling}
    rows = []
    for design, sizes in prof.libreoffice.items():
        for n in sizes:
            source = data.formulas(n, design)
            cold = soffice_recalc(soffice, profile, source, work / "lo-dingin", prof.lo_timeout)
            cocok = check_recalculated(work / "lo-dingin" / source.name, data.master(n)) if cold else (0, 0)
            warm = None
            if cold is not None and py is not None:
                warm = soffice_warm(py, soffice, profile, warmup, source, work / "lo-hangat", prof.ulang,
                                    prof.lo_timeout)
                if warm:
                    hangat = check_recalculated(work / "lo-hangat" / source.name, data.master(n))
                    cocok = (min(cocok[0], hangat[0]), cocok[1])
            hitung = by_n.get(n) or summary([job("hitung", data.master(n), work / "h.xlsx")])
            (work / "h.xlsx").unlink(missing_ok=True)
            rows.append({"desain": design, "n": n, "dingin": cold, "hangat": warm, "cocok": cocok[0],
                         "total": cocok[1], "hitung": hitung})
            dingin = f"> {prof.lo_timeout:.0f}" if cold is None else f"{cold:.1f}"
            hangat_s = "-" if not warm else f"{min(warm):.1f}"
            log(f"  {design} {n:>6} OPD: dingin {dingin} s, hangat {hangat_s} s, {cocok[0]}/{cocok[1]} OPD sama dengan inti")
            if cold is None:
                break  # larger sizes take even longer
    return rows


def measure_impor(data: Data, prof: Profile, work: Path, log) -> list[dict]:
    rows = []
    for n in prof.impor:
        master, templates = data.import_set(n)
        impor, lantai = [], []
        for _ in range(prof.ulang):
            (work / "bt.xlsx").unlink(missing_ok=True)
            lantai.append(job("baca_tulis", master, templates, work / "bt.xlsx"))
            run_dir = work / f"impor_{n}"
            shutil.rmtree(run_dir, ignore_errors=True)
            run_dir.mkdir()
            copy = shutil.copy2(master, run_dir / "induk.xlsx")
            impor.append(job("impor", copy, templates))
            if impor[-1]["rc"] != 0:
                raise RuntimeError(f"impor {n} templat keluar dengan kode {impor[-1]['rc']}")
        i, b = summary(impor), summary(lantai)
        rows.append({"n": n, "impor": i, "lantai": b})
        log(f"  {n:>6} templat: impor {i['min']:.2f} s, baca + tulis {b['min']:.2f} s")
    return rows


def measure_udf(prof: Profile, log) -> dict:
    runs = [job("udf", prof.udf_n, env={"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"})
            for _ in range(prof.ulang)]
    if not all(x["sama"] for x in runs):
        raise RuntimeError("INDEKS_OPD vektor dan skalar memberi hasil berbeda")
    for x in runs:
        x["rasio"] = x["detik_skalar"] / x["detik"]
    b = {"n": prof.udf_n, "vektor": summary(runs), "skalar": summary(runs, "detik_skalar"),
         "rasio": summary(runs, "rasio")}
    log(f"  N = {b['n']}: vektor {b['vektor']['min']:.3f} s, skalar {b['skalar']['min']:.3f} s")
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
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        cpu = ""
    lo = shutil.which("soffice")
    lo_v = subprocess.run([lo, "--version"], capture_output=True, text=True).stdout.strip() if lo else "tidak ada"
    return [f"- CPU: {os.cpu_count()} inti ({cpu or platform.processor() or platform.machine()}), RAM {ram:.1f} GiB, "
            f"beban rata-rata saat mulai {os.getloadavg()[0]:.1f}",
            f"- Python {platform.python_version()} ({platform.system()} {platform.release()})",
            f"- {versi}", f"- {lo_v}"]


def status(ok: bool | None) -> str:
    return "tidak diukur" if ok is None else ("TERPENUHI" if ok else "TIDAK terpenuhi")


def mm(x: dict, d: int = 2) -> str:
    """``min / median`` of a summary."""
    return f"{x['min']:.{d}f} / {x['med']:.{d}f}"


def report(prof_name: str, prof: Profile, scaling, history, click, lo, impor, udf, durasi: float,
           mesin: list[str], beban_akhir: float) -> str:
    out = [f"## Hasil ({prof_name}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {durasi / 60:.1f} menit)",
           "", *mesin, f"- beban rata-rata (1 menit) di akhir: {beban_akhir:.1f}",
           f"- setiap pekerjaan diulang {prof.ulang}× (selang-seling dengan pembandingnya); "
           "ditampilkan min / median; sebar = maks / min antar-ulangan", "",
           f"### Hitung vs lantai fisik ({M_INDIKATOR} indikator per OPD, 1 triwulan)", "",
           "| OPD | berkas MB | hitung s | lantai s | rasio (min) | rasio (median) | sebar hitung | sebar lantai | "
           "hitung proses s | memori puncak hitung MB | memori puncak lantai MB |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in scaling:
        h, f = r["hitung"], r["lantai"]
        out.append(f"| {r['n']:,} | {r['mb']:.1f} | {mm(h)} | {mm(f)} | {h['min'] / f['min']:.2f}× | "
                   f"{h['med'] / f['med']:.2f}× | {h['sebar']:.2f} | {f['sebar']:.2f} | {h['proses']:.2f} | "
                   f"{h['rss_mb']:.0f} | {f['rss_mb']:.0f} |")
    sizes = [r["n"] for r in scaling]
    eks_h = fit_exponent(sizes, [r["hitung"]["min"] for r in scaling])
    eks_f = fit_exponent(sizes, [r["lantai"]["min"] for r in scaling])
    beda = [r for r in scaling if abs(r["hitung"]["rss_mb"] - r["hitung"]["hwm_mb"]) > 5]
    out += ["", f"Eksponen pertumbuhan (kuadrat terkecil log-log, min): hitung {eks_h:.2f}, lantai {eks_f:.2f}. "
                "Memori puncak = ru_maxrss anak dari induk kecil (launch.py)"
                + ("; VmHWM proses itu sendiri sama (selisih ≤ 5 MB)." if not beda else
                   "; VmHWM berbeda: " + ", ".join(f"{r['n']}: {r['hitung']['hwm_mb']:.0f} MB" for r in beda)), ""]
    h = history
    out += [f"### Riwayat: hitung {h['n']:,} OPD tanpa riwayat vs dengan {h['triwulan']} triwulan riwayat", "",
            "| riwayat | baris Riwayat | hitung s | rasio (min) | rasio (median) | lantai s | memori puncak MB |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| tidak ada | 0 | {mm(h['tanpa'])} | 1.00× | 1.00× | – | {h['tanpa']['rss_mb']:.0f} |",
            f"| {h['triwulan']} triwulan | {h['n'] * h['triwulan']:,} | {mm(h['riwayat'])} | "
            f"{h['riwayat']['min'] / h['tanpa']['min']:.2f}× | {h['riwayat']['med'] / h['tanpa']['med']:.2f}× | "
            f"{mm(h['lantai_riwayat'])} | {h['riwayat']['rss_mb']:.0f} |", ""]
    c = click
    out += ["### Klik: `python -m indeks_opd hitung contoh.xlsx --keluaran … --diam`, seluruh proses", "",
            "| proses | detik (min / median) | memori puncak MB |", "|---|---:|---:|",
            f"| hitung contoh (19 OPD) | {mm(c['klik'], 3)} | {c['klik']['rss_mb']:.0f} |",
            f"| `python -c pass` | {mm(c['python'], 3)} | {c['python']['rss_mb']:.0f} |",
            f"| `python -c 'import pandas'` | {mm(c['pandas'], 3)} | {c['pandas']['rss_mb']:.0f} |", ""]
    if lo is not None:
        out += ["### Cara manual: rumus asli dihitung ulang dan disimpan LibreOffice", "",
                "Dingin = `soffice --convert-to` (mulai LibreOffice termasuk); hangat = LibreOffice yang sudah "
                "berjalan (UNO: buka + hitung ulang + simpan), min / median.", "",
                "Dingin dibandingkan dengan proses hitung (mulai Python termasuk), hangat dengan pekerjaan hitung "
                "tanpa mulai dan impor (seperti server xlwings yang sudah berjalan).", "",
                "| desain | OPD | dingin s | hangat s | hitung proses s | hitung s | dingin / hitung proses | "
                "hangat / hitung | nilai = inti |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in lo:
            d = f"> {prof.lo_timeout:.0f}" if r["dingin"] is None else f"{r['dingin']:.2f}"
            w = "–" if not r["hangat"] else f"{min(r['hangat']):.2f} / {statistics.median(r['hangat']):.2f}"
            dingin = "–" if r["dingin"] is None else f"{r['dingin'] / r['hitung']['proses']:.1f}×"
            hangat = "–" if not r["hangat"] else f"{min(r['hangat']) / r['hitung']['min']:.1f}×"
            out.append(f"| {r['desain']} | {r['n']:,} | {d} | {w} | {r['hitung']['proses']:.2f} | "
                       f"{r['hitung']['min']:.2f} | {dingin} | {hangat} | {r['cocok']}/{r['total']} |")
        out.append("")
    out += ["### Impor templat vs baca + tulis baris yang sama (lantai fisik)", "",
            "| templat | impor s | baca + tulis s | rasio (min) | rasio (median) | impor proses s | memori puncak MB |",
            "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in impor:
        i, b = r["impor"], r["lantai"]
        out.append(f"| {r['n']:,} | {mm(i)} | {mm(b)} | {i['min'] / b['min']:.1f}× | {i['med'] / b['med']:.1f}× | "
                   f"{i['proses']:.2f} | {i['rss_mb']:.0f} |")
    per_v, per_s = udf["vektor"]["min"] / udf["n"] * 1e6, udf["skalar"]["min"] / udf["n"] * 1e6
    out += ["", "### UDF INDEKS_OPD lewat xlwings.server.custom_functions_call", "",
            "| N | vektor s | skalar s | µs/baris vektor | µs/baris skalar | percepatan (min / median) |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {udf['n']:,} | {mm(udf['vektor'], 3)} | {mm(udf['skalar'], 3)} | {per_v:.0f} | {per_s:.0f} | "
            f"{mm(udf['rasio'], 1)}× |", ""]

    besar = [r for r in scaling if r["n"] in TARGET_LANTAI_OPD]
    mem = next((r for r in scaling if r["n"] == TARGET_MEMORI_OPD), None)
    rasio_riwayat = h["riwayat"]["med"] / h["tanpa"]["med"]
    hangat = [r for r in (lo or []) if r["hangat"]]
    targets = [
        (f"hitung ≤ {TARGET_HITUNG_LANTAI:g}× lantai fisik di "
         f"{' dan '.join(f'{n:,}' for n in TARGET_LANTAI_OPD)} OPD (median)",
         None if not besar else all(r["hitung"]["med"] <= TARGET_HITUNG_LANTAI * r["lantai"]["med"] for r in besar),
         ", ".join(f"{r['n']:,}: {r['hitung']['med'] / r['lantai']['med']:.2f}×" for r in besar)),
        (f"memori puncak ≤ {TARGET_MEMORI_MB:.0f} MB di {TARGET_MEMORI_OPD:,} OPD",
         None if mem is None else mem["hitung"]["rss_mb"] <= TARGET_MEMORI_MB,
         "" if mem is None else f"{mem['hitung']['rss_mb']:.0f} MB"),
        (f"{h['triwulan']} triwulan riwayat ≤ {TARGET_RIWAYAT:g}× tanpa riwayat ({h['n']:,} OPD, median)",
         rasio_riwayat <= TARGET_RIWAYAT, f"{rasio_riwayat:.2f}×"),
        (f"klik (hitung contoh, proses baru) ≤ {TARGET_KLIK_S:g} s (median)", c["klik"]["med"] <= TARGET_KLIK_S,
         f"{c['klik']['med']:.3f} s"),
        ("hitung lebih cepat dari LibreOffice hangat, setiap desain, nilai sama",
         None if not hangat else all(min(r["hangat"]) > r["hitung"]["min"] and r["cocok"] == r["total"]
                                     for r in hangat),
         "" if not hangat else f"rasio terkecil {min(min(r['hangat']) / r['hitung']['min'] for r in hangat):.1f}×"),
        (f"eksponen pertumbuhan ≤ {TARGET_EKSPONEN:g}", eks_h <= TARGET_EKSPONEN, f"{eks_h:.2f}"),
        (f"UDF vektor ≥ {TARGET_UDF:g}× lebih cepat per baris (N = {udf['n']:,}, median)",
         udf["rasio"]["med"] >= TARGET_UDF, f"{udf['rasio']['med']:.1f}×"),
    ]
    out += ["### Target issue 17", "", "| target | status | nilai |", "|---|---|---|"]
    out += [f"| {t} | {status(ok)} | {v} |" for t, ok, v in targets]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark Indeks Kinerja OPD: rasio terhadap pembanding yang diukur "
                                             "dalam proses yang sama.")
    ap.add_argument("--cepat", action="store_true", help="ukuran kecil, selesai dalam beberapa menit")
    ap.add_argument("--periksa-saja", action="store_true", help="ukuran terkecil, hanya memeriksa runner berjalan")
    ap.add_argument("--data", type=Path, default=HERE / "_data", help="folder cache buku kerja yang dibangkitkan")
    ap.add_argument("--md", type=Path, help="juga tulis tabel hasil ke berkas Markdown ini")
    ap.add_argument("--tanpa-libreoffice", action="store_true", help="lewati pembanding cara manual (LibreOffice)")
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
        log(f"[{nama}] penskalaan hitung vs lantai fisik …")
        scaling = measure_scaling(data, prof, work, log)
        log("riwayat …")
        history = measure_history(data, prof, work, log)
        log("klik …")
        click = measure_click(prof, work, log)
        log("cara manual (LibreOffice) …")
        lo = None if a.tanpa_libreoffice else measure_libreoffice(data, prof, work, scaling, log)
        log("impor templat …")
        impor = measure_impor(data, prof, work, log)
        log("UDF …")
        udf = measure_udf(prof, log)
    teks = report(nama, prof, scaling, history, click, lo, impor, udf, time.perf_counter() - mulai, mesin,
                  os.getloadavg()[0])
    print(teks)
    if a.md:
        a.md.write_text(teks, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
