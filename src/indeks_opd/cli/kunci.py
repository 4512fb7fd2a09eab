"""``indeks-opd kunci``: lock a period after Rakorpok, recording its fingerprints in Log."""

from __future__ import annotations

import sys
from pathlib import Path

from indeks_opd.alur.master import apply, in_period, locking
from indeks_opd.alur.rules import KUNCI
from indeks_opd.cli.options import add_period_arguments
from indeks_opd.core.period import Period


def register(sub) -> None:
    p = sub.add_parser(
        "kunci", help="kunci periode (setelah Rakorpok): data dan hasilnya tidak boleh berubah lagi",
        description="Mengunci satu periode. Selama terkunci, impor ke periode itu dan hitung yang menulis hasilnya "
                    "ditolak; hitung --json dan rapor tetap jalan. Sidik SHA-256 data periode (Realisasi, "
                    "Indikator) dan hasilnya (Riwayat) dicatat di sheet Log; perubahan tangan sesudahnya dilaporkan "
                    "sebagai galat oleh hitung, rapor dan status. Ditolak bila ada OPD yang belum Terverifikasi "
                    "(daftarnya dicetak) atau periode belum dihitung, kecuali dengan --paksa.\n\n"
                    "Kode keluar: 0 terkunci, 2 ditolak — buku kerja induk tidak diubah.",
    )
    p.add_argument("induk", metavar="INDUK", type=Path, help="buku kerja induk (.xlsx/.xlsm)")
    add_period_arguments(p, "yang dikunci")
    p.add_argument("--alasan", metavar="TEKS", required=True, help="alasan mengunci (dicatat di Periode dan Log)")
    p.add_argument("--paksa", action="store_true", help="kunci walaupun belum semua OPD Terverifikasi")
    p.set_defaults(run=run)


def run(args) -> int:
    _, change = apply(args.induk, in_period(args.tahun, args.triwulan, locking(args.alasan, args.paksa)))
    for pesan in change.pesan:
        print(pesan, file=sys.stderr)
    kunci = next(e for e in change.events if e.peristiwa == KUNCI)
    print(f"Periode {Period(kunci.tahun, kunci.triwulan).short()} dikunci oleh {kunci.oleh}. Buka lagi dengan: indeks-opd buka "
          f"\"{args.induk}\" --tahun {kunci.tahun} --triwulan {kunci.triwulan} --alasan \"...\"")
    return 0
