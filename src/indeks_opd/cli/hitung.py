"""``indeks-opd hitung``: compute one period of a contract workbook and write the output sheets."""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from indeks_opd.alur.master import findings, with_findings, workflow_of
from indeks_opd.alur.rules import check_unlocked
from indeks_opd.cli.console import ascii_json
from indeks_opd.cli.display import Progress, print_ranking
from indeks_opd.cli.options import add_period_arguments
from indeks_opd.contract import choose_period, require_data
from indeks_opd.contract.output_sheets import OWNED_SHEETS, SHEET_REKAP
from indeks_opd.core import PeriodResult, compute_period
from indeks_opd.core.masalah import Masalah, UnusableWorkbook, galat
from indeks_opd.core.period import Period
from indeks_opd.files.safe_write import BACKUPS_KEPT, ensure_folder, workbook_lock
from indeks_opd.files.writer import outputs_for, read_for_hitung, write_outputs
from indeks_opd.present.messages import EXIT_OK, EXIT_PROVISIONAL, PERBAIKI_LALU_HITUNG, sementara


def register(sub) -> None:
    p = sub.add_parser(
        "hitung", help="hitung indeks satu periode dan tulis sheet hasilnya ke buku kerja",
        description="Membaca buku kerja (.xlsx/.xlsm) yang mengikuti kontrak (sheet Parameter, OPD, Realisasi, "
                    "Indikator), menghitung Indeks Kinerja OPD untuk satu periode, lalu menulis sheet "
                    "Peringkat, Riwayat, Masalah dan Log (serta warna baris Rekap) ke buku kerja itu — atau ke "
                    "salinannya bila --keluaran diberikan. Sheet lain, makro VBA, tombol, nama dan validasi "
                    "tidak diubah. Berkas lama disimpan sebagai cadangan (NAMA.cadangan-WAKTU.xlsx) di "
                    "sebelahnya.\n\n"
                    "Dengan --json hasil dicetak sebagai JSON dan buku kerja TIDAK ditulis (kecuali --keluaran "
                    "diberikan).\n\n"
                    "Kode keluar: 0 hasil lengkap, 3 hasil SEMENTARA (ada galat data), "
                    "2 berkas tidak dapat dipakai atau tidak dapat ditulis.",
    )
    p.add_argument("berkas", metavar="BERKAS", type=Path, help="buku kerja .xlsx/.xlsm")
    add_period_arguments(p, "yang dihitung")
    p.add_argument("--keluaran", metavar="KELUARAN", type=Path,
                   help="tulis hasil ke salinan ini (berkas atau folder), BERKAS tidak diubah")
    p.add_argument("--json", action="store_true",
                   help="cetak hasil sebagai JSON (angka tanpa pembulatan); tidak menulis buku kerja "
                        "kecuali dengan --keluaran")
    p.add_argument("--izinkan-hadiah-sementara", action="store_true",
                   help="bagikan hadiah walaupun hasil SEMENTARA (menimpa IzinkanHadiahSementara)")
    p.add_argument("--diam", action="store_true", help="tanpa pesan kemajuan dan tanpa tabel peringkat")
    p.set_defaults(run=run)


def output_path(source: Path, keluaran: Path | None) -> Path:
    """Where the result goes: ``source`` itself, the file ``keluaran``, or ``keluaran/<source name>``.

    ``keluaran`` is a folder when it is one, or when its name has no extension (``hasil``, a
    folder still to be made, as ``templat`` and ``rapor`` make theirs).
    """
    if keluaran is None:
        return source
    target = keluaran / source.name if keluaran.is_dir() or not keluaran.suffix else keluaran
    if target.suffix.lower() != source.suffix.lower():
        raise UnusableWorkbook([galat(
            f"Berkas keluaran '{target.name}' harus berakhiran {source.suffix} seperti '{source.name}' "
            "(Excel menolak membuka buku kerja yang akhirannya tidak cocok dengan isinya), atau berilah nama "
            "folder untuk --keluaran.")])
    return target


def hitung_file(source: Path, target: Path | None, tahun: int | None, triwulan: int | None, *,
                izinkan_hadiah_sementara: bool = False, write: bool = True,
                progress: Progress | None = None, run_time: datetime | None = None,
                keep_backups: int = BACKUPS_KEPT) -> PeriodResult:
    """Read, compute and (when ``write``) safely write the output sheets to ``target`` (its folder made if missing)."""
    progress = progress or Progress(quiet=True)
    if write:
        ensure_folder(target.parent)
    with workbook_lock(target) if write else contextlib.nullcontext(), cycle_collector_paused():
        with progress.step(f"Membaca {source.name}…"):
            contents = read_for_hitung(source)
        if izinkan_hadiah_sementara:
            contents.data = replace(contents.data,
                                    parameter=replace(contents.data.parameter, izinkan_hadiah_sementara=True))
        tahun, triwulan = choose_period(contents.data, tahun, triwulan)
        require_data(contents.data, tahun, triwulan)
        wf = workflow_of(contents)
        if write:
            check_unlocked(wf, tahun, triwulan, "hitung (menulis hasil)", str(source))
        found = findings(contents, wf)
        report_other_periods(found, tahun, triwulan)
        with progress.step(f"Menghitung {Period(tahun, triwulan).short()}…"):
            result = compute_period(with_findings(contents.data, found), tahun, triwulan)
        if write:
            with progress.step(f"Menulis {', '.join(OWNED_SHEETS)} ke {target.name}…"):
                outputs = outputs_for(result, contents, run_time or datetime.now())
                write_outputs(source, target, outputs, contents.existing.get(SHEET_REKAP), keep_backups,
                              contents.package)
    return result


@contextlib.contextmanager
def cycle_collector_paused():
    """Python's cycle collector off for one run, on again after it.

    A run builds millions of long-lived objects (cells, records, row texts) that hold no reference cycles
    and are freed by reference counting; the collector would walk them all again on every full pass,
    5-6 % of a run on 5,000-22,000 OPDs with the same peak memory (benchmarks/RESULTS.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def report_other_periods(found: list[Masalah], tahun: int, triwulan: int) -> None:
    """Tamper findings of locked periods other than the computed one go to stderr (docs/alur.md); the computed
    period's are its own galat (:func:`~indeks_opd.alur.master.with_findings`)."""
    for m in found:
        if not m.applies_to(tahun, triwulan):
            print(str(m), file=sys.stderr)


def report_provisional(result: PeriodResult) -> None:
    jumlah = sum(1 for m in result.masalah if m.blocking)
    print(sementara(jumlah, result.prizes_withheld, Period(result.tahun, result.triwulan)), PERBAIKI_LALU_HITUNG,
          file=sys.stderr)


def exit_code(result: PeriodResult) -> int:
    """EXIT_PROVISIONAL, with the reason on stderr, for a SEMENTARA result; EXIT_OK otherwise."""
    if result.sementara:
        report_provisional(result)
        return EXIT_PROVISIONAL
    return EXIT_OK


def run(args) -> int:
    progress = Progress(quiet=args.diam)
    write = not args.json or args.keluaran is not None
    target = output_path(args.berkas, args.keluaran) if write else None
    result = hitung_file(args.berkas, target, args.tahun, args.triwulan,
                         izinkan_hadiah_sementara=args.izinkan_hadiah_sementara, write=write, progress=progress)
    if args.json:
        json.dump(result.as_dict(), sys.stdout, ensure_ascii=ascii_json(), indent=1)
        sys.stdout.write("\n")
    elif not args.diam:
        print_ranking(result)
    if write:
        progress.say(f"Hasil ditulis ke {target} (sheet {', '.join(OWNED_SHEETS)}).", stderr=args.json)
    return exit_code(result)
