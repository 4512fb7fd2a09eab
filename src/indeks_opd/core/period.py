"""A reporting period (tahun, triwulan) as a value: its rules and every way the product names it.

The rules (``docs/metode.md``, "Periode"): a triwulan is 1–4; a year is four digits between
:data:`TAHUN_MIN` and :data:`TAHUN_MAX`; the quarter before TW I is TW IV of the year before.
Users type a triwulan as ``4``, ``IV``, ``TW4`` or ``TW IV``; :func:`parse_triwulan` is the one
reader of those forms. The label forms (``docs/arsitektur.md``, "Periode") are the methods of
:class:`Period`; each form is spelled here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRIWULAN = (1, 2, 3, 4)
TAHUN_MIN, TAHUN_MAX = 2000, 2100
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
"""The one Roman-numeral table of the product."""

TRIWULAN_SALAH = "tidak sah; isi 1, 2, 3 atau 4"
TAHUN_SALAH = "tidak wajar; isi tahun empat angka, mis. 2024"

_FROM_ROMAN = {v: k for k, v in ROMAN.items()}
_PREFIX = re.compile(r"^(triwulan|tw)[\s._-]*", re.IGNORECASE)


def parse_triwulan(value) -> int:
    """``4``, ``4.0``, ``"4"``, ``"IV"``, ``"TW4"``, ``"tw iv"``, ``"Triwulan IV"`` → 4.

    Raises ``ValueError`` with an Indonesian message for anything else (0, 5, 2.5, "V", "").
    """
    if isinstance(value, bool):
        raise ValueError(f"Triwulan {value} {TRIWULAN_SALAH}")
    if isinstance(value, (int, float)):
        if value in TRIWULAN:
            return int(value)
        raise ValueError(f"Triwulan {value:g} {TRIWULAN_SALAH}")
    text = _PREFIX.sub("", str(value).strip()).strip().upper()
    if text.isdigit() and int(text) in TRIWULAN:
        return int(text)
    if text in _FROM_ROMAN:
        return _FROM_ROMAN[text]
    raise ValueError(f"Triwulan '{value}' {TRIWULAN_SALAH}")


def valid_tahun(x: float) -> bool:
    return TAHUN_MIN <= x <= TAHUN_MAX


@dataclass(frozen=True, order=True)
class Period:
    """One quarter of one year, validated on construction (``ValueError`` in Indonesian)."""

    tahun: int
    triwulan: int

    def __post_init__(self):
        if isinstance(self.tahun, bool) or not isinstance(self.tahun, int) or not valid_tahun(self.tahun):
            raise ValueError(f"Tahun {self.tahun} {TAHUN_SALAH}")
        if isinstance(self.triwulan, bool) or self.triwulan not in TRIWULAN:
            raise ValueError(f"Triwulan {self.triwulan} {TRIWULAN_SALAH}")
        object.__setattr__(self, "triwulan", int(self.triwulan))

    @classmethod
    def of(cls, tahun, triwulan) -> Period:
        """A period from what users type: ``Period.of(2022, "TW IV")``, ``Period.of(2022.0, 4.0)``."""
        if isinstance(tahun, float) and tahun.is_integer() or isinstance(tahun, str) and tahun.strip().isdigit():
            tahun = int(tahun)
        return cls(tahun, parse_triwulan(triwulan))

    def previous(self) -> Period:
        """The quarter before: TW I's is TW IV of the year before."""
        return Period(self.tahun, self.triwulan - 1) if self.triwulan > 1 else Period(self.tahun - 1, 4)

    def following(self) -> Period:
        """The quarter after: TW IV's is TW I of the year after."""
        return Period(self.tahun, self.triwulan + 1) if self.triwulan < 4 else Period(self.tahun + 1, 1)

    @property
    def roman(self) -> str:
        """``IV``"""
        return ROMAN[self.triwulan]

    def title(self) -> str:
        """``Tahun 2022 Triwulan IV``: titles of sheets, reports and Excel alerts."""
        return f"Tahun {self.tahun} Triwulan {self.roman}"

    def short(self) -> str:
        """``TW IV 2022``: the period inside a sentence or a table cell."""
        return f"TW {self.roman} {self.tahun}"

    def folder_tag(self) -> str:
        """``2022 TW4``: the period in folder names next to the master (``Templat 2022 TW4``)."""
        return f"{self.tahun} TW{self.triwulan}"

    def file_tag(self) -> str:
        """``2022_TW4``: the period in file names (``Templat_2022_TW4_2.15_Dishub.xlsx``, ``Rakorpok_2022_TW4.pdf``)."""
        return f"{self.tahun}_TW{self.triwulan}"

    def __iter__(self):
        """A period unpacks as ``(tahun, triwulan)``, the pair the data frames and sheets hold."""
        return iter((self.tahun, self.triwulan))

    def __str__(self) -> str:
        return self.short()
