"""The pure scoring core: pandas in, pandas out, no files, no Excel, no printing.

Stages, in order (each a module): :mod:`~indeks_opd.core.masukan` (data),
:mod:`~indeks_opd.core.validasi` (check), :mod:`~indeks_opd.core.capaian`,
:mod:`~indeks_opd.core.agregasi` (cakin and index), :mod:`~indeks_opd.core.peringkat`
(rank, category, lowest N), :mod:`~indeks_opd.core.hadiah`; :mod:`~indeks_opd.core.pipeline`
runs them for one period.
"""

from indeks_opd.core.masukan import DataMasukan
from indeks_opd.core.pipeline import HasilPeriode, hitung_periode

__all__ = ["DataMasukan", "HasilPeriode", "hitung_periode"]
