"""Parameters of the index, their defaults (docs/metode.md, "Parameters and defaults") and their validation.

Every number of the method is a parameter the workbook can change: component weights
(the four standard components, ``Ketepatan Waktu`` and any extra component a Pemda adds,
``docs/metode.md``), category bounds and colours, prizes (per peer group), the capaian cap,
how many lowest OPDs are named, whether provisional results may win prizes, the annual
rule, and the submission deadlines with the deduction per day late.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from indeks_opd.core.masalah import Masalah, galat
from indeks_opd.core.period import TRIWULAN, Period

COMPONENTS = ("serapan", "fisik", "cakin", "p3dn")
"""The four components, in the order the method lists them."""

COMPONENT_LABELS = {
    "serapan": "Serapan Anggaran",
    "fisik": "Realisasi Fisik",
    "cakin": "Capaian Kinerja Program",
    "p3dn": "P3DN",
}
"""Komponen labels of the ``Bobot`` table in the Parameter sheet."""

KETEPATAN = "ketepatan"
"""On-time submission (``Ketepatan Waktu``): a standard component with default weight 0."""

STANDARD_LABELS = {**COMPONENT_LABELS, KETEPATAN: "Ketepatan Waktu"}
"""Every standard component's label; any other ``Bobot`` label is an extra component."""

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
    kelompok: str | None = None
    """The peer group the prize is for; None: every group without prize rows of its own."""


@dataclass(frozen=True)
class Jadwal:
    """The submission deadline (``Batas Pengumpulan``) of one period."""

    tahun: int
    triwulan: int
    batas: dt.date


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
    jadwal: tuple = ()
    pengurangan_per_hari: float = 10.0

    def weights(self) -> dict[str, float]:
        """Every component's weight, standard ones first, then ``Ketepatan Waktu`` and the extra ones.

        Keys are :data:`COMPONENTS`, :data:`KETEPATAN` (when weighted) and each extra
        component's label; the Bobot table holds them all (``bobot``).
        """
        return ordered_weights(self.bobot)

    def extra_components(self) -> tuple[str, ...]:
        """Labels of the extra components (any Bobot label that is not a standard one), in table order."""
        return tuple(k for k in self.bobot if k not in STANDARD_LABELS)

    def deadline(self, tahun: int, triwulan: int) -> dt.date | None:
        """The period's Batas Pengumpulan from the Jadwal table, or None."""
        return next((j.batas for j in self.jadwal if (j.tahun, j.triwulan) == (tahun, triwulan)), None)

    def snapshot(self) -> dict:
        """A plain, JSON-ready copy, for the Log sheet and reports.

        Ketepatan Waktu, extra components, prize groups, the Jadwal table and a changed
        PenguranganPerHari appear only when used, so a default parameter set's copy stays
        what it always was.
        """
        hadiah = [{"peringkat": h.peringkat, "hadiah": h.jumlah, "sumber": h.sumber,
                   **({"kelompok": h.kelompok} if h.kelompok else {})} for h in self.hadiah]
        extra: dict[str, object] = {}
        if self.jadwal:
            extra["Jadwal"] = [{"tahun": j.tahun, "triwulan": j.triwulan, "batas": j.batas.isoformat()}
                               for j in self.jadwal]
        if self.jadwal or self.pengurangan_per_hari != Parameter.pengurangan_per_hari:
            extra["PenguranganPerHari"] = self.pengurangan_per_hari
        return {
            "bobot": {component_label(k): w for k, w in self.weights().items()},
            "kategori": [
                {"kategori": k.nama, "batas_bawah": None if math.isinf(k.batas_bawah) else k.batas_bawah,
                 "warna": k.warna, "zona": k.zona}
                for k in self.kategori
            ],
            "hadiah": hadiah,
            "TahunAktif": self.tahun_aktif,
            "TriwulanAktif": self.triwulan_aktif,
            "BatasCapaian": self.batas_capaian,
            "JumlahTerendah": self.jumlah_terendah,
            "IzinkanHadiahSementara": "Ya" if self.izinkan_hadiah_sementara else "Tidak",
            "AturanTahunan": self.aturan_tahunan,
            **extra,
        }


def ordered_weights(bobot: dict) -> dict[str, float]:
    """``bobot`` with the standard components first (in :data:`COMPONENTS` order), then the others in table order."""
    return {**{k: bobot[k] for k in COMPONENTS if k in bobot}, **{k: w for k, w in bobot.items() if k not in COMPONENTS}}


def component_label(k: str) -> str:
    """The label a component has in the Bobot table (an extra component's key is its label)."""
    return STANDARD_LABELS.get(k, k)


def group_key(kelompok) -> str | None:
    """Peer groups compare ignoring case and repeated spaces (``Kecamatan`` = ``kecamatan ``)."""
    if kelompok is None or (isinstance(kelompok, float) and math.isnan(kelompok)):
        return None
    text = " ".join(str(kelompok).split()).casefold()
    return text or None


def prizes_for_group(hadiah: tuple[Hadiah, ...], kelompok: str | None) -> tuple[Hadiah, ...]:
    """The prize rows of a peer group: its own rows, else the rows with a blank group (docs/metode.md)."""
    key = group_key(kelompok)
    own = tuple(h for h in hadiah if h.kelompok is not None and group_key(h.kelompok) == key)
    return own or tuple(h for h in hadiah if group_key(h.kelompok) is None)


_COLOUR_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def validate_parameter(p: Parameter, sheet: str = "Parameter") -> list[Masalah]:
    """Validate parameters; every returned problem is blocking (nothing can be computed with it)."""
    masalah: list[Masalah] = []

    def salah(pesan: str) -> None:
        masalah.append(galat(pesan, sheet=sheet))

    if not set(COMPONENTS) <= set(p.bobot):
        kurang = [COMPONENT_LABELS[k] for k in COMPONENTS if k not in p.bobot]
        lain = "".join(f" Komponen '{k}' dibaca sebagai komponen tambahan; bila maksudnya komponen baku, "
                       "perbaiki penulisannya." for k in p.extra_components())
        salah(f"Tabel Bobot tidak lengkap: komponen {', '.join(kurang)} tidak ada. "
              f"Isi bobot untuk {', '.join(COMPONENT_LABELS.values())}.{lain}")
    else:
        for k, w in p.bobot.items():
            if not isinstance(w, (int, float)) or math.isnan(w) or w < 0:
                salah(f"Bobot {component_label(k)} = {w}: bobot harus angka ≥ 0.")
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

    ranks = [(group_key(h.kelompok), h.peringkat) for h in p.hadiah]
    if len(set(ranks)) != len(ranks):
        salah("Peringkat di tabel Hadiah harus unik untuk setiap kelompok (ada peringkat yang tertulis dua kali).")
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
    if p.triwulan_aktif is not None and p.triwulan_aktif not in TRIWULAN:
        salah(f"TriwulanAktif = {p.triwulan_aktif}: harus 1, 2, 3 atau 4.")
    if not (isinstance(p.pengurangan_per_hari, (int, float)) and p.pengurangan_per_hari >= 0):
        salah(f"PenguranganPerHari = {p.pengurangan_per_hari}: harus angka ≥ 0.")
    periods = [(j.tahun, j.triwulan) for j in p.jadwal]
    for t, w in sorted({x for x in periods if periods.count(x) > 1}):
        salah(f"Tabel Jadwal memuat {Period(t, w).short()} lebih dari sekali. Sisakan satu Batas Pengumpulan per periode.")
    return masalah
