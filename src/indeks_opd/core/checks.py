"""Stage *check*: the problems of one period's rows, as ``Masalah`` records.

DESIGN.md §2 and the scoring-engine issue. A ``galat`` blocks the OPD it belongs to (it is
left out of the ranking and the period becomes *SEMENTARA*); a ``peringatan`` is reported
only. Rows of inactive OPDs are ignored; rows of codes not in the OPD sheet are reported
and not scored.
"""

from __future__ import annotations

import math

import pandas as pd

from indeks_opd.core.capaian import ARAH, normalise_arah
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_OPD, SHEET_REALISASI, InputData
from indeks_opd.masalah import Masalah, galat, peringatan

LABEL = {
    "tahun": "Tahun", "triwulan": "Triwulan", "kode": "Kode OPD", "pagu": "Pagu Anggaran",
    "target_keuangan": "Target Keuangan", "realisasi_keuangan": "Realisasi Keuangan",
    "target_fisik": "Target Fisik", "realisasi_fisik": "Realisasi Fisik",
    "target_p3dn": "Target P3DN", "realisasi_p3dn": "Realisasi P3DN",
    "program": "Program", "indikator": "Indikator", "satuan": "Satuan", "arah": "Arah",
    "target": "Target", "realisasi": "Realisasi", "bobot": "Bobot",
    "nama": "Nama OPD", "singkatan": "Singkatan", "aktif": "Aktif",
}


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class _Recorder:
    """Collects problems for one sheet, pointing at the record's row and the field's column."""

    def __init__(self, sheet: str, kolom: dict[str, str], periode: tuple[int, int] | None):
        self.sheet, self.kolom, self.periode = sheet, kolom, periode
        self.masalah: list[Masalah] = []

    def _lokasi(self, baris, field):
        b = None if _blank(baris) else int(baris)
        return dict(sheet=self.sheet, baris=b, kolom=self.kolom.get(field) if field else None)

    def galat(self, row, field, pesan, kode=None):
        self.masalah.append(galat(pesan, **self._lokasi(row.get("baris"), field), kode=kode, periode=self.periode))

    def peringatan(self, row, field, pesan, kode=None):
        self.masalah.append(peringatan(pesan, **self._lokasi(row.get("baris"), field), kode=kode, periode=self.periode))


def check_opd(opd: pd.DataFrame, kolom: dict[str, str]) -> list[Masalah]:
    """Duplicate or blank codes in the OPD sheet (problems of every period)."""
    c = _Recorder(SHEET_OPD, kolom, None)
    for _, row in opd.iterrows():
        if _blank(row["kode"]):
            c.galat(row, "kode", "Kode OPD kosong. Isi kode OPD atau hapus baris ini.")
    ganda = opd[opd["kode"].notna() & opd.duplicated("kode", keep=False)]
    for _, row in ganda.iterrows():
        c.galat(row, "kode", f"Kode OPD {row['kode']} tertulis lebih dari sekali di sheet OPD. "
                "Setiap OPD harus punya kode yang unik.", kode=row["kode"])
    return c.masalah


def check_realisasi(rows: pd.DataFrame, aktif: set, dikenal: set, kolom: dict, periode) -> list[Masalah]:
    """Problems of the period's Realisasi rows of active OPDs, plus active OPDs without a row."""
    c = _Recorder(SHEET_REALISASI, kolom, periode)
    tahun, tw = periode
    for _, row in rows.iterrows():
        kode = row["kode"]
        if kode not in dikenal:
            c.peringatan(row, "kode", f"Kode OPD {kode} tidak ada di sheet OPD; baris ini tidak dihitung. "
                         "Periksa kode atau tambahkan OPD-nya.", kode=kode)
            continue
        if kode not in aktif:
            continue
        for f in ("pagu", "target_keuangan", "realisasi_keuangan", "target_fisik", "realisasi_fisik"):
            if _blank(row[f]):
                c.galat(row, f, f"{LABEL[f]} kosong. Isi angkanya (0 bila memang nol).", kode)
        for f in ("pagu", "target_keuangan", "realisasi_keuangan", "target_fisik", "realisasi_fisik",
                  "target_p3dn", "realisasi_p3dn"):
            if not _blank(row[f]) and row[f] < 0:
                c.galat(row, f, f"{LABEL[f]} bernilai negatif ({row[f]:g}). Isi nilai ≥ 0.", kode)
        pagu, tk, rk = row["pagu"], row["target_keuangan"], row["realisasi_keuangan"]
        if not _blank(tk) and tk == 0:
            c.galat(row, "target_keuangan", "Target Keuangan 0: serapan anggaran tidak dapat dihitung. "
                    "Isi target keuangan s.d. triwulan ini.", kode)
        if not _blank(pagu) and pagu >= 0:
            if not _blank(rk) and rk > pagu:
                c.galat(row, "realisasi_keuangan", f"Realisasi Keuangan ({rk:,.0f}) melebihi Pagu Anggaran "
                        f"({pagu:,.0f}). Periksa kedua angka.".replace(",", "."), kode)
            if not _blank(tk) and tk > pagu:
                c.galat(row, "target_keuangan", f"Target Keuangan ({tk:,.0f}) melebihi Pagu Anggaran "
                        f"({pagu:,.0f}). Periksa kedua angka.".replace(",", "."), kode)
        for f in ("target_fisik", "realisasi_fisik"):
            if not _blank(row[f]) and row[f] > 100:
                c.galat(row, f, f"{LABEL[f]} {row[f]:g}% melebihi 100%. Fisik diisi dalam persen 0–100.", kode)
        if not _blank(row["target_fisik"]) and row["target_fisik"] == 0:
            c.galat(row, "target_fisik", "Target Fisik 0: realisasi fisik tidak dapat dihitung. "
                    "Isi target fisik s.d. triwulan ini.", kode)
        if not _blank(row["target_p3dn"]) and row["target_p3dn"] > 0 and _blank(row["realisasi_p3dn"]):
            c.galat(row, "realisasi_p3dn", "Target P3DN terisi tetapi Realisasi P3DN kosong. "
                    "Isi realisasinya (0 bila belum ada).", kode)

    ganda = rows[rows["kode"].isin(aktif) & rows.duplicated("kode", keep=False)]
    for _, row in ganda.iterrows():
        c.galat(row, "kode", f"Data Realisasi OPD {row['kode']} untuk {tahun} TW {tw} tertulis lebih dari sekali. "
                "Sisakan satu baris.", row["kode"])
    ada = set(rows["kode"])
    for kode in sorted(aktif - ada):
        c.masalah.append(galat(f"OPD {kode} belum punya data Realisasi untuk {tahun} TW {tw}. "
                               "Isi satu baris Realisasi untuk OPD ini.",
                               sheet=SHEET_REALISASI, kode=kode, periode=periode))
    return c.masalah


def check_indikator(rows: pd.DataFrame, aktif: set, dikenal: set, kolom: dict, periode) -> list[Masalah]:
    """Problems of the period's program-indicator rows of active OPDs, plus OPDs without indicators."""
    c = _Recorder(SHEET_INDIKATOR, kolom, periode)
    tahun, tw = periode
    kode_tak_dikenal = set()
    for _, row in rows.iterrows():
        kode = row["kode"]
        if kode not in dikenal:
            if kode not in kode_tak_dikenal:
                c.peringatan(row, "kode", f"Kode OPD {kode} tidak ada di sheet OPD; indikatornya tidak dihitung.",
                             kode=kode)
                kode_tak_dikenal.add(kode)
            continue
        if kode not in aktif:
            continue
        arah = normalise_arah(row["arah"])
        if arah not in ARAH:
            c.galat(row, "arah", f"Arah '{row['arah']}' tidak dikenal. Pilih Naik (makin tinggi makin baik) "
                    "atau Turun (makin rendah makin baik).", kode)
        for f in ("target", "realisasi"):
            if _blank(row[f]):
                c.galat(row, f, f"{LABEL[f]} indikator kosong. Isi angkanya (0 bila memang nol).", kode)
            elif row[f] < 0:
                c.galat(row, f, f"{LABEL[f]} indikator bernilai negatif ({row[f]:g}); capaian tidak dapat "
                        "dihitung. Isi nilai ≥ 0.", kode)
        t, r = row["target"], row["realisasi"]
        if not _blank(t) and t == 0 and arah in ARAH and not (arah == "Turun" and r == 0):
            c.galat(row, "target", "Target 0: capaian indikator ini tidak dapat dihitung "
                    "(hanya arah Turun dengan realisasi 0 yang bernilai 100). Isi target yang sebenarnya.", kode)
        if not _blank(row.get("bobot")) and row["bobot"] < 0:
            c.galat(row, "bobot", f"Bobot indikator negatif ({row['bobot']:g}). Isi bobot ≥ 0.", kode)

    milik_aktif = rows[rows["kode"].isin(aktif)]
    if "bobot" in milik_aktif:
        for kode, grup in milik_aktif.groupby("kode"):
            terisi = grup["bobot"].notna()
            if terisi.any() and not terisi.all():
                for _, row in grup[~terisi].iterrows():
                    c.galat(row, "bobot", "Bobot indikator kosong padahal indikator lain OPD ini berbobot. "
                            "Isi semua bobot atau kosongkan semuanya.", kode)
            elif terisi.all() and grup["bobot"].sum() == 0:
                c.galat(grup.iloc[0], "bobot", "Semua bobot indikator OPD ini 0. Isi bobot atau kosongkan semuanya.",
                        kode)
    for kode in sorted(aktif - set(rows["kode"])):
        c.masalah.append(galat(f"OPD {kode} belum punya indikator kinerja program untuk {tahun} TW {tw}. "
                               "Capaian kinerja program wajib ada; isi indikatornya.",
                               sheet=SHEET_INDIKATOR, kode=kode, periode=periode))
    return c.masalah


def check_rows_without_period(data: InputData) -> list[Masalah]:
    """Rows whose Tahun or Triwulan is blank or unreadable cannot be placed in any period."""
    hasil = []
    for sheet, df in ((SHEET_REALISASI, data.realisasi), (SHEET_INDIKATOR, data.indikator)):
        kolom = data.kolom.get(sheet, {})
        c = _Recorder(sheet, kolom, None)
        for _, row in df[df["tahun"].isna() | df["triwulan"].isna()].iterrows():
            f = "tahun" if _blank(row["tahun"]) else "triwulan"
            c.galat(row, f, f"{LABEL[f]} kosong atau tidak terbaca, sehingga baris ini tidak masuk periode mana pun. "
                    "Isi Tahun dan Triwulan (1–4).", kode=row["kode"])
        hasil += c.masalah
    return hasil
