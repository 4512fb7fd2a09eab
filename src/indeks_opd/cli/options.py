"""Arguments several subcommands share."""

from __future__ import annotations


def add_period_arguments(p, tujuan: str) -> None:
    """``--tahun`` and ``--triwulan`` (defaults: TahunAktif/TriwulanAktif of the workbook)."""
    p.add_argument("--tahun", type=int, help=f"tahun {tujuan} (bawaan: TahunAktif di buku kerja)")
    p.add_argument("--triwulan", type=int, choices=(1, 2, 3, 4), help="triwulan 1–4 (bawaan: TriwulanAktif)")
