"""``indeks-opd impor``: import filled OPD templates into the master workbook."""

from __future__ import annotations

import sys
from pathlib import Path

from indeks_opd.cli.display import Progress
from indeks_opd.cli.options import add_period_arguments
from indeks_opd.present.messages import EXIT_OK, EXIT_PROVISIONAL, EXIT_UNUSABLE


def register(sub) -> None:
    p = sub.add_parser(
        "impor", help="impor templat isian OPD ke buku kerja induk",
        description="Membaca templat OPD yang sudah diisi (berkas atau folder), memeriksanya terhadap buku kerja "
                    "induk (daftar OPD, periode, kontrak) lalu mengganti baris Realisasi dan Indikator OPD itu untuk "
                    "periode tersebut. Impor ulang berkas yang sudah diperbaiki mengganti data lama, tidak "
                    "menggandakan.\n\nSemua atau tidak sama sekali: bila satu berkas bermasalah, tidak ada yang "
                    "ditulis (kecuali dengan --lewati-bermasalah). Laporan dicetak, ditulis ke sheet Masalah dan ke "
                    "berkas teks di sebelah buku kerja induk.\n\n"
                    "Kode keluar: 0 semua berkas diimpor, 3 sebagian dilewati (--lewati-bermasalah), "
                    "2 impor dibatalkan atau berkas induk tidak dapat dipakai.",
    )
    p.add_argument("berkas", metavar="BERKAS_ATAU_FOLDER", type=Path, nargs="+", help="templat .xlsx atau folder")
    p.add_argument("--ke", metavar="INDUK", type=Path, required=True, help="buku kerja induk (.xlsx/.xlsm)")
    add_period_arguments(p, "yang diimpor")
    p.add_argument("--lewati-bermasalah", action="store_true",
                   help="impor berkas yang baik dan laporkan yang bermasalah (bawaan: batalkan semua)")
    p.add_argument("--diam", action="store_true", help="hanya cetak galat dan ringkasan (tanpa peringatan dan kemajuan)")
    p.set_defaults(run=run)


def run(args) -> int:
    from indeks_opd.impor.run import file_state, import_templates, report_rows, status_note, summary  # by its command only

    with Progress(quiet=args.diam).step(f"Membaca dan memeriksa templat, menulis {args.ke.name}…"):
        hasil = import_templates(args.ke, args.berkas, args.tahun, args.triwulan, args.lewati_bermasalah)
    plan = hasil.plan
    for f in plan.files if not args.diam else ():
        keadaan = "BERMASALAH" if f.bermasalah else file_state(f, plan)
        print(f"{f.path.name}: {'OPD ' + f.kode if f.kode else 'kode OPD tidak terbaca'} — {keadaan}"
              + status_note(f.kode, hasil.status))
    keluar = sys.stderr if plan.bad or plan.refused else sys.stdout
    for r in report_rows(plan):
        if args.diam and r["tingkat"] != "galat":
            continue
        tempat = "!".join(x for x in (r["sheet"], r["sel"]) if x)
        print(f"  {r['tingkat'].upper()}: {r['berkas']}{' ' + tempat if tempat else ''}: {r['pesan']}", file=keluar)
    for pesan in hasil.pesan:
        print(pesan, file=keluar)
    print(summary(plan), file=keluar)
    print(f"Laporan: {hasil.report_path}", file=keluar)
    if plan.refused:
        return EXIT_UNUSABLE
    return EXIT_PROVISIONAL if plan.bad else EXIT_OK
