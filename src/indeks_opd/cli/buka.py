"""``indeks-opd buka``: unlock a locked period, with the reason recorded in Log."""

from __future__ import annotations

from pathlib import Path

from indeks_opd.alur.master import apply, in_period, unlocking
from indeks_opd.cli.options import add_period_arguments
from indeks_opd.core.period import Period


def register(sub) -> None:
    p = sub.add_parser(
        "buka", help="buka kunci periode (mis. untuk koreksi data yang disetujui)",
        description="Membuka kunci satu periode sehingga impor dan hitung boleh mengubahnya lagi. Siapa, kapan dan "
                    "alasannya dicatat di sheet Periode dan Log.\n\n"
                    "Kode keluar: 0 terbuka, 2 ditolak (tidak terkunci, tanpa alasan) — buku kerja induk tidak diubah.",
    )
    p.add_argument("induk", metavar="INDUK", type=Path, help="buku kerja induk (.xlsx/.xlsm)")
    add_period_arguments(p, "yang dibuka")
    p.add_argument("--alasan", metavar="TEKS", required=True, help="alasan membuka (dicatat di Periode dan Log)")
    p.set_defaults(run=run)


def run(args) -> int:
    _, change = apply(args.induk, in_period(args.tahun, args.triwulan, unlocking(args.alasan)))
    e = change.events[-1]
    print(f"Periode {Period(e.tahun, e.triwulan).short()} dibuka oleh {e.oleh}: impor dan hitung boleh mengubahnya lagi.")
    return 0
