"""Arguments several subcommands share."""

from __future__ import annotations

import argparse

from indeks_opd.core.period import parse_triwulan


def triwulan_argument(text: str) -> int:
    """``--triwulan`` accepts what users type in a workbook: ``4``, ``IV``, ``TW4``."""
    try:
        return parse_triwulan(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"pilihan tidak sah: '{text}' (isi 1, 2, 3 atau 4; IV dan TW4 juga boleh)") from None


def add_period_arguments(p, tujuan: str) -> None:
    """``--tahun`` and ``--triwulan`` (defaults: TahunAktif/TriwulanAktif of the workbook)."""
    tahun = f"tahun {tujuan}".strip()
    p.add_argument("--tahun", type=int, help=f"{tahun} (bawaan: TahunAktif di buku kerja)")
    p.add_argument("--triwulan", type=triwulan_argument, metavar="TRIWULAN",
                   help="triwulan 1–4 atau I–IV (bawaan: TriwulanAktif)")
