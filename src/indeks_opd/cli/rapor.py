"""``indeks-opd rapor``: Rapor OPD, Laporan Rakorpok, rekap tahunan and rank stability."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indeks_opd.alur.master import findings, with_findings
from indeks_opd.cli.console import ascii_json
from indeks_opd.cli.options import add_period_arguments
from indeks_opd.contract import choose_period, require_data
from indeks_opd.core.period import Period
from indeks_opd.core.stability import DEFAULT_DRAWS, DEFAULT_SEED
from indeks_opd.present.messages import EXIT_OK, EXIT_PROVISIONAL, RAPOR_DITANDAI, sementara


def _non_negative(teks: str) -> int:
    try:
        n = int(teks)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{teks}' bukan bilangan bulat") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{n} tidak boleh negatif")
    return n


def register(sub) -> None:
    p = sub.add_parser(
        "rapor", help="buat rapor PDF tiap OPD, laporan Rakorpok, rekap tahunan dan kestabilan peringkat",
        description="Menghitung satu periode dari buku kerja induk lalu menulis ke folder KELUARAN:\n"
                    "  rapor_<tahun>_TW<n>_<kode>.pdf   rapor tiap OPD\n"
                    "  rapor_<tahun>_TW<n>_semua.pdf    semua rapor dalam satu berkas\n"
                    "  laporan_rakorpok_<tahun>_TW<n>.pdf  laporan rapat koordinasi\n"
                    "  rapor_<tahun>_TW<n>.xlsx         rapor dan laporan sebagai sheet\n\n"
                    "Riwayat triwulan diambil dari sheet Riwayat; triwulan yang tidak ada di sana dihitung ulang dari data.\n"
                    "Kode keluar: 0 hasil lengkap, 3 hasil SEMENTARA (ada galat data; berkas tetap ditulis), "
                    "2 berkas tidak dapat dipakai.",
    )
    p.add_argument("master", metavar="INDUK", type=Path, help="buku kerja induk .xlsx/.xlsm")
    p.add_argument("--opd", metavar="KODE", nargs="+", action="extend",
                   help="hanya rapor OPD dengan kode ini (boleh lebih dari satu; bawaan: semua OPD aktif)")
    add_period_arguments(p, "rapor")
    p.add_argument("--keluaran", metavar="FOLDER", type=Path, required=True, help="folder tujuan berkas rapor")
    p.add_argument("--json", action="store_true",
                   help="cetak ringkasan sebagai JSON, termasuk kestabilan peringkat dan rekap tahunan")
    p.add_argument("--undian", type=_non_negative, default=DEFAULT_DRAWS,
                   help=f"jumlah undian bobot untuk kestabilan peringkat (bawaan {DEFAULT_DRAWS}; 0 = tanpa)")
    p.add_argument("--benih", type=int, default=DEFAULT_SEED,
                   help=f"benih acak undian; benih sama memberi hasil sama (bawaan {DEFAULT_SEED})")
    p.add_argument("--diam", action="store_true", help="tanpa ringkasan berkas (galat dan peringatan tetap dicetak)")
    p.set_defaults(run=run)


def run(args) -> int:
    from indeks_opd.files.writer import read_for_hitung  # imported by its command only
    from indeks_opd.present import fmt

    contents = read_for_hitung(args.master)
    data = contents.data
    tahun, triwulan = choose_period(data, args.tahun, args.triwulan)
    require_data(data, tahun, triwulan)
    tamper = findings(contents)
    from indeks_opd.rapor.run import produce_reports  # PDF and chart libraries: only for this command

    hasil = produce_reports(args.master, with_findings(data, tamper), tahun, triwulan, args.keluaran, args.opd,
                            args.undian, args.benih)
    res = hasil.result
    if args.json:
        json.dump(hasil.as_dict(), sys.stdout, ensure_ascii=ascii_json(), indent=1)
        sys.stdout.write("\n")
    elif not args.diam:
        print(f"Rapor {fmt.periode(res.tahun, res.triwulan)}: {len(hasil.rapors)} OPD, "
              f"riwayat: {hasil.history_source}.")
        print(f"  Laporan Rakorpok : {hasil.files['rakorpok']}")
        print(f"  Rapor gabungan   : {hasil.files['rapor_gabungan']}")
        print(f"  Buku kerja       : {hasil.files['buku_kerja']}")
        print(f"  Rapor per OPD    : {len(hasil.files['rapor'])} berkas di {args.keluaran}")
    for m in [*tamper, *hasil.warnings]:
        print(str(m), file=sys.stderr)
    if res.sementara:
        jumlah = sum(1 for m in res.masalah if m.blocking)
        print(sementara(jumlah, res.prizes_withheld, Period(res.tahun, res.triwulan)), RAPOR_DITANDAI,
              file=sys.stderr)
        return EXIT_PROVISIONAL
    return EXIT_OK
