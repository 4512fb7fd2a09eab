"""A worksheet as a grid of values (and number formats), and finding tables in it by header text.

Readers of files (openpyxl, calamine) and of live workbooks (xlwings) all produce a
``Sheet``; the contract parser (:mod:`indeks_opd.contract`) never sees the library. Headers
are matched ignoring case, spaces, line breaks and a trailing unit in parentheses
(``"Pagu Anggaran (Rp)"`` is ``Pagu Anggaran``), docs/kontrak.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

F = TypeVar("F")
"""A field name (the value a header maps to)."""

_SPACES = re.compile(r"[\s\u00a0]+")
_SATUAN = re.compile(r"\([^)]*\)\s*$")


def header_key(text) -> str:
    """Header key: lower case without spaces, line breaks or a trailing ``(unit)``."""
    if not isinstance(text, str):
        return ""
    return _SPACES.sub("", _SATUAN.sub("", text.strip())).lower().rstrip("*")


@dataclass
class Sheet:
    """One worksheet: ``values[i][j]`` is the value at row ``first_row + i``, column ``first_column + j``."""

    nama: str
    values: list[list]
    format: list[list] | None = None
    first_row: int = 1
    first_column: int = 1

    def cell(self, i: int, j: int):
        row = self.values[i] if i < len(self.values) else ()
        return row[j] if j < len(row) else None

    def cell_format(self, i: int, j: int):
        if self.format is None or i >= len(self.format):
            return None
        row = self.format[i]
        return row[j] if j < len(row) else None

    def row_number(self, i: int) -> int:
        return self.first_row + i

    def column_letter(self, j: int) -> str:
        return column_letter(self.first_column + j)


def column_letter(n: int) -> str:
    """Excel's letters of 1-based column ``n`` (1 → A, 27 → AA)."""
    letters = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def column_index(letters: str) -> int:
    """1-based column of Excel's column ``letters`` (A → 1, AA → 27), ignoring case."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"bukan huruf kolom: {letters}")
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class Table:
    """A table found in a sheet: its header row index and each known field's column index."""

    sheet: Sheet
    header_row: int
    kolom: dict[str, int]

    def letters(self) -> dict[str, str]:
        return {f: self.sheet.column_letter(j) for f, j in self.kolom.items()}


def find_header_row(sheet: Sheet, header: dict[str, F], max_rows: int = 30) -> tuple[int, dict[F, int], list[F]]:
    """Find the row (in the first ``max_rows``) that holds the most known headers.

    ``header`` maps normalised header text to a field name. Returns the row index, the
    field → column index map and the fields that appear twice in that row.
    """
    best = -1
    best_mapping: dict[F, int] = {}
    best_duplicates: list[F] = []
    for i, baris in enumerate(sheet.values[:max_rows]):
        mapping: dict[F, int] = {}
        duplicates: list[F] = []
        for j, v in enumerate(baris):
            f = header.get(header_key(v))
            if f is None:
                continue
            if f in mapping:
                duplicates.append(f)
            else:
                mapping[f] = j
        if len(mapping) > len(best_mapping):
            best, best_mapping, best_duplicates = i, mapping, duplicates
    return best, best_mapping, best_duplicates


def find_small_table(sheet: Sheet, headers: list[str], optional: tuple[str, ...] = ()) -> Table | None:
    """Find a small table anywhere in a sheet by its headers written side by side.

    ``headers`` is the list of normalised headers; the first one anchors the table and the
    others must stand in the same row within the contiguous run of non-blank header cells
    starting at the anchor (so tables placed next to each other are told apart).
    ``optional`` headers are mapped too when they stand in that run.
    """
    key = headers[0]
    for i, baris in enumerate(sheet.values):
        for j, v in enumerate(baris):
            if header_key(v) != key:
                continue
            mapping = {key: j}
            k = j + 1
            while k < len(baris) and baris[k] not in (None, ""):
                n = header_key(baris[k])
                if (n in headers or n in optional) and n not in mapping:
                    mapping[n] = k
                k += 1
            if all(h in mapping for h in headers):
                return Table(sheet, i, mapping)
    return None
