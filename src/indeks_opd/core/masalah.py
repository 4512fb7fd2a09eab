"""Problems as data: a ``Masalah`` says where (sheet, row, column), what is wrong and what to do.

docs/metode.md ("Problems"): a problem is reported with its location and an Indonesian message; it is a
record, not an exception string. ``galat`` blocks the OPD it belongs to (and makes the
period provisional, *SEMENTARA*); ``peringatan`` is shown but blocks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

GALAT = "galat"
PERINGATAN = "peringatan"


@dataclass(frozen=True)
class Masalah:
    """One problem found in the input, in Indonesian, with its location."""

    tingkat: str
    pesan: str
    sheet: str | None = None
    baris: int | None = None
    kolom: str | None = None
    kode: str | None = None
    periode: tuple[int, int] | None = None
    """The (tahun, triwulan) of the row the problem is in; None for problems of any period."""

    @property
    def lokasi(self) -> str:
        """Excel-style location: ``Realisasi!F12``, ``Realisasi!12:12`` (whole row) or ``Realisasi``."""
        if not self.sheet:
            return ""
        if self.baris is None:
            return self.sheet if self.kolom is None else f"{self.sheet}!{self.kolom}:{self.kolom}"
        if self.kolom is None:
            return f"{self.sheet}!{self.baris}:{self.baris}"
        return f"{self.sheet}!{self.kolom}{self.baris}"

    @property
    def blocking(self) -> bool:
        return self.tingkat == GALAT

    def applies_to(self, tahun: int, triwulan: int) -> bool:
        return self.periode is None or self.periode == (tahun, triwulan)

    def as_dict(self) -> dict:
        return {"tingkat": self.tingkat, "lokasi": self.lokasi, "kode": self.kode, "pesan": self.pesan}

    def __str__(self) -> str:
        tempat = f"{self.lokasi}: " if self.lokasi else ""
        opd = f"[OPD {self.kode}] " if self.kode else ""
        return f"{self.tingkat.upper()}: {tempat}{opd}{self.pesan}"


def galat(pesan: str, **lokasi) -> Masalah:
    return Masalah(GALAT, pesan, **lokasi)


def peringatan(pesan: str, **lokasi) -> Masalah:
    return Masalah(PERINGATAN, pesan, **lokasi)


class UnusableWorkbook(Exception):
    """The workbook cannot be used at all (unreadable, a required sheet or column missing).

    Carries the problems that say why; the CLI turns it into exit code 2 and an Indonesian
    message, never a traceback.
    """

    def __init__(self, masalah: list[Masalah]):
        self.masalah = list(masalah)
        super().__init__("\n".join(str(m) for m in self.masalah))
