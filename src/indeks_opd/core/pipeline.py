"""The index as a pipeline of named stages: data → check → capaian → aggregate → rank → prizes.

``compute_period`` runs every stage for one (tahun, triwulan) of a data set that may hold
many periods, and returns a ``PeriodResult``: the ranked OPDs, the problems and whether the
result is provisional (*SEMENTARA*: any blocking problem in the period; then no prize is
allocated unless ``IzinkanHadiahSementara``). With peer groups (``OPD.Kelompok``) rank,
prizes and the lowest N are per group and ``peringkat_umum`` is the rank among all
(docs/metode.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indeks_opd.core import checks
from indeks_opd.core.aggregate import cakin_per_opd, index_value
from indeks_opd.core.capaian import (
    capaian_indikator,
    capaian_ketepatan,
    capaian_ratio,
    capaian_score,
    normalise_arah_all,
)
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_OPD, SHEET_REALISASI, InputData
from indeks_opd.core.masalah import Masalah, galat
from indeks_opd.core.parameter import KETEPATAN, Parameter, component_label, group_key, prizes_for_group
from indeks_opd.core.period import TRIWULAN, Period
from indeks_opd.core.prizes import allocate_prizes
from indeks_opd.core.ranking import category_of, competition_rank, flag_lowest, round_excel_all

RESULT_COLUMNS = (
    "kode", "nama", "singkatan", "serapan", "fisik", "cakin", "p3dn", "indeks", "indeks_bulat",
    "peringkat", "kategori", "zona", "warna", "hadiah", "terendah",
    "kelompok", "peringkat_umum", "ketepatan", "komponen_lain",
)


@dataclass
class PeriodResult:
    """Everything one period's computation gives: ranking, problems, provisional flag."""

    tahun: int
    triwulan: int
    parameter: Parameter
    hasil: pd.DataFrame
    """Ranked OPDs sorted by kelompok, peringkat then nama, columns :data:`RESULT_COLUMNS`.

    ``kelompok`` is None without peer groups; ``ketepatan`` NaN when Ketepatan Waktu is
    weighted 0; ``komponen_lain`` maps each extra component's label to its capaian."""
    unranked: pd.DataFrame
    """Active OPDs left out of the ranking by a blocking problem (kode, nama, singkatan)."""
    masalah: list[Masalah] = field(default_factory=list)
    indikator: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The period's indicator rows of active OPDs, with their ``capaian``."""

    @property
    def sementara(self) -> bool:
        return is_provisional(self.masalah)

    @property
    def prizes_withheld(self) -> bool:
        return withholds_prizes(self.masalah, self.parameter)

    def as_dict(self) -> dict:
        """The ``hitung --json`` document (numbers unrounded; p3dn None when not applicable)."""

        def numbers(x):
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

        baris = [
            {
                "kode": r.kode, "nama": r.nama, "serapan": numbers(r.serapan), "fisik": numbers(r.fisik),
                "cakin": numbers(r.cakin), "p3dn": numbers(r.p3dn), "indeks": numbers(r.indeks),
                "peringkat": int(r.peringkat), "kategori": r.kategori, "zona": r.zona, "warna": r.warna,
                "hadiah": int(r.hadiah), "terendah": bool(r.terendah),
                "kelompok": r.kelompok, "peringkat_umum": int(r.peringkat_umum),
                "ketepatan_waktu": numbers(r.ketepatan),
                "komponen_lain": {k: numbers(v) for k, v in r.komponen_lain.items()},
            }
            for r in self.hasil.itertuples(index=False)
        ]
        return {
            "tahun": self.tahun, "triwulan": self.triwulan, "sementara": self.sementara,
            "hasil": baris, "masalah": [m.as_dict() for m in self.masalah],
        }


def is_provisional(masalah: list[Masalah]) -> bool:
    """SEMENTARA: any blocking problem (``galat``) in the period."""
    return any(m.blocking for m in masalah)


def withholds_prizes(masalah: list[Masalah], parameter: Parameter) -> bool:
    """Prizes are withheld when the result is provisional and IzinkanHadiahSementara is not Ya."""
    return is_provisional(masalah) and not parameter.izinkan_hadiah_sementara


def select_period(df: pd.DataFrame, tahun: int, triwulan: int) -> pd.DataFrame:
    """Stage *data*: the rows of one period."""
    return df[(df["tahun"] == tahun) & (df["triwulan"] == triwulan)]


def active_opd(opd: pd.DataFrame) -> pd.DataFrame:
    """Active OPDs with a code, first row per code."""
    return opd[(opd["aktif"] == True) & opd["kode"].notna()].drop_duplicates("kode")  # noqa: E712


def component_capaian(realisasi: pd.DataFrame, batas: float) -> pd.DataFrame:
    """Stage *capaian* for the three money/progress components, by ``kode``.

    P3DN is NaN (not applicable) where the OPD has no P3DN target (blank or 0).
    """
    tp = realisasi["target_p3dn"].astype(float)
    p3dn = capaian_ratio(tp, realisasi["realisasi_p3dn"], batas)
    p3dn = np.where(tp.fillna(0).to_numpy() > 0, p3dn, np.nan)
    return pd.DataFrame({
        "kode": realisasi["kode"].to_numpy(),
        "serapan": capaian_ratio(realisasi["target_keuangan"], realisasi["realisasi_keuangan"], batas),
        "fisik": capaian_ratio(realisasi["target_fisik"], realisasi["realisasi_fisik"], batas),
        "p3dn": p3dn,
    }).drop_duplicates("kode", keep=False).set_index("kode")


def other_capaian(realisasi: pd.DataFrame, p: Parameter, tahun: int, triwulan: int) -> pd.DataFrame:
    """Stage *capaian* for Ketepatan Waktu (NaN when weighted 0) and each extra component (by its label), by ``kode``."""
    ketepatan = np.full(len(realisasi), np.nan)
    if p.weights().get(KETEPATAN, 0) > 0:
        ketepatan = capaian_ketepatan(realisasi["tanggal_diterima"].tolist(), p.deadline(tahun, triwulan),
                                      p.pengurangan_per_hari)
    blank = np.full(len(realisasi), np.nan)
    return pd.DataFrame({
        "kode": realisasi["kode"].to_numpy(),
        KETEPATAN: ketepatan,
        **{label: capaian_score(realisasi.get(label, blank), p.batas_capaian)
           for label in p.extra_components()},
    }).drop_duplicates("kode", keep=False).set_index("kode")


def group_names(aktif: pd.DataFrame) -> pd.Series:
    """Each active OPD's peer group as first spelled in the OPD sheet (groups compare by :func:`group_key`)."""
    if "kelompok" not in aktif:
        return pd.Series(None, index=aktif.index, dtype=object)
    keys = aktif["kelompok"].map(group_key)
    first: dict[str, str] = {}
    for key, nama in zip(keys, aktif["kelompok"]):
        if key is not None:
            first.setdefault(key, " ".join(str(nama).split()))
    return keys.map(lambda k: first.get(k)).astype(object)


def indikator_capaian(indikator: pd.DataFrame, batas: float) -> pd.DataFrame:
    """Stage *capaian* for program indicators: adds ``capaian`` (NaN where unscorable)."""
    arah = normalise_arah_all(indikator["arah"])
    # assign, not copy() and set: a new frame sharing the unchanged columns (a deep copy of 440,000 rows cost 0.3 s)
    return indikator.assign(arah=arah, capaian=capaian_indikator(indikator["target"], indikator["realisasi"], arah, batas))


def check_period(data: InputData, tahun: int, triwulan: int) -> list[Masalah]:
    """Stage *check*: reading problems of the period, then the rules' problems, one per cell."""
    periode = (tahun, triwulan)
    aktif = set(active_opd(data.opd)["kode"])
    known = set(data.opd["kode"].dropna())
    inactive = known - aktif
    realisasi = select_period(data.realisasi, tahun, triwulan)
    indikator = select_period(data.indikator, tahun, triwulan)
    found = [m for m in data.masalah if m.applies_to(tahun, triwulan) and m.kode not in inactive]
    bobot = data.parameter.weights()
    found += checks.check_opd(data.opd, data.kolom.get(SHEET_OPD, {}))
    found += checks.check_kelompok(data.opd, data.kolom.get(SHEET_OPD, {}), data.parameter.hadiah)
    found += checks.check_rows_without_period(data)
    found += checks.check_realisasi(realisasi, aktif, known, data.kolom.get(SHEET_REALISASI, {}), periode,
                                    data.fields[SHEET_REALISASI], bobot)
    found += checks.check_components(realisasi, aktif, data.kolom.get(SHEET_REALISASI, {}), periode, data.parameter)
    found += checks.check_indikator(indikator, aktif, known, data.kolom.get(SHEET_INDIKATOR, {}), periode,
                                    data.fields[SHEET_INDIKATOR], wajib=bobot["cakin"] > 0)
    kosong = period_without_data(data, tahun, triwulan)
    return one_per_cell(([kosong] if kosong else []) + found)


def period_without_data(data: InputData, tahun: int, triwulan: int) -> Masalah | None:
    """The galat of a period that has no Realisasi and no Indikator row, naming the periods that have data."""
    if (tahun, triwulan) in data.periods():
        return None
    ada = ", ".join(Period(t, w).short() for t, w in data.periods())
    saran = (f"Periode yang ada datanya: {ada}. Periksa tahun dan triwulan yang diminta (TahunAktif dan "
             "TriwulanAktif di sheet Parameter, atau --tahun dan --triwulan)." if ada else
             "Belum ada data sama sekali: isi sheet Realisasi dan Indikator atau impor templat OPD.")
    return galat(f"Tidak ada data {Period(tahun, triwulan).short()} di sheet {SHEET_REALISASI} maupun {SHEET_INDIKATOR}. {saran}",
                 sheet=SHEET_REALISASI, periode=(tahun, triwulan))


def period_not_openable(data: InputData, tahun: int, triwulan: int) -> Masalah | None:
    """The galat of opening a period for submissions (templat, status, impor; docs/alur.md) that is none of: a
    period with data, the active period (TahunAktif/TriwulanAktif), the quarter after the latest data. A typed
    year such as 2032 for 2023 would otherwise list every OPD as Belum Dikirim for a quarter nobody reports."""
    periode = Period(tahun, triwulan)
    ada = [Period(t, w) for t, w in data.periods()]
    p = data.parameter
    aktif = Period(p.tahun_aktif, p.triwulan_aktif) if p.tahun_aktif and p.triwulan_aktif in TRIWULAN else None
    boleh = {*ada, *([aktif] if aktif else []), *([ada[-1].following()] if ada else [])}
    if not ada or periode in boleh:
        return None
    return galat(f"Periode {periode.short()} tidak dibuka: belum ada datanya, bukan periode aktif dan bukan triwulan "
                 f"sesudah data terakhir. Periode yang dapat dibuka: {', '.join(q.short() for q in sorted(boleh))}. "
                 "Periksa --tahun dan --triwulan; untuk periode lain ubah dulu TahunAktif dan TriwulanAktif di sheet "
                 "Parameter.", sheet=SHEET_REALISASI, periode=(tahun, triwulan))


def one_per_cell(masalah: list[Masalah]) -> list[Masalah]:
    """Keep the first problem of each cell (a reading problem explains a blank better than 'kosong').

    Problems without a cell (a whole sheet or row) are kept once each.
    """
    seen, kept = set(), []
    for m in masalah:
        key = (m.sheet, m.baris, m.kolom) if m.baris is not None and m.kolom else m
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept


def rank_opd(table: pd.DataFrame, parameter: Parameter, prizes_withheld: bool) -> pd.DataFrame:
    """Stages *rank*, *category* and *prizes* on a table with ``indeks``; returns it sorted for display.

    Rank, prizes and the lowest N are per peer group (``kelompok``; one group when it is
    absent or blank), each group with its own prize rows or the shared ones
    (:func:`parameter.prizes_for_group`); ``peringkat_umum`` ranks among all. Groups are
    shown in alphabetical order.
    """
    table = table.copy()
    if "kelompok" not in table:
        table["kelompok"] = None
    table["indeks_bulat"] = round_excel_all(table["indeks"])
    table["peringkat_umum"] = competition_rank(table["indeks_bulat"])
    cats = category_of(table["indeks_bulat"], parameter.kategori)
    table["kategori"] = [k.nama if k else None for k in cats]
    table["zona"] = [k.zona if k else None for k in cats]
    table["warna"] = [k.warna if k else None for k in cats]
    keys = table["kelompok"].map(group_key)
    table["peringkat"], table["hadiah"], table["terendah"] = 0, 0, False
    for key, rows in table.groupby(keys.fillna(""), sort=False).groups.items():
        bulat = table.loc[rows, "indeks_bulat"]
        peringkat = competition_rank(bulat)
        table.loc[rows, "peringkat"] = peringkat
        if not prizes_withheld:
            table.loc[rows, "hadiah"] = allocate_prizes(peringkat, prizes_for_group(parameter.hadiah, key or None))
        table.loc[rows, "terendah"] = flag_lowest(bulat, parameter.jumlah_terendah)
    table["_urutan"] = keys.fillna("")
    table = table.sort_values(["_urutan", "peringkat", "nama"], kind="stable").drop(columns="_urutan")
    return table.astype({"peringkat": int, "hadiah": np.int64, "terendah": bool}).reset_index(drop=True)


def unscorable_cause(row, weights: dict) -> str:
    """Why an OPD's index is undefined (docs/metode.md): a weighted component missing, or no weight to use.

    ``row`` is a row of the period table (standard components, ``ketepatan``, ``komponen_lain``);
    ``weights`` is :meth:`Parameter.weights`.
    """
    nilai = {"serapan": row.serapan, "fisik": row.fisik, "cakin": row.cakin, "p3dn": row.p3dn,
             KETEPATAN: row.ketepatan, **row.komponen_lain}
    hilang = [component_label(k) for k, w in weights.items() if k != "p3dn" and w > 0 and pd.isna(nilai.get(k))]
    if hilang:
        return f"komponen {', '.join(hilang)} tidak dapat dihitung dari datanya. Periksa baris OPD ini di sheet masukan."
    berlaku = [k for k in weights if k != "p3dn" or not pd.isna(row.p3dn)]
    p3dn = "" if "p3dn" in berlaku else (" (P3DN tidak berlaku untuk OPD ini karena tidak punya target P3DN, "
                                         "sehingga bobotnya tidak dipakai)")
    return (f"semua bobot komponen yang berlaku untuknya bernilai 0 — "
            f"{', '.join(f'{component_label(k)} {float(weights[k]):g}' for k in berlaku)}{p3dn}. Isi bobot yang lebih "
            "dari 0 untuk komponen itu di tabel Bobot sheet Parameter, lalu hitung ulang.")


def compute_period(data: InputData, tahun: int, triwulan: int) -> PeriodResult:
    """Run every stage for one period. Blocked OPDs are left out; nothing raises for bad rows."""
    p = data.parameter
    masalah = check_period(data, tahun, triwulan)
    blocked = {m.kode for m in masalah if m.blocking and m.kode is not None}

    aktif = active_opd(data.opd).set_index("kode")
    realisasi = select_period(data.realisasi, tahun, triwulan)
    realisasi = realisasi[realisasi["kode"].isin(aktif.index)]
    indikator = select_period(data.indikator, tahun, triwulan)
    indikator = indikator_capaian(indikator[indikator["kode"].isin(aktif.index)], p.batas_capaian)

    components = component_capaian(realisasi, p.batas_capaian).join(other_capaian(realisasi, p, tahun, triwulan))
    components["cakin"] = cakin_per_opd(indikator)
    if p.weights().get(KETEPATAN, 0) > 0 and p.deadline(tahun, triwulan) is None:
        blocked |= set(aktif.index)  # the Jadwal problem (one, on the Parameter sheet) blocks every OPD
    ranked = [k for k in aktif.index if k not in blocked and k in components.index]
    extras = list(p.extra_components())
    lain = components.loc[ranked, [KETEPATAN, *extras]]  # kept apart: an extra's label may be any text
    table = components.loc[ranked, ["serapan", "fisik", "cakin", "p3dn"]]
    table.insert(0, "kelompok", group_names(aktif).loc[ranked].to_numpy())
    table.insert(0, "singkatan", aktif.loc[ranked, "singkatan"].to_numpy())
    table.insert(0, "nama", aktif.loc[ranked, "nama"].to_numpy())
    table["ketepatan"] = lain[KETEPATAN]
    table["indeks"] = index_value(table["serapan"], table["fisik"], table["cakin"], table["p3dn"], p.weights(),
                                  {k: lain[k] for k in lain})
    table["komponen_lain"] = [dict(zip(extras, row)) for row in lain[extras].to_numpy(dtype=float).tolist()]
    table = table.rename_axis("kode").reset_index()

    for row in table[table["indeks"].isna()].itertuples(index=False):
        masalah.append(galat(f"Indeks OPD {row.kode} tidak dapat dihitung: {unscorable_cause(row, p.weights())}",
                             kode=row.kode, periode=(tahun, triwulan)))
    table = table[table["indeks"].notna()]
    table = rank_opd(table, p, prizes_withheld=withholds_prizes(masalah, p))

    left_out = aktif[~aktif.index.isin(table["kode"])].rename_axis("kode").reset_index()
    return PeriodResult(
        tahun=tahun, triwulan=triwulan, parameter=p,
        hasil=table[list(RESULT_COLUMNS)],
        unranked=left_out[["kode", "nama", "singkatan"]].sort_values("nama").reset_index(drop=True),
        masalah=masalah, indikator=indikator.reset_index(drop=True),
    )
