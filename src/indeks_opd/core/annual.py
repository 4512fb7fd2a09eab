"""Stage *annual*: the annual recap (*rapor tahunan*) of one year from its quarterly indices.

The rule is the Parameter ``AturanTahunan`` (docs/metode.md, "Parameters and defaults"):

- ``"TW IV"``: an OPD's annual index is its TW IV index. An OPD without a TW IV index is
  not ranked (listed in ``unranked``).
- ``"Rata-rata"``: an OPD's annual index is the mean of its *unrounded* quarterly indices
  that are available in the year. A missing quarter (the OPD was not ranked in it, or the
  quarter has no result yet) is left out of the mean, never counted as 0; the OPD is
  still ranked, its ``triwulan_kurang`` lists the missing quarters.

The recap is *sementara* (provisional) when any quarter it uses is provisional, or when an
OPD lacks a quarter its rule needs (Rata-rata: any of TW I–IV; TW IV: TW IV itself). As in a
quarter, a provisional recap still ranks but allocates no prize unless
``IzinkanHadiahSementara`` (incomplete data never wins money). Ranking, categories, prizes
and the lowest N follow the quarterly rules exactly (:func:`core.pipeline.rank_opd`).

The city (*kota*) line is the mean index of the ranked OPDs per quarter and for the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indeks_opd.core.parameter import Parameter
from indeks_opd.core.pipeline import rank_opd

QUARTERS = (1, 2, 3, 4)
RULE_TW4 = "TW IV"
RULE_MEAN = "Rata-rata"


@dataclass
class AnnualResult:
    tahun: int
    aturan: str
    hasil: pd.DataFrame
    """Ranked OPDs sorted by kelompok, peringkat then nama: kode, nama, singkatan, kelompok,
    indeks_tw1..indeks_tw4, jumlah_triwulan, triwulan_kurang (tuple of quarters), indeks,
    indeks_bulat, peringkat (within the group), peringkat_umum, kategori, zona, warna,
    hadiah, terendah."""
    unranked: pd.DataFrame
    """OPDs of the year without the quarter(s) the rule needs (kode, nama, triwulan_kurang)."""
    sementara: bool
    prizes_withheld: bool
    kota: dict = field(default_factory=dict)
    """City mean index: ``{"tw1": .., ..., "tw4": .., "tahun": ..}`` (None where no OPD was ranked)."""

    def as_dict(self) -> dict:
        def num(x):
            return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)

        baris = [
            {"kode": r.kode, "nama": r.nama,
             **{f"indeks_tw{q}": num(getattr(r, f"indeks_tw{q}")) for q in QUARTERS},
             "triwulan_kurang": list(r.triwulan_kurang), "indeks": num(r.indeks), "peringkat": int(r.peringkat),
             "kelompok": r.kelompok, "peringkat_umum": int(r.peringkat_umum),
             "kategori": r.kategori, "zona": r.zona, "hadiah": int(r.hadiah), "terendah": bool(r.terendah)}
            for r in self.hasil.itertuples(index=False)
        ]
        return {"tahun": self.tahun, "aturan": self.aturan, "sementara": self.sementara,
                "hadiah_ditahan": self.prizes_withheld, "hasil": baris,
                "tidak_dinilai": [{"kode": r.kode, "nama": r.nama, "triwulan_kurang": list(r.triwulan_kurang)}
                                  for r in self.unranked.itertuples(index=False)],
                "kota": {k: num(v) for k, v in self.kota.items()}}


def annual_recap(riwayat: pd.DataFrame, tahun: int, parameter: Parameter) -> AnnualResult:
    """Annual recap of ``tahun`` from quarterly results.

    ``riwayat`` has one row per (tahun, triwulan, kode) of ranked OPDs with columns tahun,
    triwulan, kode, nama, indeks (unrounded), and optionally singkatan, sementara (bool) and
    kelompok (the latest quarter's group: the year is then ranked per peer group, docs/metode.md).
    """
    aturan = parameter.aturan_tahunan
    if aturan not in (RULE_TW4, RULE_MEAN):
        raise ValueError(f"AturanTahunan tidak dikenal: {aturan!r}")
    tahunan = riwayat[(riwayat["tahun"] == tahun) & riwayat["indeks"].notna()].copy()
    tahunan["triwulan"] = tahunan["triwulan"].astype(int)
    if "singkatan" not in tahunan:
        tahunan["singkatan"] = None
    if "sementara" not in tahunan:
        tahunan["sementara"] = False
    if "kelompok" not in tahunan:
        tahunan["kelompok"] = None

    pivot = tahunan.pivot_table(index="kode", columns="triwulan", values="indeks", aggfunc="first")
    kolom_q = [f"indeks_tw{q}" for q in QUARTERS]
    pivot = pivot.reindex(columns=list(QUARTERS))
    pivot.columns = kolom_q
    # the latest name (and peer group) of each OPD in the year
    nama = tahunan.sort_values(["triwulan"]).groupby("kode")[["nama", "singkatan", "kelompok"]].last()
    tabel = nama.join(pivot)
    missing = tabel[kolom_q].isna()
    tabel["jumlah_triwulan"] = (~missing).sum(axis=1).astype(int)
    tabel["triwulan_kurang"] = [tuple(q for q, absent in zip(QUARTERS, row) if absent)
                                for row in missing.to_numpy()]
    perlu = (4,) if aturan == RULE_TW4 else QUARTERS  # the quarters the rule uses
    tabel["indeks"] = tabel["indeks_tw4"] if aturan == RULE_TW4 else tabel[kolom_q].mean(axis=1, skipna=True)
    kurang = bool(missing[[f"indeks_tw{q}" for q in perlu]].to_numpy().any())

    q_sementara = bool(tahunan.loc[tahunan["triwulan"].isin(perlu), "sementara"].astype(bool).any())
    sementara = q_sementara or kurang
    withheld = sementara and not parameter.izinkan_hadiah_sementara

    tabel = tabel.rename_axis("kode").reset_index()
    dinilai = tabel[tabel["indeks"].notna()]
    luar = tabel[tabel["indeks"].isna()][["kode", "nama", "triwulan_kurang"]].sort_values("nama")
    hasil = rank_opd(dinilai, parameter, prizes_withheld=withheld)

    kota = {f"tw{q}": _mean_or_none(tahunan.loc[tahunan["triwulan"] == q, "indeks"]) for q in QUARTERS}
    kota["tahun"] = _mean_or_none(hasil["indeks"])
    return AnnualResult(tahun=tahun, aturan=aturan, hasil=hasil, unranked=luar.reset_index(drop=True),
                        sementara=sementara, prizes_withheld=withheld, kota=kota)


def _mean_or_none(s: pd.Series):
    s = s.dropna()
    return float(s.mean()) if len(s) else None
