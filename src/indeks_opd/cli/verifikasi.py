"""``indeks-opd verifikasi``: mark received OPDs verified, or send them back with a note."""

from __future__ import annotations

from pathlib import Path

from indeks_opd.alur.master import apply, in_period, verifying
from indeks_opd.cli.options import add_period_arguments


def register(sub) -> None:
    p = sub.add_parser(
        "verifikasi", help="tandai data OPD terverifikasi, atau kembalikan untuk diperbaiki",
        description="Menandai OPD yang datanya sudah diterima (impor) sebagai Terverifikasi, atau dengan "
                    "--perlu-perbaikan mengembalikannya dengan catatan apa yang harus diperbaiki. Siapa dan kapan "
                    "dicatat di sheet Status dan Log (nama pengguna komputer ini, waktu sekarang).\n\n"
                    "Kode keluar: 0 berhasil, 2 ditolak (periode terkunci, OPD belum mengirim, berkas sedang "
                    "dibuka) — buku kerja induk tidak diubah.",
    )
    p.add_argument("induk", metavar="INDUK", type=Path, help="buku kerja induk (.xlsx/.xlsm)")
    p.add_argument("--opd", metavar="KODE", nargs="+", required=True, help="kode OPD yang diverifikasi")
    add_period_arguments(p, "yang diverifikasi")
    p.add_argument("--perlu-perbaikan", action="store_true", help="kembalikan ke OPD: status Perlu Perbaikan")
    p.add_argument("--catatan", metavar="TEKS", help="catatan untuk OPD (wajib dengan --perlu-perbaikan)")
    p.set_defaults(run=run)


def run(args) -> int:
    _, change = apply(args.induk, in_period(args.tahun, args.triwulan,
                                            verifying(args.opd, args.perlu_perbaikan, args.catatan,
                                                      str(args.induk))))
    for pesan in change.pesan:
        print(pesan)
    return 0
