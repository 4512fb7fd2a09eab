"""``indeks-opd``: the command line, in Indonesian. One module per subcommand.

Each subcommand module has ``daftar(subparsers)`` (its arguments and help) and
``jalankan(args) -> int`` (its exit code). User errors never end in a traceback: a
``BukuTidakBisaDipakai`` is exit code 2 with its messages on stderr.
"""

from __future__ import annotations

import argparse
import sys

from indeks_opd import __version__
from indeks_opd.cli import bangun, buka, demo, hitung, impor, kunci, rapor, status, templat, verifikasi
from indeks_opd.cli.console import plain_fallbacks_on_narrow_consoles
from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.files.safe_write import os_error_text
from indeks_opd.present.messages import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNUSABLE

__all__ = ["main"]

COMMANDS = [hitung, demo, templat, impor, status, verifikasi, kunci, buka, rapor, bangun]
"""Subcommand modules, in the order ``--help`` lists them."""

_TRANSLATIONS = [
    ("the following arguments are required: ", "argumen berikut wajib diisi: "),
    ("unrecognized arguments: ", "argumen tidak dikenal: "),
    ("expected one argument", "perlu satu nilai"),
    ("invalid int value: ", "bukan bilangan bulat: "),
    ("invalid choice: ", "pilihan tidak sah: "),
    ("choose from ", "pilih dari "),
    ("argument ", "argumen "),
    ("not allowed with argument ", "tidak boleh bersama argumen "),
]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix or "Pemakaian: ")


class IndonesianParser(argparse.ArgumentParser):
    """argparse with Indonesian headings, help option and error messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "opsi"
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    def error(self, message):
        missing = message.startswith("the following arguments are required: ")
        for english, indonesian in _TRANSLATIONS:
            message = message.replace(english, indonesian)
        lists = [a.option_strings[0] for a in self._actions if a.option_strings and a.nargs == "+"]
        if missing and lists:  # `verifikasi --opd 2.15 induk.xlsx`: the file was taken as one more code
            message += (f" (nilai sesudah {lists[0]} dibaca sampai opsi berikutnya: bila berkas ditulis sesudahnya, "
                        f"ia terbaca sebagai nilai {lists[0]}. Tulis berkas lebih dulu, mis. "
                        f"{self.prog} induk.xlsx {lists[0]} ...)")
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}: galat: {message}\n")


def build_parser() -> IndonesianParser:
    parser = IndonesianParser(
        prog="indeks-opd",
        description="Indeks Kinerja OPD: hitung indeks triwulanan, peringkat, zona dan hadiah OPD "
                    "dari buku kerja Excel, tanpa Excel.",
    )
    parser.add_argument("--versi", "--version", action="version", version=f"indeks-opd {__version__}",
                        help="tampilkan versi lalu keluar")
    sub = parser.add_subparsers(dest="perintah", title="perintah", metavar="PERINTAH",
                                parser_class=IndonesianParser, prog="indeks-opd")
    sub.required = True
    for modul in COMMANDS:
        modul.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    plain_fallbacks_on_narrow_consoles()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UnusableWorkbook as e:
        for m in e.masalah:
            print(str(m), file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into `head` and the like; before OSError, its parent class
        sys.stderr.close()
        return EXIT_OK
    except OSError as e:  # a file or folder the user named cannot be used
        nama = f" '{e.filename}'" if getattr(e, "filename", None) else ""
        print(f"GALAT: berkas/folder{nama} tidak dapat dipakai: {os_error_text(e)}.", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("Dibatalkan.", file=sys.stderr)
        return EXIT_INTERRUPTED
