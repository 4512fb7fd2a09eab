"""``indeks-opd hitung``: compute one period of a contract workbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from indeks_opd.file_reader import read_workbook
from indeks_opd.core import compute_period
from indeks_opd.masalah import UnusableWorkbook, galat


def register(sub) -> None:
    p = sub.add_parser(
        "hitung", help="hitung indeks, peringkat, kategori dan hadiah satu periode",
        description="Membaca buku kerja (.xlsx/.xlsm) yang mengikuti kontrak (sheet Parameter, OPD, Realisasi, "
                    "Indikator) lalu menghitung Indeks Kinerja OPD untuk satu periode.\n\n"
                    "Kode keluar: 0 hasil lengkap, 3 hasil SEMENTARA (ada galat data), "
                    "2 berkas tidak dapat dipakai.",
    )
    p.add_argument("berkas", metavar="BERKAS", type=Path, help="buku kerja .xlsx/.xlsm")
    p.add_argument("--tahun", type=int, help="tahun yang dihitung (bawaan: TahunAktif di buku kerja)")
    p.add_argument("--triwulan", type=int, choices=(1, 2, 3, 4), help="triwulan 1–4 (bawaan: TriwulanAktif)")
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (angka tanpa pembulatan)")
    p.set_defaults(run=run)


def choose_period(data, tahun: int | None, triwulan: int | None) -> tuple[int, int]:
    """The period to compute: the arguments, else TahunAktif/TriwulanAktif of the workbook."""
    tahun = tahun if tahun is not None else data.parameter.tahun_aktif
    triwulan = triwulan if triwulan is not None else data.parameter.triwulan_aktif
    if tahun is None or triwulan is None:
        kurang = "TahunAktif" if tahun is None else "TriwulanAktif"
        raise UnusableWorkbook([galat(
            f"{kurang} tidak ada di sheet Parameter. Isi di buku kerja atau pakai --tahun dan --triwulan.",
            sheet="Parameter")])
    return tahun, triwulan


def run(args) -> int:
    data = read_workbook(args.berkas)
    tahun, triwulan = choose_period(data, args.tahun, args.triwulan)
    hasil = compute_period(data, tahun, triwulan)
    if args.json:
        json.dump(hasil.as_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for r in hasil.hasil.itertuples(index=False):
            print(f"{r.peringkat:>3}  {r.indeks_bulat:6.2f}  {r.kategori:<13}  {r.nama}")
    if hasil.sementara:
        jumlah = sum(1 for m in hasil.masalah if m.tingkat == "galat")
        print(f"Hasil SEMENTARA: ada {jumlah} galat data untuk {tahun} TW {triwulan}; hadiah "
              f"{'tetap dibagi (diizinkan)' if not hasil.prizes_withheld else 'ditahan'}. "
              "Perbaiki masalah yang tercantum lalu hitung ulang.", file=sys.stderr)
        return 3
    return 0
