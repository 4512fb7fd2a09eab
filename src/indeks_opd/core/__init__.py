"""The pure scoring core: pandas in, pandas out, no files, no Excel, no printing.

Stages, in order (each a module): :mod:`~indeks_opd.core.inputs` (data),
:mod:`~indeks_opd.core.checks` (check), :mod:`~indeks_opd.core.capaian`,
:mod:`~indeks_opd.core.aggregate` (cakin and index), :mod:`~indeks_opd.core.ranking`
(rank, category, lowest N), :mod:`~indeks_opd.core.prizes`; :mod:`~indeks_opd.core.pipeline`
runs them for one period.
"""

from indeks_opd.core.inputs import InputData
from indeks_opd.core.pipeline import PeriodResult, compute_period

__all__ = ["InputData", "PeriodResult", "compute_period"]
