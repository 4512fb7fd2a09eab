"""Parameters of the index, their defaults (docs/metode.md, "Parameters and defaults") and their validation.

Every number of the method is a parameter the workbook can change: component weights,
category bounds and colours, prizes, the capaian cap, how many lowest OPDs are named,
whether provisional results may win prizes and the annual rule.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from indeks_opd.core.masalah import Masalah, galat

COMPONENTS = ("serapan", "fisik", "cakin", "p3dn")
"""The four components, in the order the method lists them."""

COMPONENT_LABELS = {
    "serapan": "Serapan Anggaran",
    "fisik": "Realisasi Fisik",
    "cakin": "Capaian Kinerja Program",
    "p3dn": "P3DN",
}
"""Komponen labels of the ``Bobot`` table in the Parameter sheet."""

ANNUAL_RULES = ("TW IV", "Rata-rata")


@dataclass(frozen=True)
class Kategori:
    """An achievement category: an index at or above ``batas_bawah`` (and below the next) falls in it."""

    nama: str
    batas_bawah: float
    warna: str
    zona: str


@dataclass(frozen=True)
class Hadiah:
    """Cash prize for a rank (whole rupiah) and who gives it."""

    peringkat: int
    jumlah: int
    sumber: str = ""


@dataclass(frozen=True)
class Parameter:
    bobot: dict = field(default_factory=lambda: {"serapan": 20.0, "fisik": 20.0, "cakin": 50.0, "p3dn": 10.0})
    kategori: tuple = (
        Kategori("Sangat Tinggi", 91.0, "#00B050", "Hijau"),
        Kategori("Tinggi", 76.0, "#92D050", "Hijau"),
        Kategori("Sedang", 66.0, "#FFFF00", "Kuning"),
        Kategori("Rendah", 51.0, "#FFC000", "Kuning"),
        Kategori("Sangat Rendah", -math.inf, "#FF0000", "Merah"),
    )
    hadiah: tuple = (
        Hadiah(1, 5_000_000, "Bank Jateng"),
        Hadiah(2, 3_000_000, "Bank Jateng"),
        Hadiah(3, 1_000_000, "Bank Jateng"),
    )
    tahun_aktif: int | None = None
    triwulan_aktif: int | None = None
    batas_capaian: float = 100.0
    jumlah_terendah: int = 3
    izinkan_hadiah_sementara: bool = False
    aturan_tahunan: str = "TW IV"

    def snapshot(self) -> dict:
        """A plain, JSON-ready copy, for the Log sheet and reports."""
        return {
            "bobot": {COMPONENT_LABELS[k]: self.bobot[k] for k in COMPONENTS},
            "kategori": [
                {"kategori": k.nama, "batas_bawah": None if math.isinf(k.batas_bawah) else k.batas_bawah,
                 "warna": k.warna, "zona": k.zona}
                for k in self.kategori
            ],
            "hadiah": [{"peringkat": h.peringkat, "hadiah": h.jumlah, "sumber": h.sumber} for h in self.hadiah],
            "TahunAktif": self.tahun_aktif,
            "TriwulanAktif": self.triwulan_aktif,
            "BatasCapaian": self.batas_capaian,
            "JumlahTerendah": self.jumlah_terendah,
            "IzinkanHadiahSementara": "Ya" if self.izinkan_hadiah_sementara else "Tidak",
            "AturanTahunan": self.aturan_tahunan,
        }


_COLOUR_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def validate_parameter(p: Parameter, sheet: str = "Parameter") -> list[Masalah]:
    """Validate parameters; every returned problem is blocking (nothing can be computed with it)."""
    masalah: list[Masalah] = []

    def salah(pesan: str) -> None:
        masalah.append(galat(pesan, sheet=sheet))

    if set(p.bobot) != set(COMPONENTS):
        kurang = [COMPONENT_LABELS[k] for k in COMPONENTS if k not in p.bobot]
        salah(f"Tabel Bobot tidak lengkap: komponen {', '.join(kurang)} tidak ada. "
              f"Isi bobot untuk {', '.join(COMPONENT_LABELS.values())}.")
    else:
        for k in COMPONENTS:
            w = p.bobot[k]
            if not isinstance(w, (int, float)) or math.isnan(w) or w < 0:
                salah(f"Bobot {COMPONENT_LABELS[k]} = {w}: bobot harus angka ≥ 0.")
        total = sum(w for w in p.bobot.values() if isinstance(w, (int, float)) and not math.isnan(w))
        if not masalah and abs(total - 100) > 1e-9:
            salah(f"Jumlah bobot = {total:g}, harus tepat 100. Perbaiki tabel Bobot.")

    if not p.kategori:
        salah("Tabel Kategori kosong: isi minimal satu kategori.")
    for k in p.kategori:
        if not k.nama:
            salah("Ada kategori tanpa nama di tabel Kategori.")
        if not _COLOUR_HEX.match(k.warna or ""):
            salah(f"Warna kategori {k.nama} = '{k.warna}': tulis kode warna seperti #00B050.")
        if not k.zona:
            salah(f"Kategori {k.nama} belum punya Zona (mis. Hijau, Kuning, Merah).")
    batas = [k.batas_bawah for k in p.kategori]
    if any(b <= c for b, c in zip(batas, batas[1:])):
        salah("Batas Bawah kategori harus menurun tegas dari atas ke bawah "
              f"(sekarang: {', '.join('kosong' if math.isinf(b) else f'{b:g}' for b in batas)}).")
    elif batas and batas[-1] > 0:
        salah(f"Kategori terbawah ({p.kategori[-1].nama}) harus berbatas bawah 0 atau kosong, "
              "agar setiap indeks punya kategori.")

    ranks = [h.peringkat for h in p.hadiah]
    if len(set(ranks)) != len(ranks):
        salah("Peringkat di tabel Hadiah harus unik (ada peringkat yang tertulis dua kali).")
    for h in p.hadiah:
        if not isinstance(h.peringkat, int) or h.peringkat < 1:
            salah(f"Peringkat hadiah {h.peringkat}: harus bilangan bulat ≥ 1.")
        if not isinstance(h.jumlah, int) or h.jumlah < 0:
            salah(f"Hadiah peringkat {h.peringkat} = {h.jumlah}: harus rupiah bulat ≥ 0.")

    if not (isinstance(p.batas_capaian, (int, float)) and p.batas_capaian >= 100):
        salah(f"BatasCapaian = {p.batas_capaian}: harus angka ≥ 100.")
    if not (isinstance(p.jumlah_terendah, int) and p.jumlah_terendah >= 0):
        salah(f"JumlahTerendah = {p.jumlah_terendah}: harus bilangan bulat ≥ 0.")
    if p.aturan_tahunan not in ANNUAL_RULES:
        salah(f"AturanTahunan = '{p.aturan_tahunan}': pilih 'TW IV' atau 'Rata-rata'.")
    if p.triwulan_aktif is not None and p.triwulan_aktif not in (1, 2, 3, 4):
        salah(f"TriwulanAktif = {p.triwulan_aktif}: harus 1, 2, 3 atau 4.")
    return masalah
