"""Builders of contract data for tests: sheets as plain rows, parsed by the real contract reader."""

from __future__ import annotations

import math

from indeks_opd.contract import default_headers, read_contract
from indeks_opd.contract.sheets import Sheet
from indeks_opd.core.parameter import COMPONENT_LABELS, COMPONENTS, Parameter


def parameter_rows(p: Parameter | None = None, tahun: int = 2023, triwulan: int = 4, **tunggal) -> list[list]:
    """A Parameter sheet laid out as users do: three tables one under another and a Nama | Nilai block beside."""
    p = p or Parameter()
    rows = [["Komponen", "Bobot", None, "Nama", "Nilai"]]
    nilai = {"TahunAktif": tahun, "TriwulanAktif": triwulan, "BatasCapaian": p.batas_capaian,
             "JumlahTerendah": p.jumlah_terendah, "IzinkanHadiahSementara": "Ya" if p.izinkan_hadiah_sementara
             else "Tidak", "AturanTahunan": p.aturan_tahunan, **tunggal}
    blok = list(nilai.items())
    for i, k in enumerate(COMPONENTS):
        rows.append([COMPONENT_LABELS[k], p.bobot[k], None, *blok[i]])
    rows += [[None, None, None, *b] for b in blok[len(COMPONENTS):]]
    rows += [[], ["Kategori", "Batas Bawah", "Warna", "Zona"]]
    rows += [[k.nama, None if math.isinf(k.batas_bawah) else k.batas_bawah, k.warna, k.zona] for k in p.kategori]
    rows += [[], ["Peringkat", "Hadiah", "Sumber"]] + [[h.peringkat, h.jumlah, h.sumber] for h in p.hadiah]
    return rows


def sheets(opd, realisasi, indikator, parameter: list[list] | None = None) -> dict[str, Sheet]:
    """Contract sheets from data rows (header rows added)."""
    hasil = {
        "OPD": Sheet("OPD", [list(default_headers("OPD"))] + [list(r) for r in opd]),
        "Realisasi": Sheet("Realisasi", [list(default_headers("Realisasi"))] + [list(r) for r in realisasi]),
        "Indikator": Sheet("Indikator", [list(default_headers("Indikator"))] + [list(r) for r in indikator]),
    }
    hasil["Parameter"] = Sheet("Parameter", parameter if parameter is not None else parameter_rows())
    return hasil


def data(opd, realisasi, indikator, parameter: list[list] | None = None):
    """InputData through the real contract parser."""
    return read_contract(sheets(opd, realisasi, indikator, parameter), {})


def opd(kode, nama=None, aktif="Ya"):
    return (kode, nama or f"Dinas {kode}", f"D{kode}", aktif)


def realisasi(kode, serapan=100.0, fisik=100.0, p3dn=100.0, tahun=2023, tw=4, pagu=1000.0):
    """A Realisasi row whose capaian are the given percentages (target keuangan 800, fisik 80, P3DN 200).

    ``p3dn=None`` leaves the P3DN target blank (not applicable).
    """
    t_p3dn = None if p3dn is None else 200.0
    r_p3dn = None if p3dn is None else 2.0 * p3dn
    return (tahun, tw, kode, pagu, 800.0, 8.0 * serapan, 80.0, 0.8 * fisik, t_p3dn, r_p3dn)


def indikator(kode, target=100.0, nilai=100.0, arah="Naik", bobot=None, tahun=2023, tw=4, nama="Indikator A"):
    return (tahun, tw, kode, "Program X", nama, "%", arah, target, nilai, bobot)
