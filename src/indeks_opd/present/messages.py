"""User-facing texts shared by the CLI, the Excel alerts, the output sheets and the rapor, and the exit codes.

The meaning of a *SEMENTARA* result and of each exit code is in ``docs/metode.md`` and
``docs/arsitektur.md``; this module is the one place their wording lives.
"""

from __future__ import annotations

from indeks_opd.core.period import Period

EXIT_OK = 0
EXIT_UNUSABLE = 2
"""A workbook, file or argument cannot be used (the message says which and what to do)."""
EXIT_PROVISIONAL = 3
"""``hitung``/``rapor``: the result is SEMENTARA; ``impor``: some files were not imported."""
EXIT_INTERRUPTED = 130
"""Ctrl+C, as shells report it."""

SEMENTARA = "SEMENTARA"
LIHAT_MASALAH = "Lihat sheet Masalah."
PERBAIKI_LALU_HITUNG = "Perbaiki masalah yang tercantum di sheet Masalah lalu hitung ulang."
RAPOR_DITANDAI = "Rapor ditandai SEMENTARA."


def hadiah_sementara(prizes_withheld: bool) -> str:
    """What happens to the prizes of a SEMENTARA result."""
    return "hadiah ditahan sampai data lengkap" if prizes_withheld else "hadiah tetap dibagi (diizinkan)"


def sementara(jumlah_galat: int, prizes_withheld: bool, periode: Period | None = None) -> str:
    """``SEMENTARA — ada 2 galat data untuk TW IV 2022; hadiah ditahan sampai data lengkap.``"""
    untuk = f" untuk {periode.short()}" if periode else ""
    return f"{SEMENTARA} — ada {jumlah_galat} galat data{untuk}; {hadiah_sementara(prizes_withheld)}."


def sementara_opd(prizes_withheld: bool) -> str:
    """The banner of one OPD's rapor of a SEMENTARA period."""
    return f"{SEMENTARA} — data periode ini belum lengkap; peringkat dapat berubah; {hadiah_sementara(prizes_withheld)}."


def sementara_tahunan(prizes_withheld: bool) -> str:
    """The banner of an annual recap built from incomplete or SEMENTARA quarters."""
    return (f"{SEMENTARA} — ada triwulan yang belum lengkap atau sementara; "
            f"{hadiah_sementara(prizes_withheld)}.")
