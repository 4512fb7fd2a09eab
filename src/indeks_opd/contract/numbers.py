"""Numbers as people type them in Indonesian workbooks (docs/metode.md, "Numbers as people type them").

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

from indeks_opd.core.period import parse_triwulan

MONEY = "uang"  # rupiah
PERCENT = "persen"  # a percentage such as fisik; 0.75 in a %-formatted cell is 75
NUMBER = "angka"  # an indicator value: any unit; %-formatted cells are read in percent
WHOLE = "bulat"  # a whole number (Tahun, Triwulan, Peringkat)

_RUPIAH_PREFIX = re.compile(r"^\s*rp\.?\s*", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA"}


class Uncalculated:
    """A formula cell saved without its value (the file was written by a program that does not
    calculate formulas): readers put :data:`UNCALCULATED` in the grid instead of a blank."""

    def __repr__(self) -> str:
        return "<rumus belum dihitung>"


UNCALCULATED = Uncalculated()
UNCALCULATED_MESSAGE = ("berisi rumus yang belum dihitung (tidak ada nilai tersimpan; biasanya berkas disimpan oleh "
                        "program yang tidak menghitung rumus). Buka berkas di Excel, hitung ulang (Ctrl+Alt+F9) lalu "
                        "simpan, atau ganti rumusnya dengan angka")


def looks_like_formula(text: str) -> bool:
    """Text starting with ``=``, ``+``, ``-`` or ``@`` would be a formula if written as-is (docs/arsitektur.md, Conventions)."""
    return bool(text) and text[0] in "=+-@"


def is_percent_format(number_format: str | None) -> bool:
    return number_format is not None and "%" in number_format.replace('"%"', "").replace(r"\%", "")


def read_number(value, kind: str = NUMBER, number_format: str | None = None):
    """Read one cell as a number of the given kind; returns ``(float | None, pesan | None)``."""
    if (type(value) is float and kind != WHOLE and math.isfinite(value)
            and (number_format is None or "%" not in number_format)):
        return value, None  # the common case, millions of times per workbook: same answer as below
    if value is None:
        return None, None
    if value is UNCALCULATED:
        return None, UNCALCULATED_MESSAGE
    if isinstance(value, bool):
        return None, f"berisi {'TRUE' if value else 'FALSE'}, bukan angka; isi dengan angka"
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return None, "berisi tanggal/waktu, bukan angka; ubah format sel menjadi Angka dan isi ulang"
    if isinstance(value, (int, float)):
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            return None, "bukan angka yang sah; isi dengan angka"
        if kind in (PERCENT, NUMBER) and is_percent_format(number_format):
            x = round(x * 100.0, 10)  # 0.07 shown as 7% is 7, not 7.000000000000001
        return _check_kind(x, kind, str(value))
    if not isinstance(value, str):
        return None, f"berisi {type(value).__name__}, bukan angka"

    text = _SPACES.sub(" ", value).strip()
    if text == "":
        return None, None
    if text.upper() in _EXCEL_ERRORS:
        return None, f"berisi nilai galat Excel {text}; perbaiki rumus atau isi angkanya"
    if text[0] in "=@" or (text[0] == "+" and len(text) > 1 and not text[1].isdigit()):
        return None, f"berisi teks yang tampak seperti rumus ('{text}'); isi dengan angka"
    if kind == WHOLE:
        try:
            return float(parse_triwulan(text)), None  # "IV", "TW4", "TW IV" where a quarter is typed
        except ValueError:
            pass
    percent = text.endswith("%")
    if percent:
        if kind in (MONEY, WHOLE):
            return None, f"berisi persen ('{text}') padahal kolom ini bukan persen; isi dengan angka"
        text = text[:-1].strip()
    if kind == MONEY:
        text = _RUPIAH_PREFIX.sub("", text)
    text = text.replace(" ", "")
    try:
        x = float(parse_decimal(text, locale="id", strict=True))
    except (NumberFormatError, ValueError):
        hint = ""
        if re.fullmatch(r"-?\d+\.\d{1,2}", text) or re.fullmatch(r"-?\d+\.\d{4,}", text):
            hint = f"; bila maksudnya desimal, tulis dengan koma: '{text.replace('.', ',')}'"
        return None, (f"'{value}' tidak terbaca sebagai angka (format Indonesia: titik pemisah ribuan, "
                      f"koma desimal, mis. 1.250.000 atau 75,5){hint}")
    return _check_kind(x, kind, value)


def _check_kind(x: float, kind: str, original) -> tuple:
    if kind == WHOLE and x != int(x):
        return None, f"'{original}' bukan bilangan bulat"
    return x, None


_MONTHS = {m: i for i, m in enumerate(("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
                                        "september", "oktober", "november", "desember"), 1)}
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DATE_WORDS = re.compile(r"^(\d{1,2}) ([a-z]+) (\d{4})$")


def read_date(value):
    """Read one cell as a date (``Tanggal Diterima``, ``Batas Pengumpulan``); returns ``(datetime | None, pesan | None)``.

    A date cell, or text as Indonesians write dates: ``15/01/2025``, ``15-01-2025``,
    ``2025-01-15`` (optionally with ``10:30``), ``15 Januari 2025``. A number is not taken
    for a date (it may be a mistyped value), nor text that names no real day.
    """
    if value is None:
        return None, None
    if isinstance(value, _dt.datetime):
        return value, None
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day), None
    if isinstance(value, (bool, int, float)) or not isinstance(value, str):
        return None, f"'{value}' bukan tanggal; isi tanggal seperti 15/01/2025"
    text = _SPACES.sub(" ", value).strip()
    if text == "":
        return None, None
    try:
        if m := _DATE_DMY.match(text):
            return _dt.datetime(int(m[3]), int(m[2]), int(m[1])), None
        if m := _DATE_ISO.match(text):
            return _dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)), None
        if (m := _DATE_WORDS.match(text.lower())) and m[2] in _MONTHS:
            return _dt.datetime(int(m[3]), _MONTHS[m[2]], int(m[1])), None
    except ValueError:
        pass  # no such day (31/02/2025)
    return None, f"'{text}' tidak terbaca sebagai tanggal; tulis seperti 15/01/2025 atau 15 Januari 2025"


EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
"""Day 0 of Excel's 1900 date system, as its serial numbers count (from March 1900 on)."""
_SERIAL_MAX = 2_958_466
"""Serial number of 1 January 10000, past Excel's last date."""


def excel_serial(moment: _dt.datetime) -> float:
    """``moment`` as Excel stores a date-time cell: days since :data:`EXCEL_EPOCH`, the time as a fraction."""
    return (moment - EXCEL_EPOCH) / _dt.timedelta(days=1)


def read_moment(value):
    """A moment indeks-opd wrote (a run's or a workflow step's time), as a ``datetime`` to the second.

    The same moment whatever wrote and read it: a date-time cell comes as a ``datetime`` from
    openpyxl, calamine and Excel (a millisecond off at most, so it is rounded), as its serial
    number from a reader without formats; versions before issue 13 wrote ISO text
    (``2024-07-15T09:30:00``). Any other value is returned as it is (text typed over it stays visible).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < _SERIAL_MAX:
        value = EXCEL_EPOCH + _dt.timedelta(days=value)
    elif isinstance(value, str) and (m := _DATE_ISO.match(value.strip())):
        try:
            value = _dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
        except ValueError:
            return value
    if isinstance(value, _dt.datetime):
        return (value.replace(tzinfo=None) + _dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    return value


def read_text(value) -> str | None:
    """Read a text cell (codes, names): numbers become their shortest text, blanks ``None``."""
    if value.__class__ is str and value.isprintable() and value[:1] != " " != value[-1:] and "  " not in value:
        return value or None  # the usual cell: no whitespace but single spaces inside, nothing to tidy
    if value is None or value is UNCALCULATED:
        return None
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        value = value.date()  # a date cell: openpyxl gives a datetime at midnight, calamine a date
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None
