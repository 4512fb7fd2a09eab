"""Rapor OPD, Laporan Rakorpok, annual recap and rank stability as PDF and workbook sheets.

Every figure comes from the core (:func:`indeks_opd.core.compute_period`,
:mod:`indeks_opd.core.annual`, :mod:`indeks_opd.core.stability`); this package only
arranges them (:mod:`.model`), formats them the Indonesian way (:mod:`.fmt`), draws charts
(:mod:`.charts`, matplotlib) and writes PDF (:mod:`.pdf`, reportlab with embedded DejaVu
fonts) and an .xlsx (:mod:`.workbook`, openpyxl).

The public entry is :func:`indeks_opd.rapor.run.produce_reports` (and its ``ReportRun``),
imported from :mod:`.run` by its callers: this package imports nothing itself, so the command
line starts without loading matplotlib and reportlab.
"""

__all__ = ["run"]
