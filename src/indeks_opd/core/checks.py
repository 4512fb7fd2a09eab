"""Stage *check*: the problems of one period's rows, as ``Masalah`` records.

Labels and bounds of the fields come in as ``FieldRule`` (from the workbook schema, through
``InputData.fields``), so a bound is written once and the workbooks validate the same one.

docs/metode.md ("Problems"). A ``galat`` blocks the OPD it belongs to (it is
left out of the ranking and the period becomes *SEMENTARA*); a ``peringatan`` is reported
only. Rows of inactive OPDs are ignored; rows of codes not in the OPD sheet are reported
and not scored. Every rule is a vectorised mask over the rows; messages are built only for
the rows it flags, and problems are listed in sheet order (row, then column).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from indeks_opd.core.capaian import ARAH, normalise_arah_all
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_OPD, SHEET_PARAMETER, SHEET_REALISASI, FieldRule, InputData
from indeks_opd.core.masalah import GALAT, PERINGATAN, Masalah, galat
from indeks_opd.core.parameter import KETEPATAN, Parameter, group_key
from indeks_opd.core.period import Period

UANG_FISIK = ("pagu", "target_keuangan", "realisasi_keuangan", "target_fisik", "realisasi_fisik")
REQUIRED_FOR = {"serapan": ("pagu", "target_keuangan", "realisasi_keuangan"),
                "fisik": ("target_fisik", "realisasi_fisik")}
"""The Realisasi fields a component needs; a component weighted 0 needs none (docs/metode.md)."""


def rupiah(x: float) -> str:
    """1250000 → '1.250.000' (Indonesian thousands separator)."""
    return f"{x:,.0f}".replace(",", ".")


class _Recorder:
    """Collects problems for one sheet, pointing at each flagged row and the rule's column."""

    def __init__(self, sheet: str, kolom: dict[str, str], periode: tuple[int, int] | None):
        self.sheet, self.kolom, self.periode = sheet, kolom, periode
        self.masalah: list[Masalah] = []

    def add(self, rows: pd.DataFrame, mask, field: str | None, pesan, tingkat: str = GALAT) -> None:
        """One problem per row where ``mask`` holds; ``pesan`` is a text or a function of the row."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():  # the usual case: no namedtuple class and row copy for nothing
            return
        for row in rows[mask].itertuples(index=False):
            baris = getattr(row, "baris", None)
            self.masalah.append(Masalah(
                tingkat, pesan(row) if callable(pesan) else pesan, sheet=self.sheet,
                baris=None if baris is None or math.isnan(baris) else int(baris),
                kolom=self.kolom.get(field) if field else None, kode=row.kode, periode=self.periode))

    def in_sheet_order(self) -> list[Masalah]:
        def key(m: Masalah):  # column letters sort as columns do by (length, letters): Z < AA
            return (m.baris is None, m.baris or 0, len(m.kolom or ""), m.kolom or "")
        return sorted(self.masalah, key=key)


def check_opd(opd: pd.DataFrame, kolom: dict[str, str]) -> list[Masalah]:
    """Duplicate or blank codes in the OPD sheet (problems of every period)."""
    c = _Recorder(SHEET_OPD, kolom, None)
    c.add(opd, opd["kode"].isna(), "kode", "Kode OPD kosong. Isi kode OPD atau hapus baris ini.")
    c.add(opd, opd["kode"].notna() & opd.duplicated("kode", keep=False), "kode",
          lambda r: f"Kode OPD {r.kode} tertulis lebih dari sekali di sheet OPD. Setiap OPD harus punya kode yang unik.")
    return c.in_sheet_order()


def check_kelompok(opd: pd.DataFrame, kolom: dict[str, str], hadiah: tuple = ()) -> list[Masalah]:
    """Peer groups (problems of every period): when any active OPD has a Kelompok, every active OPD needs
    one; a Hadiah row naming a group no active OPD is in is reported (its prizes would go to nobody)."""
    if "kelompok" not in opd:
        return []
    c = _Recorder(SHEET_OPD, kolom, None)
    aktif = opd[(opd["aktif"] == True) & opd["kode"].notna()]  # noqa: E712
    blank = aktif["kelompok"].isna()
    if not blank.all():
        c.add(aktif, blank, "kelompok",
              lambda r: f"Kelompok OPD {r.kode} kosong, padahal OPD lain sudah berkelompok. Setiap OPD aktif harus "
                        "masuk satu kelompok: isi Kelompok-nya (mis. Dinas/Badan atau Kecamatan).")
    known = {group_key(k) for k in aktif["kelompok"].dropna()}
    hasil = c.in_sheet_order()
    for nama in dict.fromkeys(h.kelompok for h in hadiah if group_key(h.kelompok) not in known | {None}):
        hasil.append(Masalah(PERINGATAN, f"Tabel Hadiah memuat kelompok '{nama}', tetapi tidak ada OPD aktif di "
                             "kelompok itu; hadiahnya tidak diberikan. Samakan nama kelompok dengan kolom Kelompok "
                             "di sheet OPD.", sheet=SHEET_PARAMETER))
    return hasil


def _unknown_codes(c: _Recorder, rows: pd.DataFrame, known: set, what: str) -> None:
    """Rows of codes not in the OPD sheet: one warning per code (first row)."""
    unknown = ~rows["kode"].isin(known)
    c.add(rows, unknown & ~rows["kode"].duplicated(), "kode",
          lambda r: f"Kode OPD {r.kode} tidak ada di sheet OPD; {what} tidak dihitung. "
                    "Periksa kode atau tambahkan OPD-nya.", PERINGATAN)


def _bounds(c: _Recorder, rows: pd.DataFrame, rules: Mapping[str, FieldRule]) -> None:
    """A value outside its field's bounds (from the schema: the bounds the workbooks validate) is a galat."""
    for f, rule in rules.items():
        if rule.minimum is not None:
            c.add(rows, rows[f] < rule.minimum, f, lambda r, f=f, rule=rule: _below(rule, getattr(r, f)))
        if rule.maximum is not None:
            c.add(rows, rows[f] > rule.maximum, f, lambda r, f=f, rule=rule: _above(rule, getattr(r, f)))


def _below(rule: FieldRule, x: float) -> str:
    if rule.minimum == 0:
        return f"{rule.label} bernilai negatif ({x:g}). Isi nilai ≥ 0."
    return f"{rule.label} {x:g}{rule.satuan} kurang dari {rule.minimum:g}{rule.satuan}. Isi nilai ≥ {rule.minimum:g}."


def _above(rule: FieldRule, x: float) -> str:
    boleh = f"≤ {rule.maximum:g}" if rule.minimum is None else f"{rule.minimum:g}–{rule.maximum:g}"
    return f"{rule.label} {x:g}{rule.satuan} melebihi {rule.maximum:g}{rule.satuan}. Isi nilai {boleh}{rule.satuan}."


def check_realisasi(rows: pd.DataFrame, aktif: set, known: set, kolom: dict, periode,
                    rules: Mapping[str, FieldRule], bobot: dict | None = None) -> list[Masalah]:
    """Problems of the period's Realisasi rows of active OPDs, plus active OPDs without a row.

    With ``bobot``, the fields of a component weighted 0 may be blank (they are not used).
    """
    c = _Recorder(SHEET_REALISASI, kolom, periode)
    _unknown_codes(c, rows, known, "baris ini")
    rows = rows[rows["kode"].isin(aktif)]
    unused = {f for k, fields in REQUIRED_FOR.items() if bobot is not None and bobot[k] == 0 for f in fields}
    for f in UANG_FISIK:
        if f in unused:
            continue
        c.add(rows, rows[f].isna(), f, f"{rules[f].label} kosong. Isi angkanya (0 bila memang nol).")
    _bounds(c, rows, rules)
    c.add(rows, (rows["target_keuangan"] == 0) & ("target_keuangan" not in unused), "target_keuangan",
          "Target Keuangan 0: serapan anggaran tidak dapat dihitung. Isi target keuangan s.d. triwulan ini.")
    pagu_valid = rows["pagu"] >= 0
    for f in ("realisasi_keuangan", "target_keuangan"):
        c.add(rows, pagu_valid & (rows[f] > rows["pagu"]), f,
              lambda r, f=f: f"{rules[f].label} ({rupiah(getattr(r, f))}) melebihi {rules['pagu'].label} "
                             f"({rupiah(r.pagu)}). Periksa kedua angka.")
    c.add(rows, (rows["target_fisik"] == 0) & ("target_fisik" not in unused), "target_fisik",
          "Target Fisik 0: realisasi fisik tidak dapat dihitung. Isi target fisik s.d. triwulan ini.")
    c.add(rows, (rows["target_p3dn"] > 0) & rows["realisasi_p3dn"].isna(), "realisasi_p3dn",
          "Target P3DN terisi tetapi Realisasi P3DN kosong. Isi realisasinya (0 bila belum ada).")
    c.add(rows, rows.duplicated("kode", keep=False), "kode",
          lambda r: f"Data Realisasi OPD {r.kode} untuk {Period(*periode).short()} tertulis lebih dari sekali. "
                    "Sisakan satu baris.")
    hasil = c.in_sheet_order()
    for kode in sorted(aktif - set(rows["kode"])):
        hasil.append(galat(f"OPD {kode} belum punya data Realisasi untuk {Period(*periode).short()}. "
                           "Isi satu baris Realisasi untuk OPD ini.", sheet=SHEET_REALISASI, kode=kode, periode=periode))
    return hasil


def check_components(rows: pd.DataFrame, aktif: set, kolom: dict, periode, parameter: Parameter) -> list[Masalah]:
    """Extra components and Ketepatan Waktu of the period's Realisasi rows of active OPDs (docs/metode.md).

    A weighted extra component needs a score ≥ 0 in its own column; a weighted Ketepatan
    Waktu needs the Tanggal Diterima of every row and a Batas Pengumpulan for the period.
    """
    c = _Recorder(SHEET_REALISASI, kolom, periode)
    tahun, tw = periode
    rows = rows[rows["kode"].isin(aktif)]
    bobot = parameter.weights()
    for label in parameter.extra_components():
        values = rows[label] if label in rows else pd.Series(np.nan, index=rows.index)
        if bobot[label] > 0:
            c.add(rows, values.isna(), label, f"Nilai {label} kosong. Isi skor 0–100 dari Bappeda untuk OPD ini "
                                              f"(komponen {label} berbobot {bobot[label]:g}).")
        c.add(rows, values < 0, label, lambda r, label=label: f"Nilai {label} negatif. Isi skor 0–100.")
    hasil = []
    if bobot.get(KETEPATAN, 0) > 0:
        if parameter.deadline(tahun, tw) is None:
            hasil.append(galat(f"Batas Pengumpulan {Period(tahun, tw).short()} belum ada di tabel Jadwal (sheet Parameter), "
                               "padahal Ketepatan Waktu berbobot. Isi tanggalnya di tabel Jadwal.",
                               sheet=SHEET_PARAMETER, periode=periode))
        diterima = rows["tanggal_diterima"] if "tanggal_diterima" in rows else pd.Series(None, index=rows.index)
        c.add(rows, diterima.isna(), "tanggal_diterima",
              "Tanggal Diterima kosong, padahal Ketepatan Waktu berbobot. Isi tanggal templat OPD ini diterima "
              "(impor mengisinya otomatis).")
    return hasil + c.in_sheet_order()


def check_indikator(rows: pd.DataFrame, aktif: set, known: set, kolom: dict, periode,
                    rules: Mapping[str, FieldRule], wajib: bool = True) -> list[Masalah]:
    """Problems of the period's program-indicator rows of active OPDs, plus OPDs without indicators.

    ``wajib`` False (Capaian Kinerja Program weighted 0): an OPD without indicators is no problem.
    """
    c = _Recorder(SHEET_INDIKATOR, kolom, periode)
    _unknown_codes(c, rows, known, "indikatornya")
    rows = rows[rows["kode"].isin(aktif)]
    arah = normalise_arah_all(rows["arah"])
    arah_valid = arah.isin(ARAH)
    c.add(rows, ~arah_valid, "arah", lambda r: f"Arah '{r.arah}' tidak dikenal. Pilih Naik (makin tinggi makin baik) "
                                              "atau Turun (makin rendah makin baik).")
    for f in ("target", "realisasi"):
        c.add(rows, rows[f].isna(), f, f"{rules[f].label} indikator kosong. Isi angkanya (0 bila memang nol).")
    _bounds(c, rows, rules)
    turun_zero = (arah == "Turun") & (rows["realisasi"] == 0)
    c.add(rows, (rows["target"] == 0) & arah_valid & ~turun_zero, "target",
          "Target 0: capaian indikator ini tidak dapat dihitung (hanya arah Turun dengan realisasi 0 yang bernilai "
          "100). Isi target yang sebenarnya.")
    filled = rows["bobot"].notna()
    per_opd = filled.groupby(rows["kode"])
    partly = rows["kode"].map(per_opd.any() & ~per_opd.all()).astype(bool)
    c.add(rows, partly & ~filled, "bobot", "Bobot indikator kosong padahal indikator lain OPD ini berbobot. "
                                             "Isi semua bobot atau kosongkan semuanya.")
    all_zero = rows["kode"].map(per_opd.all() & (rows["bobot"].groupby(rows["kode"]).sum() == 0)).astype(bool)
    c.add(rows, all_zero & ~rows["kode"].duplicated(), "bobot",
          "Semua bobot indikator OPD ini 0. Isi bobot atau kosongkan semuanya.")
    hasil = c.in_sheet_order()
    for kode in sorted(aktif - set(rows["kode"])) if wajib else ():
        hasil.append(galat(f"OPD {kode} belum punya indikator kinerja program untuk {Period(*periode).short()}. "
                           "Capaian kinerja program wajib ada; isi indikatornya.",
                           sheet=SHEET_INDIKATOR, kode=kode, periode=periode))
    return hasil


def check_rows_without_period(data: InputData) -> list[Masalah]:
    """Rows whose Tahun or Triwulan is blank or unreadable cannot be placed in any period."""
    hasil = []
    for sheet, df in ((SHEET_REALISASI, data.realisasi), (SHEET_INDIKATOR, data.indikator)):
        c = _Recorder(sheet, data.kolom.get(sheet, {}), None)
        for f in ("tahun", "triwulan"):
            already = df["tahun"].isna() if f == "triwulan" else False
            c.add(df, df[f].isna() & ~already, f,
                  f"{data.fields[sheet][f].label} kosong atau tidak terbaca, sehingga baris ini tidak masuk periode mana pun. "
                  "Isi Tahun dan Triwulan (1–4).")
        hasil += c.in_sheet_order()
    return hasil
