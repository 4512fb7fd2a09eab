"""The pure scoring core: pandas in, pandas out, no files, no Excel, no printing.

Stages, in order (each a module): :mod:`~indeks_opd.core.inputs` (data),
:mod:`~indeks_opd.core.checks` (check), :mod:`~indeks_opd.core.capaian`,
:mod:`~indeks_opd.core.aggregate` (cakin and index), :mod:`~indeks_opd.core.ranking`
(rank, category, lowest N), :mod:`~indeks_opd.core.prizes`; :mod:`~indeks_opd.core.pipeline`
runs them for one period. :mod:`~indeks_opd.core.parameter` (the frozen ``Parameter`` and its
validation) and :mod:`~indeks_opd.core.masalah` (problems as located data) are the core's
vocabulary. Nothing here reads or writes files or knows openpyxl/xlwings
(``tests/test_architecture.py`` checks it).
"""

from indeks_opd.core.inputs import InputData
from indeks_opd.core.masalah import GALAT, PERINGATAN, Masalah, UnusableWorkbook, galat, peringatan
from indeks_opd.core.parameter import Parameter
from indeks_opd.core.pipeline import PeriodResult, compute_period

__all__ = ["GALAT", "PERINGATAN", "InputData", "Masalah", "Parameter", "PeriodResult", "UnusableWorkbook", "compute_period",
           "galat", "peringatan"]
