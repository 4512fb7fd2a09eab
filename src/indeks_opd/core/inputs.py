"""Stage *data*: the input data set every stage works on, as plain DataFrames.

A reader (workbook file, xlwings Book, OPD template) fills a ``InputData``; the core never
knows where it came from. Each frame carries ``baris``, the worksheet row of every record,
and ``kolom`` maps each field to its worksheet column letter, so that problems found by
the core point at the exact cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indeks_opd.core.masalah import Masalah
from indeks_opd.core.parameter import Parameter

SHEET_OPD = "OPD"
SHEET_REALISASI = "Realisasi"
SHEET_INDIKATOR = "Indikator"
SHEET_PARAMETER = "Parameter"

KOLOM_OPD = ("kode", "nama", "singkatan", "aktif", "kelompok")
KOLOM_REALISASI = (
    "tahun", "triwulan", "kode", "pagu", "target_keuangan", "realisasi_keuangan",
    "target_fisik", "realisasi_fisik", "target_p3dn", "realisasi_p3dn", "tanggal_diterima",
)
"""Fields every reader fills; the Realisasi frame also has one column per extra component,
named by its Bobot label (:meth:`Parameter.extra_components`)."""
KOLOM_INDIKATOR = (
    "tahun", "triwulan", "kode", "program", "indikator", "satuan", "arah", "target", "realisasi", "bobot",
)


@dataclass
class InputData:
    """Parameters, OPD list, Realisasi and Indikator rows, and the problems met while reading."""

    parameter: Parameter
    opd: pd.DataFrame
    realisasi: pd.DataFrame
    indikator: pd.DataFrame
    masalah: list[Masalah] = field(default_factory=list)
    kolom: dict[str, dict[str, str]] = field(default_factory=dict)

    def periods(self) -> list[tuple[int, int]]:
        """Every (tahun, triwulan) that has Realisasi or Indikator rows, sorted."""
        pairs = set()
        for df in (self.realisasi, self.indikator):
            valid = df.dropna(subset=["tahun", "triwulan"])
            pairs |= {(int(t), int(w)) for t, w in zip(valid["tahun"], valid["triwulan"])}
        return sorted(pairs)
