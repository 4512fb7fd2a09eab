"""``indeks-opd status``: who has sent, who waits for verification, who must fix what, is the period locked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from indeks_opd.alur.master import apply, findings, in_period
from indeks_opd.alur.rules import all_verified, status_lines
from indeks_opd.cli.console import ascii_json
from indeks_opd.cli.options import add_period_arguments
from indeks_opd.contract import choose_period
from indeks_opd.present.messages import EXIT_OK, EXIT_PROVISIONAL


def register(sub) -> None:
    p = sub.add_parser(
        "status", help="status kiriman dan verifikasi OPD satu periode",
        description="Menampilkan OPD yang belum mengirim data, yang menunggu verifikasi, yang harus memperbaiki "
                    "(dengan catatannya) dan yang sudah terverifikasi, serta apakah periode terkunci. Periode yang "
                    "belum ada di sheet Status dibuka (semua OPD aktif: Belum Dikirim).\n\n"
                    "Kode keluar: 0 semua OPD Terverifikasi, 3 belum semua (atau data periode terkunci diubah), "
                    "2 berkas tidak dapat dipakai.",
    )
    p.add_argument("induk", metavar="INDUK", type=Path, help="buku kerja induk (.xlsx/.xlsm)")
    add_period_arguments(p, "yang ditampilkan")
    p.add_argument("--json", action="store_true", help="cetak status sebagai JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    contents, change = apply(args.induk, in_period(args.tahun, args.triwulan))
    tahun, triwulan = choose_period(contents.data, args.tahun, args.triwulan)
    wf = change.workflow
    lock = wf.lock_of(tahun, triwulan)
    rows = wf.rows_of(tahun, triwulan)
    galat = findings(contents, wf)
    if args.json:
        doc = {"tahun": tahun, "triwulan": triwulan, "terkunci": lock is not None,
               "opd": [{"kode": r.kode, "nama": r.nama, "status": r.status, "diterima_pada": r.diterima_pada,
                        "catatan": r.catatan} for r in rows],
               "masalah": [m.as_dict() for m in galat]}
        json.dump(doc, sys.stdout, ensure_ascii=ascii_json(), indent=1)
        sys.stdout.write("\n")
    else:
        print("\n".join(status_lines(wf, tahun, triwulan, args.induk.name)))
    for m in galat:
        print(str(m), file=sys.stderr)
    return EXIT_OK if all_verified(wf, tahun, triwulan) and not galat else EXIT_PROVISIONAL
