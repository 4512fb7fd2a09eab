"""``indeks-opd templat``: write one input template per OPD for a period."""

from __future__ import annotations

import sys
from pathlib import Path

from indeks_opd.cli.options import add_period_arguments
from indeks_opd.present.messages import EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "templat", help="buat templat isian (.xlsx) untuk setiap OPD",
        description="Membuat satu templat .xlsx per OPD aktif (atau OPD yang dipilih) untuk satu periode, dari "
                    "buku kerja induk. Templat berisi sheet Petunjuk, Realisasi dan Indikator; indikator triwulan "
                    "sebelumnya sudah diisikan sehingga OPD tinggal mengisi realisasinya.\n\n"
                    "Berkas yang sudah ada tidak pernah ditimpa: bila folder KELUARAN sudah berisi berkas bernama "
                    "sama yang isinya berbeda dari templat baru (mis. templat yang sudah diisi OPD), tidak ada yang "
                    "ditulis dan daftar berkas itu dicetak (kode keluar 2); berkas yang sama persis dibiarkan.\n\n"
                    "INDUK juga diperbarui: periode itu dibuka di sheet Status (semua OPD aktif Belum Dikirim) dan "
                    "dicatat di Log, dengan cadangan seperti hitung (docs/alur.md).\n\n"
                    "Kode keluar: 0 templat dibuat, 2 buku kerja induk tidak dapat dipakai atau ada berkas yang "
                    "akan tertimpa.",
    )
    p.add_argument("induk", metavar="INDUK", type=Path, help="buku kerja induk (.xlsx/.xlsm)")
    add_period_arguments(p, "templat")
    p.add_argument("--opd", metavar="KODE", nargs="+", help="hanya untuk kode OPD ini (bawaan: semua OPD aktif)")
    p.add_argument("--keluaran", metavar="FOLDER", type=Path, required=True, help="folder tujuan templat")
    p.add_argument("--diam", action="store_true", help="tanpa daftar berkas yang dibuat")
    p.set_defaults(run=run)


def run(args) -> int:
    from indeks_opd.alur.master import apply, in_period  # imported by its command only
    from indeks_opd.files.safe_write import WorkbookLocked
    from indeks_opd.templat.generate import generate_from_master, templates_summary

    templat = generate_from_master(args.induk, args.keluaran, args.tahun, args.triwulan, args.opd)
    if not args.diam:
        for path in templat.written:
            print(path)
        print(templates_summary(templat, args.keluaran))
    try:  # the period is open from now on: every active OPD Belum Dikirim in the Status sheet (docs/alur.md)
        apply(args.induk, in_period(args.tahun, args.triwulan))
    except WorkbookLocked as e:
        print(f"PERINGATAN: sheet Status di {args.induk.name} tidak diperbarui: {e.masalah[0].pesan} Periode ini "
              "akan dibuka saat impor atau indeks-opd status.", file=sys.stderr)
    return EXIT_OK
