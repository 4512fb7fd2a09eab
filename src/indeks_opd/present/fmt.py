"""Indonesian formatting of every figure users read (Babel, locale ``id_ID``): CLI, sheets, rapor.

``angka(97.8123) == "97,81"``, ``rupiah(5_000_000) == "Rp 5.000.000"``,
``tanggal_waktu(dt) == "28 November 2026 18.05"``, ``periode(2022, 4) == "Tahun 2022 Triwulan IV"``.
Missing values are shown as ``"–"``. Number formats of cells (which Excel renders with the PC's
own separators) are not text and live in the workbook schema.
"""

from __future__ import annotations

import math
from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal

from indeks_opd.core.annual import RULE_TW4
from indeks_opd.core.period import ROMAN, Period
from indeks_opd.core.ranking import round_excel

LOCALE = "id_ID"
KOSONG = "–"


NAMA_MAKS = 80
"""Characters of an OPD name (or other user text) shown in a PDF table cell or a chart label."""


def pendek(teks, batas: int = NAMA_MAKS) -> str:
    """``teks`` in at most ``batas`` characters, cut at a word and ended with "…" when longer.

    User text (OPD names, indicators, categories) has no length limit in the workbook; a table
    cell of a PDF cannot grow past a page, so every one is shortened for display (docs/rapor.md).
    """
    teks = "" if teks is None else " ".join(str(teks).split())
    if len(teks) <= batas:
        return teks
    potong = teks[: batas - 1]
    spasi = potong.rfind(" ")
    if spasi > batas // 2:
        potong = potong[:spasi]
    return potong.rstrip(" ,.;:-–") + "…"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def angka(x, desimal: int = 2) -> str:
    """A number with exactly ``desimal`` decimals: ``97,81``; ``1.250,50``.

    Rounded half away from zero as Excel (and the ranking) does, so 2,675 shows 2,68.
    """
    if _missing(x):
        return KOSONG
    x = round_excel(float(x), desimal)
    pola = "#,##0" + ("." + "0" * desimal if desimal else "")
    return format_decimal(x, format=pola, locale=LOCALE)


def angka_bebas(x) -> str:
    """A data value (target, realisasi) with up to 2 decimals: ``12``, ``0,5``, ``1.250``."""
    if _missing(x):
        return KOSONG
    return format_decimal(x, format="#,##0.##", locale=LOCALE)


def selisih(x, desimal: int = 2) -> str:
    """A signed change: ``+1,25``, ``−0,40``, ``0,00``."""
    if _missing(x):
        return KOSONG
    teks = angka(abs(x), desimal)
    if round_excel(float(x), desimal) == 0:
        return teks
    return ("+" if x > 0 else "−") + teks


def rupiah(x) -> str:
    """Whole rupiah: ``Rp 5.000.000``."""
    if _missing(x):
        return KOSONG
    return format_currency(x, "IDR", locale=LOCALE, format="¤ #,##0", currency_digits=False)


def persen(x, desimal: int = 0) -> str:
    """A share 0..1 as percent: ``85%``."""
    if _missing(x):
        return KOSONG
    return angka(100 * x, desimal) + "%"


def tanggal_waktu(dt: datetime) -> str:
    """``5 Maret 2024 09.07``: a moment in running text (rapor, PDF footers)."""
    return format_datetime(dt, "d MMMM yyyy HH.mm", locale=LOCALE)


def waktu_sel(dt: datetime) -> str:
    """``05 Maret 2024 09:07``: a moment in a worksheet cell (Peringkat, Riwayat, Log; no time zone)."""
    return format_datetime(dt, "dd MMMM yyyy HH:mm", locale=LOCALE)


def periode(tahun: int, triwulan: int) -> str:
    """``Tahun 2022 Triwulan IV`` (:meth:`Period.title`)."""
    return Period(int(tahun), int(triwulan)).title()


def periode_pendek(tahun: int, triwulan: int) -> str:
    """``TW IV 2022`` (:meth:`Period.short`)."""
    return Period(int(tahun), int(triwulan)).short()


def triwulan(q: int) -> str:
    """``TW IV``: a quarter without its year."""
    return f"TW {ROMAN[int(q)]}"


def aturan_tahunan(aturan: str) -> str:
    """What an ``AturanTahunan`` takes as the annual index: ``indeks triwulan IV`` or the mean of the quarters."""
    return "indeks triwulan IV" if aturan == RULE_TW4 else "rata-rata indeks triwulan yang tersedia"


def _luminance(warna: str) -> float:
    """WCAG 2 relative luminance of ``'#RRGGBB'``."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(warna.lstrip("#")[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; AA asks at least 4.5 for text)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(warna: str) -> str:
    """Black or white text on a category colour: whichever contrasts more (WCAG 2), so rows stay legible
    projected or printed (#00B050 green: black 7,3 : 1, white only 2,9 : 1)."""
    return "#000000" if contrast_ratio(warna, "#000000") >= contrast_ratio(warna, "#FFFFFF") else "#FFFFFF"


_BILANGAN = {1: "Satu", 2: "Dua", 3: "Tiga", 4: "Empat", 5: "Lima", 6: "Enam", 7: "Tujuh", 8: "Delapan",
             9: "Sembilan", 10: "Sepuluh"}


def bilangan(n: int) -> str:
    """A small count in words for headings: ``Tiga`` (digits above ten)."""
    return _BILANGAN.get(int(n), str(n))


def kestabilan(peringkat: int, p5: int, p95: int, porsi_tiga_besar: float) -> str:
    """Rank stability in one plain sentence for heads of agencies (the numbers go to an appendix).

    ``Peringkat 3, hampir pasti di 3 besar; tidak berubah walau bobot digeser.``
    """
    if porsi_tiga_besar >= 0.9:
        tiga = ", hampir pasti di 3 besar"
    elif porsi_tiga_besar >= 0.5:
        tiga = ", kemungkinan besar di 3 besar"
    elif porsi_tiga_besar >= 0.1:
        tiga = ", kadang masuk 3 besar"
    else:
        tiga = ""
    if p5 == p95:
        rentang = "tidak berubah walau bobot digeser" if p5 == peringkat else f"selalu peringkat {p5} bila bobot digeser"
    elif p95 - p5 <= 2:
        rentang = f"stabil: peringkat {p5}–{p95} bila bobot digeser"
    else:
        rentang = f"bergantung pada bobot: bisa peringkat {p5} sampai {p95}"
    return f"Peringkat {peringkat}{tiga}; {rentang}."

