"""The reports as sheets of a separate output workbook (openpyxl), next to the PDFs.

Sheets: ``Rakorpok`` (ranking with movements, zone counts), ``Stabilitas``, ``Rekap Tahunan``
and one ``Rapor <kode>`` per OPD. Figures are numbers with number formats (never text), the
category colour is a cell fill, and text from the data that starts with = + - @ is written
as text, never as a formula. The file is written to a temporary name and moved into place.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indeks_opd.contract.links import link_target
from indeks_opd.contract.output_sheets import FORMAT_DECIMAL as NUMBER
from indeks_opd.contract.output_sheets import FORMAT_RUPIAH as RUPIAH
from indeks_opd.contract.output_sheets import KETERANGAN_TERENDAH, KETERANGAN_UNRANKED, needs_text_protection, provisional_banner
from indeks_opd.core.annual import AnnualResult
from indeks_opd.core.stability import DEFAULT_DELTA
from indeks_opd.files import replace_atomically
from indeks_opd.present import fmt, style
from indeks_opd.present.messages import sementara_opd, sementara_tahunan
from indeks_opd.rapor.model import Rakorpok, RaporOPD

SHARE = "0%"
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color=style.HEADER)
BANNER_FONT = Font(bold=True, color="C00000")
LINK_FONT = Font(color=style.LINK, underline="single")
SHEET_RAKORPOK = "Rakorpok"
SHEET_STABILITAS = "Stabilitas"
SHEET_TAHUNAN = "Rekap Tahunan"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def rapor_sheet_name(kode: str) -> str:
    return _BAD_SHEET_CHARS.sub("_", f"Rapor {kode}")[:31]


def _put(ws, row: int, col: int, value, number_format: str | None = None, fill: str | None = None, font=None):
    if isinstance(value, float) and pd.isna(value):
        value = None
    c = ws.cell(row, col, value)
    if needs_text_protection(value):
        c.data_type = "s"  # text from data is never a formula
    if number_format and value is not None:
        c.number_format = number_format
    if fill:
        c.fill = PatternFill("solid", fgColor=fill.lstrip("#").upper())
    if font is not None:
        c.font = font
    return c


def _header(ws, row: int, labels: list[str]) -> None:
    for j, h in enumerate(labels, 1):
        c = _put(ws, row, j, h, font=HEADER_FONT, fill=style.HEADER)
        c.alignment = Alignment(wrap_text=True, vertical="center")


def _title(ws, judul: str, baris2: str | None = None, banner: str | None = None) -> None:
    _put(ws, 1, 1, judul, font=TITLE_FONT)
    if baris2:
        _put(ws, 2, 1, baris2)
    if banner:
        _put(ws, 3, 1, banner, font=BANNER_FONT)


def _widths(ws, widths: dict[int, float]) -> None:
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w


def write_rakorpok_sheet(ws, k: Rakorpok, dihitung: datetime) -> None:
    res = k.result
    _title(ws, f"Laporan Rakorpok Indeks Kinerja OPD — {fmt.periode(res.tahun, res.triwulan)}",
           f"Dihitung: {fmt.tanggal_waktu(dihitung)}", provisional_banner(res))
    sebelum = fmt.periode_pendek(*k.periode_sebelumnya)
    grouped = res.hasil["kelompok"].notna().any()  # peer groups: ranks are per group (docs/metode.md)
    _header(ws, 5, ["Peringkat", "Kode OPD", "Nama OPD", "Indeks", "Kategori", "Zona", "Hadiah", "Sumber Hadiah",
                    f"Peringkat {sebelum}", "Naik/Turun", "Keterangan", *(["Kelompok", "Peringkat Umum"] if grouped
                                                                          else [])])
    sumber = dict(zip(k.tiga_besar["kode"], k.tiga_besar["sumber"]))
    gerak = k.pergerakan.set_index("kode")
    row = 6
    for r in res.hasil.itertuples(index=False):
        g = gerak.loc[r.kode]
        values = [int(r.peringkat), r.kode, r.nama, float(r.indeks), r.kategori, r.zona, int(r.hadiah),
                  sumber.get(r.kode) if r.hadiah else None,
                  None if pd.isna(g.peringkat_sebelumnya) else int(g.peringkat_sebelumnya),
                  None if pd.isna(g.naik) else int(g.naik), KETERANGAN_TERENDAH if r.terendah else None,
                  *([r.kelompok, int(r.peringkat_umum)] if grouped else [])]
        for j, v in enumerate(values, 1):
            _put(ws, row, j, v, {4: NUMBER, 7: RUPIAH}.get(j), fill=r.warna)
        row += 1
    for r in res.unranked.itertuples(index=False):
        for j, v in ((2, r.kode), (3, r.nama), (11, KETERANGAN_UNRANKED)):
            _put(ws, row, j, v)
        row += 1
    row += 1
    _header(ws, row, ["Kategori", "Zona", "Jumlah OPD"])
    for nama, warna, zona, n in k.per_kategori:
        row += 1
        _put(ws, row, 1, nama, fill=warna)
        _put(ws, row, 2, zona)
        _put(ws, row, 3, n)
    row += 2
    _header(ws, row, ["Zona", "Jumlah OPD"])
    for zona, n in k.per_zona:
        row += 1
        _put(ws, row, 1, zona)
        _put(ws, row, 2, n)
    _widths(ws, {1: 11, 2: 10, 3: 52, 4: 9, 5: 14, 6: 9, 7: 14, 8: 16, 9: 13, 10: 11, 11: 26,
                 **({12: 18, 13: 10} if grouped else {})})


def write_stability_sheet(ws, k: Rakorpok) -> None:
    _title(ws, f"Kestabilan Peringkat — {fmt.periode(k.result.tahun, k.result.triwulan)}",
           f"Bobot tiap komponen digeser acak ±{fmt.angka(DEFAULT_DELTA, 0)} poin lalu dinormalkan ke 100; "
           f"{k.undian} undian, benih {k.benih}.")
    _header(ws, 5, ["Peringkat", "Kode OPD", "Nama OPD", "Peringkat Median", "Peringkat Persentil 5",
                    "Peringkat Persentil 95", "Porsi Undian di 3 Besar"])
    for i, r in enumerate(k.stabilitas.itertuples(index=False), 6):
        for j, v in enumerate([int(r.peringkat), r.kode, r.nama, float(r.peringkat_median), int(r.peringkat_p5),
                               int(r.peringkat_p95), float(r.porsi_tiga_besar)], 1):
            _put(ws, i, j, v, {4: "0.0", 7: SHARE}.get(j))
    _widths(ws, {1: 11, 2: 10, 3: 52, 4: 12, 5: 12, 6: 12, 7: 14})


def write_annual_sheet(ws, a: AnnualResult, hadiah_triwulan: dict) -> None:
    """The year's recap; ``hadiah_triwulan``: kode → the prizes its quarters paid this year (what an OPD received,
    as the Rakorpok PDF shows it; the year itself pays nothing, docs/rapor.md)."""
    banner = None
    if a.sementara:
        banner = sementara_tahunan(a.prizes_withheld)
    _title(ws, f"Rekap Tahunan Indeks Kinerja OPD — Tahun {a.tahun}",
           f"Aturan tahunan: {a.aturan} ({fmt.aturan_tahunan(a.aturan)}).", banner)
    grouped = bool(a.hasil["kelompok"].notna().any())  # the year is ranked per peer group (docs/metode.md)
    _header(ws, 5, ["Peringkat", "Kode OPD", "Nama OPD", "TW I", "TW II", "TW III", "TW IV", "Jumlah Triwulan",
                    "Indeks Tahunan", "Kategori", "Zona", "Jumlah Hadiah Triwulan", "Keterangan",
                    *(["Kelompok"] if grouped else [])])
    row = 6
    for r in a.hasil.itertuples(index=False):
        kurang = ", ".join(fmt.triwulan(q) for q in r.triwulan_kurang)
        ket = "; ".join(x for x in ("Terendah" if r.terendah else "", f"tanpa {kurang}" if kurang else "") if x)
        values = [int(r.peringkat), r.kode, r.nama, *(getattr(r, f"indeks_tw{q}") for q in range(1, 5)),
                  int(r.jumlah_triwulan), float(r.indeks), r.kategori, r.zona, hadiah_triwulan.get(r.kode, 0),
                  ket or None, *([r.kelompok] if grouped else [])]
        for j, v in enumerate(values, 1):
            _put(ws, row, j, v, {4: NUMBER, 5: NUMBER, 6: NUMBER, 7: NUMBER, 9: NUMBER, 12: RUPIAH}.get(j),
                 fill=r.warna if j in (9, 10, 11) else None)
        row += 1
    for r in a.unranked.itertuples(index=False):
        kurang = ", ".join(fmt.triwulan(q) for q in r.triwulan_kurang)
        for j, v in ((2, r.kode), (3, r.nama), (13, f"Tidak dinilai: tanpa {kurang}")):
            _put(ws, row, j, v)
        row += 1
    _put(ws, row, 3, "Rata-rata semua OPD", font=Font(bold=True))
    for q in range(1, 5):
        _put(ws, row, 3 + q, a.kota.get(f"tw{q}"), NUMBER)
    _put(ws, row, 9, a.kota.get("tahun"), NUMBER)
    _widths(ws, {1: 11, 2: 10, 3: 52, 4: 9, 5: 9, 6: 9, 7: 9, 8: 10, 9: 11, 10: 14, 11: 9, 12: 14, 13: 24, 14: 16})


def write_rapor_sheet(ws, r: RaporOPD) -> None:
    _title(ws, f"Rapor Kinerja OPD — {fmt.periode(r.tahun, r.triwulan)}")
    _put(ws, 2, 1, r.nama, font=Font(bold=True, size=12))
    if r.sementara:
        _put(ws, 3, 1, sementara_opd(r.prizes_withheld), font=BANNER_FONT)
    sebelum = fmt.periode_pendek(*r.periode_sebelumnya)
    pasangan = [("Kode OPD", r.kode, None), ("Singkatan", r.singkatan, None)]
    if r.dinilai:
        pasangan += [("Indeks", r.indeks, NUMBER), ("Peringkat", r.peringkat, None),
                     ("Jumlah OPD Dinilai", r.jumlah_dinilai, None), ("Kategori", r.kategori, None),
                     ("Zona", r.zona, None), ("Hadiah", r.hadiah, RUPIAH),
                     ("Terendah", "Ya" if r.terendah else "Tidak", None)]
        if r.kelompok is not None:  # peer groups: Peringkat is within the group
            pasangan += [("Kelompok", r.kelompok, None), ("Jumlah OPD Kelompok", r.jumlah_kelompok, None),
                         ("Peringkat Umum", r.peringkat_umum, None)]
    else:
        pasangan += [("Status", "Tidak dinilai: ada galat data (lihat Masalah di bawah)", None)]
    pasangan += [(f"Indeks {sebelum}", r.indeks_sebelumnya, NUMBER), ("Perubahan Indeks", r.perubahan_indeks, NUMBER),
                 (f"Peringkat {sebelum}", r.peringkat_sebelumnya, None),
                 ("Naik/Turun Peringkat", r.perubahan_peringkat, None)]
    if r.tahunan:
        pasangan += [(f"Indeks Tahunan ({r.tahunan['aturan']})", r.tahunan["indeks"], NUMBER),
                     ("Peringkat Tahunan", r.tahunan["peringkat"], None)]
    row = 5
    for label, v, f in pasangan:
        _put(ws, row, 1, label, font=Font(bold=True))
        _put(ws, row, 2, v, f, fill=r.warna if label in ("Indeks", "Kategori") else None)
        row += 1
    if r.dinilai:
        row += 1
        _header(ws, row, ["Komponen", "Capaian (%)", "Bobot (%)", "Kontribusi"])
        for k in r.komponen:
            row += 1
            _put(ws, row, 1, k.label)
            _put(ws, row, 2, k.capaian if k.berlaku else "tidak berlaku", NUMBER)
            _put(ws, row, 3, k.bobot, NUMBER)
            _put(ws, row, 4, k.kontribusi, NUMBER)
        row += 1
    row += 1
    _header(ws, row, ["Program", "Indikator", "Satuan", "Arah", "Target", "Realisasi", "Capaian (%)", "Bukti Dukung"])
    for x in r.indikator.itertuples(index=False):
        row += 1
        for j, v in enumerate([x.program, x.indikator, x.satuan, x.arah, x.target, x.realisasi, x.capaian], 1):
            _put(ws, row, j, v, NUMBER if j == 7 else None)
        if isinstance(x.bukti_dukung, str) and x.bukti_dukung:
            _put(ws, row, 8, x.bukti_dukung, font=LINK_FONT).hyperlink = link_target(x.bukti_dukung)
    row += 2
    _header(ws, row, ["Tahun", "Triwulan", "Indeks", "Peringkat", "Kategori"])
    for h in r.riwayat.itertuples(index=False):
        row += 1
        for j, v in enumerate([int(h.tahun), int(h.triwulan), float(h.indeks), int(h.peringkat), h.kategori], 1):
            _put(ws, row, j, v, NUMBER if j == 3 else None)
    row += 2
    _header(ws, row, ["Tingkat", "Lokasi", "Pesan"])
    if not r.masalah:
        _put(ws, row + 1, 1, "Tidak ada masalah tercatat.")
    for m in r.masalah:
        row += 1
        for j, v in enumerate([m.tingkat, m.lokasi, m.pesan], 1):
            _put(ws, row, j, v)
    _widths(ws, {1: 40, 2: 40, 3: 12, 4: 12, 5: 12, 6: 12, 7: 12, 8: 40})


def write_report_workbook(path: Path | str, rakorpok: Rakorpok, rapors: list[RaporOPD], dihitung: datetime) -> Path:
    """Write the output workbook with every report sheet; returns its path."""
    path = Path(path)
    wb = Workbook()
    write_rakorpok_sheet(wb.active, rakorpok, dihitung)
    wb.active.title = SHEET_RAKORPOK
    if rakorpok.stabilitas is not None:
        write_stability_sheet(wb.create_sheet(SHEET_STABILITAS), rakorpok)
    if rakorpok.tahunan is not None:
        write_annual_sheet(wb.create_sheet(SHEET_TAHUNAN), rakorpok.tahunan, rakorpok.hadiah_triwulan)
    for r in rapors:
        write_rapor_sheet(wb.create_sheet(rapor_sheet_name(r.kode)), r)
    with replace_atomically(path, keep_backups=0) as tmp:
        wb.save(tmp)
    return path
