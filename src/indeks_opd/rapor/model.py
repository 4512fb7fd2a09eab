"""What the reports show, as plain data built from core results (no formatting, no drawing).

:func:`build_rapor` gives one OPD's report card for a period, :func:`build_rakorpok` the
meeting report. Both only select and combine figures the core computed: contributions use
the core's effective weights (:func:`core.aggregate.effective_weights`), so they add up to
the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indeks_opd.core import PeriodResult
from indeks_opd.core.aggregate import effective_weights
from indeks_opd.core.annual import AnnualResult
from indeks_opd.core.masalah import Masalah
from indeks_opd.core.parameter import COMPONENTS, KETEPATAN, component_label, ordered_weights, prizes_for_group
from indeks_opd.core.period import Period
from indeks_opd.core.prizes import occupied_positions
from indeks_opd.core.ranking import round_excel

INDICATOR_COLUMNS = ("program", "indikator", "satuan", "arah", "target", "realisasi", "capaian", "bukti_dukung")


@dataclass
class Komponen:
    kode: str
    label: str
    capaian: float
    """NaN for P3DN when it does not apply."""
    bobot: float
    """Effective weight in percent (P3DN's share redistributed where it does not apply)."""
    kontribusi: float
    """bobot × capaian / 100: the component's part of the index."""

    @property
    def berlaku(self) -> bool:
        return not np.isnan(self.capaian)


@dataclass
class RaporOPD:
    tahun: int
    triwulan: int
    kode: str
    nama: str
    singkatan: str | None
    jumlah_dinilai: int
    sementara: bool
    prizes_withheld: bool
    dinilai: bool = False
    """False when a blocking problem left the OPD out of this period's ranking."""
    indeks: float = np.nan
    indeks_bulat: float = np.nan
    peringkat: int | None = None
    kategori: str | None = None
    zona: str | None = None
    warna: str | None = None
    hadiah: int = 0
    terendah: bool = False
    kelompok: str | None = None
    """The OPD's peer group (None without groups): ``peringkat`` is then the rank within it."""
    jumlah_kelompok: int | None = None
    """How many OPDs of the group are ranked (None without groups)."""
    peringkat_umum: int | None = None
    """The rank among all ranked OPDs."""
    komponen: list[Komponen] = field(default_factory=list)
    periode_sebelumnya: tuple[int, int] | None = None
    indeks_sebelumnya: float = np.nan
    peringkat_sebelumnya: int | None = None
    indikator: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=INDICATOR_COLUMNS))
    riwayat: pd.DataFrame = field(default_factory=pd.DataFrame)
    """This OPD's rows of the history (tahun, triwulan, indeks, peringkat, kategori, warna...)."""
    masalah: list[Masalah] = field(default_factory=list)
    tahunan: dict | None = None
    """The OPD's line of the annual recap (indeks, peringkat, kategori, hadiah), if ranked there."""

    @property
    def perubahan_indeks(self) -> float:
        """Change of the shown (rounded) index since the previous quarter; NaN without one."""
        if not self.dinilai or np.isnan(self.indeks_sebelumnya):
            return np.nan
        return round_excel(self.indeks_bulat - round_excel(self.indeks_sebelumnya), 2)

    @property
    def perubahan_peringkat(self) -> int | None:
        """Places gained since the previous quarter (positive = up); None without one."""
        if not self.dinilai or self.peringkat_sebelumnya is None:
            return None
        return self.peringkat_sebelumnya - self.peringkat


def components_of(row, bobot: dict) -> list[Komponen]:
    """The components of one ranked OPD with effective weight and contribution: the four standard ones,
    then Ketepatan Waktu and the extra components when weighted (docs/metode.md)."""
    bobot = {k: w for k, w in ordered_weights(bobot).items() if k in COMPONENTS or w > 0}
    capaian = np.array([float(row[k] if k in COMPONENTS else row["ketepatan"] if k == KETEPATAN
                              else row["komponen_lain"].get(k, np.nan)) for k in bobot])
    w = effective_weights([not np.isnan(capaian[COMPONENTS.index("p3dn")])], bobot)[0]
    w = 100.0 * w / w.sum()
    return [Komponen(k, component_label(k), capaian[i], w[i], w[i] * np.nan_to_num(capaian[i]) / 100.0)
            for i, k in enumerate(bobot)]


def _history_of(history: pd.DataFrame, kode: str) -> pd.DataFrame:
    return history[history["kode"] == kode].sort_values(["tahun", "triwulan"]).reset_index(drop=True)


def build_rapor(result: PeriodResult, history: pd.DataFrame, kode: str,
                annual: AnnualResult | None = None) -> RaporOPD:
    """The report card of OPD ``kode`` (ranked or not) for ``result``'s period."""
    ranked = result.hasil[result.hasil["kode"] == kode]
    unranked = result.unranked[result.unranked["kode"] == kode]
    if ranked.empty and unranked.empty:
        raise KeyError(kode)
    ident = (ranked if not ranked.empty else unranked).iloc[0]
    rapor = RaporOPD(
        tahun=result.tahun, triwulan=result.triwulan, kode=kode, nama=ident["nama"], singkatan=ident["singkatan"],
        jumlah_dinilai=len(result.hasil), sementara=result.sementara, prizes_withheld=result.prizes_withheld,
        masalah=[m for m in result.masalah if m.kode == kode],
    )
    ind = result.indikator
    if not ind.empty:
        rapor.indikator = ind[ind["kode"] == kode].sort_values("baris")[list(INDICATOR_COLUMNS)].reset_index(drop=True)
    rapor.riwayat = _history_of(history, kode)
    if not ranked.empty:
        r = ranked.iloc[0]
        rapor.dinilai = True
        rapor.indeks, rapor.indeks_bulat, rapor.peringkat = float(r.indeks), float(r.indeks_bulat), int(r.peringkat)
        rapor.kategori, rapor.zona, rapor.warna = r.kategori, r.zona, r.warna
        rapor.hadiah, rapor.terendah = int(r.hadiah), bool(r.terendah)
        rapor.peringkat_umum = int(r.peringkat_umum)
        if r.kelompok is not None:
            rapor.kelompok = r.kelompok
            rapor.jumlah_kelompok = int((result.hasil["kelompok"] == r.kelompok).sum())
        rapor.komponen = components_of(r, result.parameter.bobot)
    sebelum = tuple(Period(result.tahun, result.triwulan).previous())
    rapor.periode_sebelumnya = sebelum
    prev = rapor.riwayat[(rapor.riwayat["tahun"] == sebelum[0]) & (rapor.riwayat["triwulan"] == sebelum[1])]
    if not prev.empty:
        rapor.indeks_sebelumnya = float(prev.iloc[0]["indeks"])
        rapor.peringkat_sebelumnya = int(prev.iloc[0]["peringkat"])
    if annual is not None:
        line = annual.hasil[annual.hasil["kode"] == kode]
        if not line.empty:
            a = line.iloc[0]
            grouped = a.kelompok is not None and not pd.isna(a.kelompok)
            pesaing = annual.hasil[annual.hasil["kelompok"] == a.kelompok] if grouped else annual.hasil
            rapor.tahunan = {"indeks": float(a.indeks), "indeks_bulat": float(a.indeks_bulat),
                             "peringkat": int(a.peringkat), "kategori": a.kategori, "warna": a.warna,
                             "hadiah": int(a.hadiah), "jumlah": len(pesaing), "aturan": annual.aturan,
                             "kelompok": a.kelompok if grouped else None,
                             "sementara": annual.sementara, "triwulan_kurang": tuple(a.triwulan_kurang),
                             "hadiah_triwulan": int(rapor.riwayat.loc[rapor.riwayat["tahun"] == result.tahun,
                                                                      "hadiah"].sum())}
    return rapor


@dataclass
class Rakorpok:
    result: PeriodResult
    tiga_besar: pd.DataFrame
    """OPDs on ranks 1–3 with ``sumber`` (who gives their prize)."""
    terendah: pd.DataFrame
    per_kategori: list[tuple[str, str, str, int]]
    """(kategori, warna, zona, number of OPDs) in Parameter order."""
    per_zona: list[tuple[str, int]]
    pergerakan: pd.DataFrame
    """kode, nama, peringkat, peringkat_sebelumnya (NaN when new), naik (places gained), indeks, indeks_sebelumnya."""
    periode_sebelumnya: tuple[int, int]
    stabilitas: pd.DataFrame | None = None
    undian: int = 0
    benih: int | None = None
    tahunan: AnnualResult | None = None
    sumber_riwayat: str = ""
    hadiah_triwulan: dict = field(default_factory=dict)
    """kode → the sum of the OPD's quarterly prizes in the year so far (the annual table's prize column)."""


def prize_source(peringkat: int, jumlah_seri: int, hadiah) -> str:
    """Who gives the prize of a rank shared by ``jumlah_seri`` OPDs: the sources of the positions they occupy."""
    posisi = occupied_positions(peringkat, jumlah_seri)
    sumber = [h.sumber for h in hadiah if h.peringkat in posisi and h.jumlah > 0 and h.sumber]
    return ", ".join(dict.fromkeys(sumber))


def build_rakorpok(result: PeriodResult, history: pd.DataFrame, stabilitas: pd.DataFrame | None = None,
                   undian: int = 0, benih: int | None = None, annual: AnnualResult | None = None,
                   sumber_riwayat: str = "") -> Rakorpok:
    p = result.parameter
    hasil = result.hasil
    seri = hasil.groupby([hasil["kelompok"].fillna(""), "peringkat"]).size()  # ties are within a peer group
    top = hasil[hasil["peringkat"] <= 3].copy()
    top["sumber"] = [prize_source(int(r.peringkat), int(seri[(r.kelompok or "", r.peringkat)]),
                                  prizes_for_group(p.hadiah, r.kelompok)) for r in top.itertuples(index=False)]
    low = hasil[hasil["terendah"]].assign(_g=hasil["kelompok"].fillna("")).sort_values(
        ["_g", "peringkat", "nama"], ascending=[True, False, True], kind="stable").drop(columns="_g")
    per_kategori = [(k.nama, k.warna, k.zona, int((hasil["kategori"] == k.nama).sum())) for k in p.kategori]
    zona = list(dict.fromkeys(k.zona for k in p.kategori))
    per_zona = [(z, int((hasil["zona"] == z).sum())) for z in zona]
    sebelum = tuple(Period(result.tahun, result.triwulan).previous())
    prev = history[(history["tahun"] == sebelum[0]) & (history["triwulan"] == sebelum[1])]
    prev = prev.set_index("kode")[["peringkat", "indeks"]].rename(
        columns={"peringkat": "peringkat_sebelumnya", "indeks": "indeks_sebelumnya"})
    gerak = hasil[["kode", "nama", "peringkat", "indeks"]].join(prev, on="kode")
    gerak["naik"] = gerak["peringkat_sebelumnya"] - gerak["peringkat"]
    tahun_ini = history[history["tahun"] == result.tahun]
    hadiah_triwulan = {k: int(v) for k, v in tahun_ini.groupby("kode")["hadiah"].sum().items()}
    return Rakorpok(result=result, tiga_besar=top.reset_index(drop=True), terendah=low.reset_index(drop=True),
                    per_kategori=per_kategori, per_zona=per_zona, pergerakan=gerak.reset_index(drop=True),
                    periode_sebelumnya=sebelum, stabilitas=stabilitas, undian=undian, benih=benih, tahunan=annual,
                    sumber_riwayat=sumber_riwayat, hadiah_triwulan=hadiah_triwulan)

