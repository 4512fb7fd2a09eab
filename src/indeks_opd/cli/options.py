"""Arguments several subcommands share."""

from __future__ import annotations

import argparse

from indeks_opd.core.period import TAHUN_MAX, TAHUN_MIN, parse_triwulan, valid_tahun


def tahun_argument(text: str) -> int:
    """``--tahun``: a four-digit year in the range every sheet accepts (docs/metode.md, "Periode")."""
    try:
        tahun = int(text)
    except ValueError:
        tahun = None
    if tahun is None or not valid_tahun(tahun):
        raise argparse.ArgumentTypeError(
            f"tahun tidak wajar: '{text}' (isi tahun empat angka antara {TAHUN_MIN} dan {TAHUN_MAX}, mis. 2024)")
    return tahun


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
    p.add_argument("--tahun", type=tahun_argument, metavar="TAHUN", help=f"{tahun} (bawaan: TahunAktif di buku kerja)")
    p.add_argument("--triwulan", type=triwulan_argument, metavar="TRIWULAN",
                   help="triwulan 1–4, I–IV atau TW1–TW4 (bawaan: TriwulanAktif)")
