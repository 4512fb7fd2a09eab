"""``indeks-opd demo``: the whole job on the bundled sample workbook, on a fresh machine."""

from __future__ import annotations

from pathlib import Path

from indeks_opd.cli.display import Progress, print_ranking
from indeks_opd.cli.hitung import exit_code, hitung_file
from indeks_opd.contract.output_sheets import OWNED_SHEETS
from indeks_opd.files.safe_write import ensure_folder, replace_atomically

DEMO_FILE = "contoh-indeks-opd.xlsx"
CONTOH = {"kota": DEMO_FILE, "kelompok": "contoh-kelompok-indeks-opd.xlsx"}
"""The bundled samples ``demo --contoh`` can run, and the name of each one's copy."""


def _sample(contoh: str) -> Path:
    """The bundled workbook of a ``--contoh`` choice (the sample writers, openpyxl, are imported by demo only)."""
    from indeks_opd.files.sample import sample_path
    from indeks_opd.files.sample_kelompok import kelompok_sample_path

    return {"kota": sample_path, "kelompok": kelompok_sample_path}[contoh]()


def register(sub) -> None:
    p = sub.add_parser(
        "demo", help="coba tanpa data sendiri: hitung buku kerja contoh dan tampilkan peringkatnya",
        description="Menyalin buku kerja contoh (data fiktif kota seperti Kota Magelang, 2022 TW IV) ke folder "
                    f"keluaran sebagai {DEMO_FILE} (dengan --contoh kelompok: {CONTOH['kelompok']}), "
                    "menghitung indeksnya tanpa Excel, menulis sheet "
                    f"{', '.join(OWNED_SHEETS)} ke salinan itu, lalu menampilkan peringkat berwarna.",
    )
    p.add_argument("--contoh", choices=tuple(CONTOH), default="kota",
                   help="kota: satu daftar OPD, empat komponen (bawaan); kelompok: kabupaten fiktif dengan "
                        "kelompok Dinas/Badan dan Kecamatan, komponen Nilai SAKIP dan Ketepatan Waktu")
    p.add_argument("--keluaran", metavar="FOLDER", type=Path, default=Path("hasil-demo"),
                   help="folder hasil (bawaan: ./hasil-demo)")
    p.add_argument("--diam", action="store_true", help="tanpa pesan kemajuan dan tanpa tabel peringkat")
    p.set_defaults(run=run)


def run(args) -> int:
    progress = Progress(quiet=args.diam)
    target = ensure_folder(args.keluaran) / CONTOH[args.contoh]
    # the demo copy is made here from the sample each run: nothing of the user's to back up
    with progress.step("Menyalin buku kerja contoh…"), replace_atomically(target, keep_backups=0) as tmp:
        tmp.write_bytes(_sample(args.contoh).read_bytes())
    result = hitung_file(target, target, None, None, progress=progress, keep_backups=0)
    if not args.diam:
        print_ranking(result)
    progress.say(f"Hasil: [bold]{target.resolve()}[/] — buka di Excel/LibreOffice, lihat sheet "
                 f"{', '.join(OWNED_SHEETS)}.")
    return exit_code(result)
