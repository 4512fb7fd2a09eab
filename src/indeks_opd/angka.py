"""Numbers as people type them in Indonesian workbooks (DESIGN.md §3).

``75``, ``75%``, ``"75,5"``, ``"Rp1.250.000,00"``, ``"1.250.000"`` and 0.75 in a
percent-formatted cell are read right. Text is read with Indonesian conventions (``.``
groups thousands, ``,`` is the decimal mark) by Babel's strict parser; anything it cannot
read unambiguously (``"75.5"``, ``"12,3,4"``) is reported, never guessed.

Every reader returns ``(value, pesan)``: the value (``None`` for a blank cell) or an
Indonesian message saying why the cell could not be read.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from babel.numbers import NumberFormatError, parse_decimal

UANG = "uang"  # rupiah
PERSEN = "persen"  # a percentage such as fisik; 0.75 in a %-formatted cell is 75
ANGKA = "angka"  # an indicator value: any unit; %-formatted cells are read in percent
BULAT = "bulat"  # a whole number (Tahun, Triwulan, Peringkat)

_RUPIAH = re.compile(r"^\s*rp\.?\s*", re.IGNORECASE)
_SPASI = re.compile(r"[\s\u00a0\u202f]+")
_GALAT_EXCEL = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
_ROMAWI = {"I": 1, "II": 2, "III": 3, "IV": 4}


def tampak_rumus(teks: str) -> bool:
    """Text starting with ``=``, ``+``, ``-`` or ``@`` would be a formula if written as-is (DESIGN.md §6)."""
    return bool(teks) and teks[0] in "=+-@"


def _format_persen(format_angka: str | None) -> bool:
    return bool(format_angka) and "%" in format_angka.replace('"%"', "").replace("\\%", "")


def baca_angka(nilai, jenis: str = ANGKA, format_angka: str | None = None):
    """Read one cell as a number of the given kind; returns ``(float | None, pesan | None)``."""
    if nilai is None:
        return None, None
    if isinstance(nilai, bool):
        return None, f"berisi {'TRUE' if nilai else 'FALSE'}, bukan angka; isi dengan angka"
    if isinstance(nilai, (_dt.date, _dt.datetime, _dt.time)):
        return None, "berisi tanggal/waktu, bukan angka; ubah format sel menjadi Angka dan isi ulang"
    if isinstance(nilai, (int, float)):
        x = float(nilai)
        if math.isnan(x) or math.isinf(x):
            return None, "bukan angka yang sah; isi dengan angka"
        if jenis in (PERSEN, ANGKA) and _format_persen(format_angka):
            x = round(x * 100.0, 10)  # 0.07 shown as 7% is 7, not 7.000000000000001
        return _sesuai_jenis(x, jenis, str(nilai))
    if not isinstance(nilai, str):
        return None, f"berisi {type(nilai).__name__}, bukan angka"

    teks = _SPASI.sub(" ", nilai).strip()
    if teks == "":
        return None, None
    if teks.upper() in _GALAT_EXCEL:
        return None, f"berisi nilai galat Excel {teks}; perbaiki rumus atau isi angkanya"
    if teks[0] in "=@" or (teks[0] == "+" and len(teks) > 1 and not teks[1].isdigit()):
        return None, f"berisi teks yang tampak seperti rumus ('{teks}'); isi dengan angka"
    if jenis == BULAT:
        romawi = re.sub(r"^tw\s*", "", teks, flags=re.IGNORECASE).upper()
        if romawi in _ROMAWI:
            return float(_ROMAWI[romawi]), None
        teks = romawi if romawi.isdigit() else teks
    persen = teks.endswith("%")
    if persen:
        if jenis in (UANG, BULAT):
            return None, f"berisi persen ('{teks}') padahal kolom ini bukan persen; isi dengan angka"
        teks = teks[:-1].strip()
    if jenis == UANG:
        teks = _RUPIAH.sub("", teks)
    teks = teks.replace(" ", "")
    try:
        x = float(parse_decimal(teks, locale="id", strict=True))
    except (NumberFormatError, ValueError):
        saran = ""
        if re.fullmatch(r"-?\d+\.\d{1,2}", teks) or re.fullmatch(r"-?\d+\.\d{4,}", teks):
            saran = f" Bila maksudnya desimal, tulis dengan koma: '{teks.replace('.', ',')}'."
        return None, (f"'{nilai}' tidak terbaca sebagai angka (format Indonesia: titik pemisah ribuan, "
                      f"koma desimal, mis. 1.250.000 atau 75,5).{saran}")
    return _sesuai_jenis(x, jenis, nilai)


def _sesuai_jenis(x: float, jenis: str, asli) -> tuple:
    if jenis == BULAT and x != int(x):
        return None, f"'{asli}' bukan bilangan bulat"
    return x, None


def ke_teks(nilai) -> str | None:
    """Read a text cell (codes, names): numbers become their shortest text, blanks ``None``."""
    if nilai is None:
        return None
    if isinstance(nilai, bool):
        return "Ya" if nilai else "Tidak"
    if isinstance(nilai, float):
        if math.isnan(nilai):
            return None
        return str(int(nilai)) if nilai.is_integer() else repr(nilai)
    if isinstance(nilai, int):
        return str(nilai)
    if isinstance(nilai, (_dt.datetime, _dt.date)):
        return nilai.isoformat()
    teks = _SPASI.sub(" ", str(nilai)).strip()
    return teks or None
