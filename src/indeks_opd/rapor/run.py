"""One run of the reports: read the workbook, compute with the core, write every PDF and the .xlsx.

The adapters (CLI, later the workbook button) call :func:`produce_reports` and present its
:class:`ReportRun`; nothing here computes a rule.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from indeks_opd.core import InputData, PeriodResult, compute_period
from indeks_opd.core.annual import AnnualResult, annual_recap
from indeks_opd.core.masalah import Masalah, UnusableWorkbook, galat
from indeks_opd.core.period import Period
from indeks_opd.core.pipeline import active_opd
from indeks_opd.core.stability import (
    DEFAULT_DELTA,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    rank_stability,
)
from indeks_opd.rapor.history import load_history
from indeks_opd.rapor.model import Rakorpok, RaporOPD, build_rakorpok, build_rapor
from indeks_opd.rapor.pdf import rapor_images, write_rakorpok_pdf, write_rapor_pdf
from indeks_opd.rapor.workbook import write_report_workbook

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ReportRun:
    result: PeriodResult
    rapors: list[RaporOPD]
    rakorpok: Rakorpok
    annual: AnnualResult
    history_source: str
    files: dict = field(default_factory=dict)
    """``rapor`` (kode → path), ``rapor_gabungan``, ``rakorpok``, ``buku_kerja``."""
    warnings: list[Masalah] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The ``rapor --json`` document: files, report cards, stability and annual recap."""
        def num(x):
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

        res = self.result
        stab = self.rakorpok.stabilitas
        return {
            "tahun": res.tahun, "triwulan": res.triwulan, "sementara": res.sementara,
            "hadiah_ditahan": res.prizes_withheld, "sumber_riwayat": self.history_source,
            "berkas": {"rapor": {k: str(p) for k, p in self.files["rapor"].items()},
                       "rapor_gabungan": str(self.files["rapor_gabungan"]), "rakorpok": str(self.files["rakorpok"]),
                       "buku_kerja": str(self.files["buku_kerja"])},
            "rapor": [{
                "kode": r.kode, "nama": r.nama, "dinilai": r.dinilai, "indeks": num(r.indeks),
                "peringkat": r.peringkat, "jumlah_dinilai": r.jumlah_dinilai, "kategori": r.kategori, "zona": r.zona,
                "hadiah": r.hadiah, "terendah": r.terendah, "kelompok": r.kelompok, "peringkat_umum": r.peringkat_umum,
                "indeks_sebelumnya": num(r.indeks_sebelumnya),
                "peringkat_sebelumnya": r.peringkat_sebelumnya, "perubahan_indeks": num(r.perubahan_indeks),
                "perubahan_peringkat": r.perubahan_peringkat,
                "komponen": [{"komponen": k.kode, "capaian": num(k.capaian), "bobot": num(k.bobot),
                              "kontribusi": num(k.kontribusi)} for k in r.komponen],
                "masalah": [m.as_dict() for m in r.masalah],
            } for r in self.rapors],
            "stabilitas": None if stab is None else {
                "undian": self.rakorpok.undian, "benih": self.rakorpok.benih, "geser_bobot": DEFAULT_DELTA,
                "hasil": [{"kode": s.kode, "nama": s.nama, "peringkat": int(s.peringkat),
                           "peringkat_median": float(s.peringkat_median), "peringkat_p5": int(s.peringkat_p5),
                           "peringkat_p95": int(s.peringkat_p95), "porsi_tiga_besar": float(s.porsi_tiga_besar)}
                          for s in stab.itertuples(index=False)]},
            "tahunan": self.annual.as_dict(),
            "masalah": [m.as_dict() for m in res.masalah + self.warnings],
        }


def choose_opd(result: PeriodResult, data_opd: pd.DataFrame, diminta: list[str] | None) -> list[str]:
    """OPD codes to report: the requested ones (checked), else every active OPD, ranked first."""
    semua = list(result.hasil["kode"]) + list(result.unranked["kode"])
    if not diminta:
        return semua
    aktif = set(active_opd(data_opd)["kode"])
    salah = []
    for kode in diminta:
        if kode not in semua:
            alasan = "tidak aktif" if kode in set(data_opd["kode"].dropna()) and kode not in aktif else \
                "tidak ada di sheet OPD"
            salah.append(galat(f"Kode OPD '{kode}' {alasan}; rapor tidak dapat dibuat. Kode yang ada: "
                               f"{', '.join(semua)}.", sheet="OPD", kode=kode))
    if salah:
        raise UnusableWorkbook(salah)
    return list(dict.fromkeys(diminta))


def file_stem(tahun: int, triwulan: int) -> str:
    """``2022_TW4``: the period in file names, as templates and folders write it."""
    return Period(tahun, triwulan).file_tag()


def produce_reports(master: Path | str, data: InputData, tahun: int, triwulan: int, keluaran: Path | str,
                    opd: list[str] | None = None, undian: int = DEFAULT_DRAWS, benih: int = DEFAULT_SEED,
                    dihitung: datetime | None = None) -> ReportRun:
    """Compute the period and write the rapor PDFs (each and combined), the Rakorpok PDF and the .xlsx.

    ``data`` is ``master`` already read; ``master`` itself is read again only for its Riwayat sheet.
    """
    dihitung = dihitung or datetime.now().replace(microsecond=0)
    keluaran = Path(keluaran)
    if keluaran.exists() and not keluaran.is_dir():
        raise UnusableWorkbook([galat(f"'{keluaran}' adalah berkas, bukan folder. Pilih folder untuk --keluaran.")])
    result = compute_period(data, tahun, triwulan)
    kode_rapor = choose_opd(result, data.opd, opd)
    history, sumber, warnings = load_history(master, data, result)
    # a report is as of its period: later quarters (present when an earlier one is re-run) are left out
    history = history[history["tahun"] * 10 + history["triwulan"] <= tahun * 10 + triwulan].reset_index(drop=True)
    annual = annual_recap(history, tahun, data.parameter)
    stab = rank_stability(result.hasil, data.parameter.bobot, undian, benih) if undian > 0 else None
    rapors = [build_rapor(result, history, k, annual) for k in kode_rapor]
    rakorpok = build_rakorpok(result, history, stab, undian, benih, annual, sumber)

    keluaran.mkdir(parents=True, exist_ok=True)
    stem = file_stem(tahun, triwulan)
    images = {r.kode: rapor_images(r, data.parameter) for r in rapors}
    files = {"rapor": {}}
    for r in rapors:
        files["rapor"][r.kode] = write_rapor_pdf(keluaran / f"rapor_{stem}_{_UNSAFE.sub('_', r.kode)}.pdf", [r],
                                                 data.parameter, dihitung, images)
    files["rapor_gabungan"] = write_rapor_pdf(keluaran / f"rapor_{stem}_semua.pdf", rapors, data.parameter, dihitung,
                                              images)
    files["rakorpok"] = write_rakorpok_pdf(keluaran / f"laporan_rakorpok_{stem}.pdf", rakorpok, dihitung)
    files["buku_kerja"] = write_report_workbook(keluaran / f"rapor_{stem}.xlsx", rakorpok, rapors, dihitung)
    return ReportRun(result, rapors, rakorpok, annual, sumber, files, warnings)
