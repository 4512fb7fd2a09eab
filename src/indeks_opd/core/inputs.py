"""Stage *data*: the input data set every stage works on, as plain DataFrames.

A reader (workbook file, xlwings Book, OPD template) fills a ``InputData``; the core never
knows where it came from. Each frame carries ``baris``, the worksheet row of every record,
and ``kolom`` maps each field to its worksheet column letter, so that problems found by
the core point at the exact cell. ``fields`` gives each field's :class:`FieldRule` — its
label and bounds — from the workbook schema (``docs/arsitektur.md``, "Skema buku kerja"), so
the bounds the core enforces are the ones the workbooks validate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from indeks_opd.core.masalah import Masalah
from indeks_opd.core.parameter import Parameter

SHEET_OPD = "OPD"
SHEET_REALISASI = "Realisasi"
SHEET_INDIKATOR = "Indikator"
SHEET_PARAMETER = "Parameter"



class FieldRule(Protocol):
    """What the checks need of a field: its name for users and its bounds (``None``: unbounded)."""

    @property
    def label(self) -> str: ...

    @property
    def satuan(self) -> str: ...

    @property
    def minimum(self) -> float | None: ...

    @property
    def maximum(self) -> float | None: ...


@dataclass
class InputData:
    """Parameters, OPD list, Realisasi and Indikator rows, and the problems met while reading."""

    parameter: Parameter
    opd: pd.DataFrame
    realisasi: pd.DataFrame
    indikator: pd.DataFrame
    masalah: list[Masalah] = field(default_factory=list)
    kolom: dict[str, dict[str, str]] = field(default_factory=dict)
    fields: dict[str, Mapping[str, FieldRule]] = field(default_factory=dict)

    def periods(self) -> list[tuple[int, int]]:
        """Every (tahun, triwulan) that has Realisasi or Indikator rows, sorted."""
        pairs = set()
        for df in (self.realisasi, self.indikator):
            valid = df.dropna(subset=["tahun", "triwulan"])
            distinct = valid[["tahun", "triwulan"]].drop_duplicates()
            pairs |= {(int(t), int(w)) for t, w in zip(distinct["tahun"], distinct["triwulan"])}
        return sorted(pairs)
