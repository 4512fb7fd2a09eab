"""What *Hitung Indeks* writes, as plain data: the output-sheet model (docs/kontrak.md).

Pure: no Excel, no files, no clock. Both writers render this same model — the xlwings
``Book`` writer (Excel button, xlwings Server) and the OOXML file writer of the CLI
(:mod:`indeks_opd.files.writer`) — so the sheets they produce are identical.

Entry point::

    outputs = build_outputs(result, data, run_time, existing_riwayat=rows, existing_log=rows)
    outputs.sheets        # [Peringkat, Riwayat, Masalah, Log] as SheetModel, in that order
    outputs.rekap_colours # {kode: '#RRGGBB'} for the Rekap rows of ranked OPDs

A :class:`SheetModel` is the *whole* content of an owned sheet: the writer clears the sheet
and writes ``rows`` from A1. Conventions every writer follows:

- ``rows[i][j]`` is the value of worksheet row ``i + 1``, column ``j + 1``; values are
  ``str``, ``int``, ``float``, ``datetime`` (a real Excel date-time, shown by its number format
  :data:`FORMAT_WAKTU`) or ``None`` (empty cell). Every ``str`` is *text*, never a
  formula, even when it starts with ``= + - @`` (:func:`needs_text_protection` tells which ones
  an API that parses input, like xlwings, must protect).
- ``formats[i][j]`` is the cell's number format (``None`` = General).
- ``fills[i]`` is the fill colour ``'#RRGGBB'`` of row ``i + 1`` over columns ``1..width``
  (``None`` = no fill); ``bold_rows`` are the 1-based rows in bold.
- ``widths[j]`` is column ``j + 1``'s width in characters.
- The header row (``header_row``) wraps its text instead of cutting it, ``header_height`` tall;
  ``centred_columns`` are centred from the header row down, in rows holding more than one value
  (a rank beside a code: "1" then "2.15" must not read "12.15"; a group's title row is left as it is).
- Rows ``1..freeze_below`` stay on screen while scrolling; ``page`` (when set) is the print setup:
  A4 landscape, one page wide, the header row repeated on every page, ``page.header`` on top.
:meth:`SheetModel.cells` yields every cell with its :class:`CellStyle`, for writers that
want one loop.

``Rekap`` is not owned: only the fills of the rows whose *Kode OPD* holds a ranked OPD change
(:func:`rekap_row_fills` finds them in a grid read from the sheet).
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections import namedtuple
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from indeks_opd import __version__
from indeks_opd.contract.numbers import looks_like_formula, read_moment, read_text
from indeks_opd.contract.sheets import Sheet, find_header_row, header_key
from indeks_opd.core import InputData, PeriodResult
from indeks_opd.core.masalah import GALAT, UnusableWorkbook, galat
from indeks_opd.core.parameter import KETEPATAN
from indeks_opd.core.period import Period
from indeks_opd.core.pipeline import select_period
from indeks_opd.present import fmt, style
from indeks_opd.present.messages import LIHAT_MASALAH, sementara

SHEET_PERINGKAT = "Peringkat"
SHEET_RIWAYAT = "Riwayat"
SHEET_MASALAH = "Masalah"
SHEET_LOG = "Log"
SHEET_REKAP = "Rekap"
OWNED_SHEETS = (SHEET_PERINGKAT, SHEET_RIWAYAT, SHEET_MASALAH, SHEET_LOG)
"""Sheets written whole by Hitung Indeks, in the order they are created when missing."""

FORMAT_DECIMAL = "0.00"
FORMAT_RUPIAH = '"Rp"#,##0'
FORMAT_HADIAH = '"Rp"#,##0_);-"Rp"#,##0_);"–"_)'
"""A prize: no prize (0) shows "–" as the console and the PDF do (``present.fmt.KOSONG``); the value stays 0.
Each section ends a bracket's width from the right edge (``_)``), so "–" never runs into "Terendah" beside it."""
FORMAT_WAKTU = "[$-421]dd mmmm yyyy hh:mm"
"""A moment in a cell, as ``present.fmt.waktu_sel`` writes it (``05 Maret 2024 09:07``): Indonesian month
names (locale 0421) whatever the language of Excel; the cell holds a real date-time."""
FILL_GALAT = f"#{style.BAD}"
FILL_PERINGATAN = f"#{style.WARN}"


PERINGKAT_HEADERS = ("Peringkat", "Kode OPD", "Nama OPD", "Singkatan", "Serapan Anggaran", "Realisasi Fisik",
                     "Capaian Kinerja Program", "P3DN", "Indeks", "Kategori", "Zona", "Hadiah", "Keterangan")
PERINGKAT_HEADER_ROW = 5
RIWAYAT_HEADERS = ("Tahun", "Triwulan", "Kode OPD", "Nama OPD", "Serapan Anggaran", "Realisasi Fisik",
                   "Capaian Kinerja Program", "P3DN", "Indeks", "Peringkat", "Kategori", "Zona", "Hadiah",
                   "Terendah", "Sementara", "Dihitung Pada")
MASALAH_HEADERS = ("Tingkat", "Lokasi", "Kode OPD", "Pesan", "Tahun", "Triwulan")
LOG_HEADERS = ("Waktu", "Tahun", "Triwulan", "Sementara", "Jumlah OPD Dinilai", "Jumlah Galat",
               "Jumlah Peringatan", "Sidik Data", "Parameter", "Versi", "Peristiwa", "Kode OPD", "Oleh", "Alasan",
               "Sidik Periode")
"""Log columns: a Hitung Indeks run fills the first ten; a workflow change (docs/alur.md) says what
happened to which period and OPD, who did it and why (Peristiwa … Alasan), and a lock records
the period's per-sheet fingerprints (Sidik Periode)."""
LOG_HITUNG = "Hitung"
MOMENT_HEADERS = frozenset({"Dihitung Pada", "Waktu", "Diterima Pada", "Diverifikasi Pada", "Pada"})
"""Columns holding a moment in the sheets indeks-opd writes (Riwayat, Log, the workflow's Status and Periode):
written as date-times, read back through :func:`~indeks_opd.contract.numbers.read_moment`."""

KETERANGAN_TERENDAH = "Terendah"
KETERANGAN_UNRANKED = "Tidak dinilai: lihat Masalah"
TIDAK_ADA_MASALAH = "Tidak ada masalah"
CATATAN_P3DN = ("P3DN kosong: P3DN tidak berlaku bagi OPD itu (tanpa target belanja produk dalam negeri); "
                "bobotnya dibagi proporsional ke komponen lain.")
"""Row 4 of Peringkat when an OPD has no P3DN, as the rapor PDF explains it."""
YES, NO = "Ya", "Tidak"

_CENTRED = ("Peringkat", "Peringkat Umum", "Kode OPD", "Kategori", "Zona")
"""Peringkat columns centred, so a number never runs into the text beside it ("1" then "2.15" reads "12.15")."""
_RIWAYAT_FORMATS = (None, None, None, None, FORMAT_DECIMAL, FORMAT_DECIMAL, FORMAT_DECIMAL, FORMAT_DECIMAL,
                    FORMAT_DECIMAL, None, None, None, FORMAT_HADIAH, None, None, FORMAT_WAKTU)
_PERINGKAT_FORMATS = (None, None, None, None, FORMAT_DECIMAL, FORMAT_DECIMAL, FORMAT_DECIMAL, FORMAT_DECIMAL,
                      FORMAT_DECIMAL, None, None, FORMAT_HADIAH, None)


@dataclass(frozen=True)
class CellStyle:
    """How one cell looks: number format (None = General), bold, fill ``'#RRGGBB'`` (None = none), text
    wrapped, centred."""

    number_format: str | None = None
    bold: bool = False
    fill: str | None = None
    wrap: bool = False
    centred: bool = False


@dataclass(frozen=True)
class PageSetup:
    """How a sheet prints: A4 landscape, one page wide, its header row on every page, ``header`` centred on top."""

    header: str


HEADER_LINE_HEIGHT = 15.0
"""Points per line of a wrapped header (Excel's default row height for its default font)."""


@dataclass(frozen=True)
class SheetModel:
    """The whole content of one output sheet (see the module docstring for the conventions)."""

    name: str
    rows: tuple[tuple, ...]
    formats: tuple[tuple, ...]
    fills: tuple[str | None, ...]
    bold_rows: frozenset[int]
    widths: tuple[float, ...]
    header_row: int = 1
    """1-based row of the table header (1 for every sheet but Peringkat)."""
    centred_columns: frozenset[int] = frozenset()
    freeze_below: int = 0
    """Rows 1..freeze_below stay on screen (0: nothing frozen)."""
    page: PageSetup | None = None
    kept: tuple[int, int] | None = None
    """Worksheet rows ``kept[0]..kept[1]`` stay as they are in the sheet (``rows`` holds empty rows there): a
    writer that edits the file keeps their XML (:func:`riwayat_kept_rows`); None: ``rows`` is the whole sheet."""

    @property
    def width(self) -> int:
        """Number of columns of the sheet's table."""
        return len(self.widths)

    @property
    def header_height(self) -> float | None:
        """Height in points of the header row, tall enough for its wrapped headers (None: one line fits)."""
        headers = self.rows[self.header_row - 1] if self.header_row - 1 < len(self.rows) else ()
        # a bold header needs about two characters more than its width in characters
        lines = max([1] + [len(textwrap.wrap(str(h), max(int(w) - 2, 1)))
                           for h, w in zip(headers, self.widths) if h is not None])
        return HEADER_LINE_HEIGHT * lines if lines > 1 else None

    def table_row(self, row: int) -> bool:
        """Whether 1-based ``row`` is the header or a row of the table below it (not a title of one value)."""
        return row >= self.header_row and len(self.rows[row - 1]) > 1

    def style(self, row: int, column: int) -> CellStyle:
        """Style of the cell at 1-based ``row``, ``column``."""
        fmts = self.formats[row - 1] if row - 1 < len(self.formats) else ()
        centred = column in self.centred_columns and self.table_row(row)
        return CellStyle(fmts[column - 1] if column - 1 < len(fmts) else None, row in self.bold_rows,
                         self.fills[row - 1] if row - 1 < len(self.fills) else None, row == self.header_row,
                         centred)

    def cells(self) -> Iterator[tuple[int, int, object, CellStyle]]:
        """Every cell to write as ``(row, column, value, style)``, 1-based; filled rows span ``width``."""
        for i, values in enumerate(self.rows):
            n = self.width if self.fills[i] else len(values)
            for j in range(n):
                value = values[j] if j < len(values) else None
                style = self.style(i + 1, j + 1)
                if value is None and style == CellStyle():
                    continue
                yield i + 1, j + 1, value, style


@dataclass(frozen=True)
class OutputSheets:
    """Everything one *Hitung Indeks* run writes."""

    sheets: tuple[SheetModel, ...]
    rekap_colours: dict = field(default_factory=dict)
    """``{kode: '#RRGGBB'}`` of every ranked OPD (category colour), for the Rekap rows."""

    def sheet(self, name: str) -> SheetModel:
        return next(s for s in self.sheets if s.name == name)


def needs_text_protection(value) -> bool:
    """A text value an input-parsing API (Excel, xlwings) would take as a formula (docs/arsitektur.md, Conventions)."""
    return isinstance(value, str) and looks_like_formula(value)


def _number(x):
    """A finite number as float, else None (NaN = not applicable/empty)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _whole(x):
    """An integral number as int (values read back from a sheet may be floats), else as it is."""
    if isinstance(x, float) and not math.isnan(x) and x.is_integer():
        return int(x)
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):  # numpy scalar
        return _whole(x.item())
    return x


def _records(df: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``df`` as ``itertuples(index=False)`` gives them, from each column's ``tolist()``: iterating a
    text column of pandas' string type goes through Python one element at a time (22,000 OPDs: ~0.3 s)."""
    row = namedtuple("Baris", df.columns, rename=True)  # type: ignore[misc]
    return map(row._make, zip(*(df[c].tolist() for c in df.columns)))


def _yes_no(flag: bool) -> str:
    return YES if flag else NO


def _count(masalah, tingkat) -> int:
    return sum(1 for m in masalah if m.tingkat == tingkat)


def provisional_banner(result: PeriodResult) -> str | None:
    """Row 3 of Peringkat: the SEMENTARA banner, or None when the result is complete."""
    if not result.sementara:
        return None
    return f"{sementara(_count(result.masalah, GALAT), result.prizes_withheld)} {LIHAT_MASALAH}"


MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters of one cell; longer text makes Excel repair the file."""


def fit_cell_text(value):
    """``value``, or text longer than :data:`MAX_CELL_TEXT` cut to fit with a visible marker saying how much
    was left out (the Log row's parameter JSON grows with the parameter tables)."""
    if not isinstance(value, str) or len(value) <= MAX_CELL_TEXT:
        return value
    keep = MAX_CELL_TEXT - len(f" …[dipotong {len(value)} karakter]")  # the count never has more digits
    return f"{value[:keep]} …[dipotong {len(value) - keep} karakter]"


def _fit_row(row) -> tuple:
    """A row with every text fitted (:func:`fit_cell_text`); a row whose texts all fit (every row but a Log row of a
    huge parameter sheet) is checked with one pass in C over its texts' lengths."""
    texts = [v for v in row if isinstance(v, str)]
    if not texts or max(map(len, texts)) <= MAX_CELL_TEXT:
        return tuple(row)
    return tuple(map(fit_cell_text, row))


def _model(name, rows, formats, fills, bold_rows, widths, header_row=1, **layout) -> SheetModel:
    """A sheet whose header row stays on screen (``layout``: centred columns, print setup)."""
    return SheetModel(name, tuple(map(_fit_row, rows)), tuple(tuple(f) for f in formats),
                      tuple(fills), frozenset(bold_rows), tuple(float(w) for w in widths), header_row,
                      freeze_below=header_row, **layout)


def peringkat_title(result: PeriodResult) -> str:
    """Row 1 of Peringkat (and the title of the CLI's ranking table)."""
    return f"Peringkat Indeks Kinerja OPD — {Period(result.tahun, result.triwulan).title()}"


def _uses(result: PeriodResult) -> tuple[bool, bool, tuple[str, ...]]:
    """What of issue-15's scheme a result uses: peer groups, a weighted Ketepatan Waktu, extra components."""
    groups = bool(result.hasil["kelompok"].notna().any())
    return groups, result.parameter.weights().get(KETEPATAN, 0) > 0, result.parameter.extra_components()


def _component_columns(result: PeriodResult) -> list[tuple[str, Callable[[Any], float | None]]]:
    """Ketepatan Waktu (when weighted) and each extra component: (header, value of a hasil row)."""
    _, ketepatan, extras = _uses(result)

    def extra(label: str) -> Callable[[Any], float | None]:
        return lambda r: _number(r.komponen_lain.get(label))

    cols: list[tuple[str, Callable[[Any], float | None]]] = []
    if ketepatan:
        cols.append(("Ketepatan Waktu", lambda r: _number(r.ketepatan)))
    return cols + [(label, extra(label)) for label in extras]


def build_peringkat(result: PeriodResult, run_time: datetime) -> SheetModel:
    """Peringkat: title, time, banner, headers in row 5, ranked OPDs in category colour, then unranked.

    With peer groups each group is a block under its own title row (its ranks, prizes and
    lowest N) and *Peringkat Umum* follows *Peringkat*; Ketepatan Waktu (when weighted) and
    extra components follow P3DN (docs/metode.md). Without them the sheet is as it always was.
    """
    groups, _, _ = _uses(result)
    extra = _component_columns(result)
    headers = (*PERINGKAT_HEADERS[:1], *(("Peringkat Umum",) if groups else ()), *PERINGKAT_HEADERS[1:8],
               *(h for h, _ in extra), *PERINGKAT_HEADERS[8:])
    row_formats = (*_PERINGKAT_FORMATS[:1], *((None,) if groups else ()), *_PERINGKAT_FORMATS[1:8],
                   *(FORMAT_DECIMAL for _ in extra), *_PERINGKAT_FORMATS[8:])
    n = len(headers)
    blank = (None,) * n
    rows: list[tuple] = [(peringkat_title(result),), (f"Dihitung: {fmt.waktu_sel(run_time)}",),
                         (provisional_banner(result),), (_catatan_p3dn(result),), headers]
    formats: list[tuple] = [blank] * PERINGKAT_HEADER_ROW
    fills: list[str | None] = [None] * PERINGKAT_HEADER_ROW
    bold = {1, PERINGKAT_HEADER_ROW} | ({3} if result.sementara else set())
    kelompok = object()
    for r in _records(result.hasil):
        if groups and r.kelompok != kelompok:
            kelompok = r.kelompok
            rows.append((f"Kelompok {kelompok}",))
            formats.append(blank)
            fills.append(None)
            bold.add(len(rows))
        rows.append((int(r.peringkat), *((int(r.peringkat_umum),) if groups else ()), r.kode, r.nama, r.singkatan,
                     _number(r.serapan), _number(r.fisik), _number(r.cakin), _number(r.p3dn),
                     *(value(r) for _, value in extra), _number(r.indeks), r.kategori, r.zona, int(r.hadiah),
                     KETERANGAN_TERENDAH if r.terendah else None))
        formats.append(row_formats)
        fills.append(r.warna)
    for r in _records(result.unranked):
        rows.append((None, *((None,) if groups else ()), r.kode, r.nama, r.singkatan)
                    + (None,) * (n - 5 - groups) + (KETERANGAN_UNRANKED,))
        formats.append(blank)
        fills.append(None)
    widths = (10, *((10,) if groups else ()), 10, 44, 14, 11, 11, 13, 9, *(11 for _ in extra), 9, 14, 9, 15, 28)
    centred = frozenset(j + 1 for j, h in enumerate(headers) if h in _CENTRED)
    return _model(SHEET_PERINGKAT, rows, formats, fills, bold, widths, PERINGKAT_HEADER_ROW,
                  centred_columns=centred, page=PageSetup(peringkat_title(result)))


def _catatan_p3dn(result: PeriodResult) -> str | None:
    """Row 4 of Peringkat: why some P3DN cells are empty, when P3DN counts and some OPD has none."""
    weighted = result.parameter.weights().get("p3dn", 0) > 0
    return CATATAN_P3DN if weighted and bool(result.hasil["p3dn"].isna().any()) else None


def riwayat_headers(result: PeriodResult, existing=None) -> tuple[str, ...]:
    """Riwayat's columns: :data:`RIWAYAT_HEADERS`, then Kelompok, Peringkat Umum, Ketepatan Waktu and extra
    components when this run uses them or the sheet already has them (history is never dropped)."""
    groups, _, _ = _uses(result)
    wanted = [*(("Kelompok", "Peringkat Umum") if groups else ()), *(h for h, _ in _component_columns(result))]
    if existing is not None:
        sheet = existing if isinstance(existing, Sheet) else Sheet("", [list(r) for r in existing])
        i, _, _ = find_header_row(sheet, {header_key(h): h for h in RIWAYAT_HEADERS})
        known = {header_key(h) for h in RIWAYAT_HEADERS}
        wanted += [read_text(v) for v in (sheet.values[i] if i >= 0 else ()) if read_text(v)
                   and header_key(v) not in known]
    return (*RIWAYAT_HEADERS, *dict.fromkeys(wanted))


def riwayat_rows(result: PeriodResult, run_time: datetime, headers: tuple[str, ...] = RIWAYAT_HEADERS) -> list[tuple]:
    """This period's Riwayat rows (ranked OPDs, in ranking order), in ``headers`` order."""
    waktu = read_moment(run_time)
    extra: dict[str, Callable[[Any], object]] = dict(_component_columns(result))
    extra["Kelompok"] = lambda r: r.kelompok
    extra["Peringkat Umum"] = lambda r: int(r.peringkat_umum)
    tail = headers[len(RIWAYAT_HEADERS):]
    return [(result.tahun, result.triwulan, r.kode, r.nama, _number(r.serapan), _number(r.fisik),
             _number(r.cakin), _number(r.p3dn), _number(r.indeks), int(r.peringkat), r.kategori, r.zona,
             int(r.hadiah), _yes_no(bool(r.terendah)), _yes_no(result.sementara), waktu,
             *(extra[h](r) if h in extra else None for h in tail))
            for r in _records(result.hasil)]


def existing_rows(rows, headers: tuple[str, ...], sheet_name: str = "") -> list[tuple]:
    """Data rows of an owned sheet as read back (header row first, any column order), in ``headers`` order.

    ``rows`` is a list of row value lists or a :class:`~indeks_opd.contract.sheets.Sheet`; the header
    row is found by header text, blank rows are dropped, extra columns are ignored; moments
    (:data:`MOMENT_HEADERS`) come back as ``datetime`` whoever wrote and read them. A sheet
    holding data without a recognisable header raises ``UnusableWorkbook`` rather than
    letting a run wipe rows it cannot read (Riwayat and Log keep history).
    """
    if rows is None:
        return []
    sheet = rows if isinstance(rows, Sheet) else Sheet("", [list(r) for r in rows])
    header_map = {header_key(h): i for i, h in enumerate(headers)}
    header_row, columns, _ = find_header_row(sheet, header_map)
    if header_row < 0 or 0 not in columns:  # the first header (Tahun, Waktu) identifies the table
        if any(v not in (None, "") for row in sheet.values for v in row):
            raise UnusableWorkbook([galat(
                f"Sheet '{sheet_name}' sudah berisi data tetapi judul kolomnya ({', '.join(headers[:3])}, …) "
                "tidak ditemukan, jadi isinya tidak bisa dipertahankan. Perbaiki judul kolomnya atau ganti "
                "nama sheet itu, lalu hitung lagi.", sheet=sheet_name)])
        return []
    out = []
    moments = {i for i, h in enumerate(headers) if h in MOMENT_HEADERS}
    for values in sheet.values[header_row + 1:]:
        rec: list[object] = [None] * len(headers)
        for i, j in columns.items():
            v = values[j] if j < len(values) else None
            rec[i] = None if v == "" else read_moment(v) if i in moments else _whole(v)
        if any(v is not None for v in rec):
            out.append(tuple(rec))
    return out


def _riwayat_key(row: tuple):
    return _riwayat_order(row[0], row[1], row[9], row[3])


def _riwayat_order(tahun, triwulan, peringkat, nama) -> tuple:
    """Riwayat's order: period, then rank, then name (a missing number last)."""
    def num(v, missing):
        return v if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)) else missing

    return (num(tahun, math.inf), num(triwulan, math.inf), num(peringkat, math.inf), str(nama or ""))


def riwayat_kept_rows(result: PeriodResult, existing) -> tuple[int, int] | None:
    """Worksheet rows ``(2, k)`` of Riwayat that a writer editing the file can keep as they are, or None.

    They are the rows of the periods before the computed one when the sheet is exactly what
    rewriting it would give there: the header row in row 1 equal to :func:`riwayat_headers`,
    then those rows with no blank row between them, nothing right of the table, already in
    Riwayat's order, followed only by the computed period's rows (replaced) and blank rows.
    Then the sheet's cost no longer grows with its history (benchmarks/RESULTS.md); recomputing
    an earlier quarter, or a sheet edited by hand, is rewritten whole (:func:`build_riwayat`).
    ``existing`` is the grid as read; :func:`riwayat_kept_from_keys` decides the same from the
    keys a reader took from the sheet's bytes.
    """
    if not isinstance(existing, Sheet) or (existing.first_row, existing.first_column) != (1, 1) or not existing.values:
        return None
    width = riwayat_header_width(result, existing.values[0])
    if not width:
        return None
    blank = {None, ""}
    keys = []
    for values in existing.values[1:]:
        if not blank.issuperset(values[width:]):
            return None
        if blank.issuperset(values[:width]):
            keys.append((-1, -1, math.inf, True))
            continue
        if len(values) < width:
            values = [*values, *[None] * (width - len(values))]
        tahun, triwulan = _whole(values[0]), _whole(values[1])
        if type(tahun) is not int or type(triwulan) is not int:
            return None
        keys.append((*_riwayat_order(tahun, triwulan, _whole(values[9]), None)[:3], False))
    tahun, triwulan, peringkat, kosong = (np.array(k) for k in zip(*keys)) if keys else ((np.array([]),) * 4)
    return riwayat_kept_from_keys(result, tahun, triwulan, peringkat, kosong.astype(bool),
                                  lambda i: str(_whole(existing.cell(i + 1, 3)) or ""))


def riwayat_header_width(result: PeriodResult, header_row) -> int:
    """The number of columns when Riwayat's row 1 as read (``header_row``: its values) is the header a rewrite
    writes (:func:`riwayat_headers`: the first row holding all of its headers is the one read), else 0."""
    header = [read_text(v) for v in header_row]
    while header and header[-1] is None:
        header.pop()
    return len(header) if tuple(header) == riwayat_headers(result, Sheet(SHEET_RIWAYAT, [list(header_row)])) else 0


def riwayat_kept_from_keys(result: PeriodResult, tahun, triwulan, peringkat, kosong,
                           name_of: Callable[[int], str]) -> tuple[int, int] | None:
    """:func:`riwayat_kept_rows` from the rows' keys, whoever read them (the header already compared).

    Arrays over worksheet rows 2, 3, …: ``tahun``, ``triwulan`` (whole numbers), ``peringkat`` (a number,
    ``math.inf`` where there is none) and ``kosong`` (True for a blank row, whose keys are ignored);
    ``name_of(i)`` is row ``i + 2``'s Nama OPD, asked only between rows whose other keys are equal (Riwayat's
    order: period, rank, then name)."""
    tahun, triwulan, kosong = np.asarray(tahun), np.asarray(triwulan), np.asarray(kosong, dtype=bool)
    earlier = ~kosong & ((tahun < result.tahun) | (tahun == result.tahun) & (triwulan < result.triwulan))
    later = ~kosong & ((tahun > result.tahun) | (tahun == result.tahun) & (triwulan > result.triwulan))
    n = int(np.argmin(earlier)) if not earlier.all() else len(earlier)  # rows 2..n+1 are of earlier periods
    if n == 0 or later.any() or earlier[n:].any():  # after them only the computed period's rows, or blank ones
        return None
    t, w, p = tahun[:n], triwulan[:n], np.asarray(peringkat, dtype=float)[:n]
    same_t, same_w, same_p = t[1:] == t[:-1], w[1:] == w[:-1], p[1:] == p[:-1]
    after = (t[1:] > t[:-1]) | same_t & ((w[1:] > w[:-1]) | same_w & (p[1:] > p[:-1]))
    ties = same_t & same_w & same_p
    if not (after | ties).all() or any(name_of(i + 1) < name_of(i) for i in map(int, np.flatnonzero(ties))):
        return None
    return 2, n + 1


def build_riwayat(result: PeriodResult, run_time: datetime, existing=None,
                  kept: tuple[int, int] | None = None) -> SheetModel:
    """Riwayat: the other periods' rows as they were plus this period's rows, sorted.

    ``kept``: :func:`riwayat_kept_rows` of ``existing``; those rows are left to the file writer
    (empty rows in the model), this period's rows follow them."""
    headers = riwayat_headers(result, existing)
    if kept is not None:
        body = [()] * (kept[1] - 1) + sorted(riwayat_rows(result, run_time, headers), key=_riwayat_key)
    else:
        others = [r for r in existing_rows(existing, headers, SHEET_RIWAYAT)
                  if (r[0], r[1]) != (result.tahun, result.triwulan)]
        body = sorted(others + riwayat_rows(result, run_time, headers), key=_riwayat_key)
    rows = [headers, *body]
    tail = headers[len(RIWAYAT_HEADERS):]
    formats = [(None,) * len(headers)] + [(*_RIWAYAT_FORMATS, *(None if h in ("Kelompok", "Peringkat Umum")
                                                                  else FORMAT_DECIMAL for h in tail))] * len(body)
    widths = (8, 9, 10, 44, 11, 11, 13, 9, 9, 10, 14, 9, 15, 10, 11, 22, *(16 if h == "Kelompok" else 11 for h in tail))
    return _model(SHEET_RIWAYAT, rows, formats, [None] * len(rows), {1}, widths, kept=kept)


def build_masalah(result: PeriodResult) -> SheetModel:
    """Masalah: one row per problem of the computed period, galat rows first as the core lists them."""
    rows: list[tuple] = [MASALAH_HEADERS]
    fills: list[str | None] = [None]
    for m in result.masalah:
        rows.append((m.tingkat.capitalize(), m.lokasi or None, m.kode, m.pesan, result.tahun, result.triwulan))
        fills.append(FILL_GALAT if m.tingkat == GALAT else FILL_PERINGATAN)
    if not result.masalah:
        rows.append((TIDAK_ADA_MASALAH,))
        fills.append(None)
    formats = [(None,) * len(MASALAH_HEADERS)] * len(rows)
    return _model(SHEET_MASALAH, rows, formats, fills, {1}, (12, 18, 10, 90, 8, 9))


def _canonical(value):
    """JSON-ready form of a cell value from the input frames (NaN → None, numpy → Python)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, (bool, int, str)):
        return value
    return str(value)


_RECORD_JSON = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(x, ensure_ascii=False)`` without building an encoder per call (one call per input row)."""

_JSON_STRING = json.encoder.encode_basestring
"""What :data:`_RECORD_JSON` writes for a text: the json module's own function for it, called directly (the
encoder's dispatch cost more than the encoding on 25,000 distinct names)."""


def _json_texts(column: pd.Series) -> list[str]:
    """The JSON text :data:`_RECORD_JSON` writes for each value's canonical form (:func:`_canonical`).

    Finite floats are written directly (an integral one as an int, like ``_canonical``); each
    distinct value is encoded once (periods, codes, names and units repeat on every indicator row).
    """
    if column.dtype == np.float64:  # a number column: its checks run on the array it already is
        numbers = column.to_numpy()
        blank = np.isnan(numbers)
        if blank.all():
            return ["null"] * len(numbers)
        if np.isfinite(numbers[~blank]).all() and (np.abs(numbers[~blank]) < 2.0 ** 53).all():
            constant = not blank.any() and numbers.min() == numbers.max()  # Tahun, Triwulan: one value in every row
            values = numbers[:1].tolist() if constant else numbers.tolist()
            texts = {v: "null" if v != v else str(int(v)) if v.is_integer() else float.__repr__(v) for v in set(values)}
            return [texts[values[0]]] * len(numbers) if constant else list(map(texts.__getitem__, values))
    values = column.tolist()
    if set(map(type, values)) <= {str, type(None)}:  # a text column: each distinct text encoded once
        encoded = {v: "null" if v is None else _JSON_STRING(v) for v in set(values)}
        return list(map(encoded.__getitem__, values))
    seen: dict[str, str] = {}
    out = []
    for v in values:
        if type(v) is float and v - v == 0.0:
            out.append(str(int(v)) if v.is_integer() else float.__repr__(v))
        elif v is None or (type(v) is float and v != v):
            out.append("null")
        elif type(v) is bool:  # Aktif: one encoder call per value cost more than the rest of the column
            out.append("true" if v else "false")
        elif type(v) is int:
            out.append(int.__repr__(v))
        elif type(v) is str:
            text = seen.get(v)
            if text is None:
                text = seen[v] = _JSON_STRING(v)
            out.append(text)
        else:
            out.append(_RECORD_JSON(_canonical(v)))
    return out


_RECORDS_AT_ONCE = 50_000
"""Rows whose cell texts :func:`frame_records` holds at once (440,000 Indikator rows: ~150 MB less at the peak)."""


FIRST_COLUMNS = {
    "opd": frozenset({"kode", "nama", "singkatan", "aktif"}),
    "realisasi": frozenset({"tahun", "triwulan", "kode", "pagu", "target_keuangan", "realisasi_keuangan",
                            "target_fisik", "realisasi_fisik", "target_p3dn", "realisasi_p3dn"}),
    "indikator": frozenset({"tahun", "triwulan", "kode", "program", "indikator", "satuan", "arah", "target",
                            "realisasi", "bobot"}),
}
"""The input columns fingerprints hashed before any optional column existed (docs/alur.md, "Sidik"). Every
column added since — Kelompok, Tanggal Diterima, extra component scores, Bukti Dukung — is left out of a
fingerprint while it is blank in every row hashed, so the same data keeps its fingerprint when a scheme
gains a column: the default scheme's Sidik Data is the one of the first version, and adding a component
after a period was locked is not an edit of that period."""

LOCKED_COLUMNS = {**FIRST_COLUMNS, "realisasi": FIRST_COLUMNS["realisasi"] | {"tanggal_diterima"}}
"""The columns the lock fingerprints (``Sidik Periode``) hash even when blank: those of the version that
introduced locks, which read a blank Tanggal Diterima into every Realisasi row (its locks still match)."""


def frame_records(df: pd.DataFrame, always: frozenset[str]) -> list:
    """Rows of a frame without the worksheet row numbers, sorted canonically (row order is not data).

    Each row is the text ``_RECORD_JSON(list(row))`` would give, joined column-wise from
    :func:`_json_texts` (one encoder call per row took most of a large workbook's Log row).
    A column not in ``always`` (:data:`FIRST_COLUMNS`, :data:`LOCKED_COLUMNS`) is left out while blank in every row."""
    cols = sorted(c for c in df.columns if c != "baris" and (c in always or not bool(df[c].isna().all())))
    records: list[str] = []
    for start in range(0, len(df), _RECORDS_AT_ONCE):  # a slice at a time: the texts of one slice in memory
        part = df.iloc[start:start + _RECORDS_AT_ONCE]
        columns = [_json_texts(part[c]) for c in cols]
        if columns:  # each row's brackets ride on its first and last cell: the rows are joined in C
            columns[0] = ["[" + t for t in columns[0]]
            columns[-1] = [t + "]" for t in columns[-1]]
        records += map(", ".join, zip(*columns))
    records.sort()
    return [cols, records]


def rows_fingerprint(rows: object) -> str:
    """SHA-256 (hex) of JSON-ready rows (or a document) in a canonical JSON form, as :func:`data_fingerprint` hashes:
    the UTF-8 of ``json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, fed to the hash
    in pieces (:func:`_json_pieces`) so that the text of 440,000 input rows is never held whole."""
    h = hashlib.sha256()
    for piece in _json_pieces(rows):
        h.update(piece.encode("utf-8"))
    return h.hexdigest()


_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _json_pieces(value) -> Iterator[str]:
    """The text :data:`_CANONICAL_JSON` writes for ``value``, in pieces: dicts with text keys and lists are
    walked, a list of texts (a frame's records) is written a slice of :data:`_RECORDS_AT_ONCE` at a time."""
    if isinstance(value, dict) and all(type(k) is str for k in value):
        yield "{"
        for k, key in enumerate(sorted(value)):
            yield ("," if k else "") + _CANONICAL_JSON(key) + ":"
            yield from _json_pieces(value[key])
        yield "}"
    elif isinstance(value, list) and all(type(v) is str for v in value):
        yield "["
        for start in range(0, len(value), _RECORDS_AT_ONCE):  # the texts of a slice, without its brackets
            yield ("," if start else "") + _CANONICAL_JSON(value[start:start + _RECORDS_AT_ONCE])[1:-1]
        yield "]"
    elif isinstance(value, list):
        yield "["
        for k, v in enumerate(value):
            if k:
                yield ","
            yield from _json_pieces(v)
        yield "]"
    else:
        yield _CANONICAL_JSON(value)


def data_fingerprint(data: InputData, tahun: int, triwulan: int) -> str:
    """SHA-256 (hex) of the input used for a period: OPD rows, the period's Realisasi and Indikator rows
    and the parameters, in a canonical JSON form (independent of row order and worksheet rows)."""
    doc = {
        "opd": frame_records(data.opd, FIRST_COLUMNS["opd"]),
        "realisasi": frame_records(select_period(data.realisasi, tahun, triwulan), FIRST_COLUMNS["realisasi"]),
        "indikator": frame_records(select_period(data.indikator, tahun, triwulan), FIRST_COLUMNS["indikator"]),
        "parameter": data.parameter.snapshot(),
    }
    return rows_fingerprint(doc)


def log_row(result: PeriodResult, data: InputData, run_time: datetime) -> tuple:
    """The one Log row a run appends."""
    return (read_moment(run_time), result.tahun, result.triwulan, _yes_no(result.sementara),
            len(result.hasil), _count(result.masalah, GALAT), len(result.masalah) - _count(result.masalah, GALAT),
            data_fingerprint(data, result.tahun, result.triwulan),
            json.dumps(result.parameter.snapshot(), ensure_ascii=False, sort_keys=True), __version__, LOG_HITUNG,
            None, None, None, None)


def build_log(result: PeriodResult, data: InputData, run_time: datetime, existing=None) -> SheetModel:
    """Log: the rows already there, unchanged, plus this run's row."""
    return log_sheet(existing, [log_row(result, data, run_time)])


def log_sheet(existing, new_rows: list[tuple]) -> SheetModel:
    """Log: the rows already there (``existing`` as read back), unchanged, plus ``new_rows``; each row's
    time (ISO text from the workflow, :class:`~indeks_opd.alur.rules.Actor`) is a date-time."""
    body = [(read_moment(r[0]), *r[1:]) for r in (*existing_rows(existing, LOG_HEADERS, SHEET_LOG), *new_rows)]
    rows = [LOG_HEADERS, *body]
    formats = [(None,) * len(LOG_HEADERS)] + [(FORMAT_WAKTU,) + (None,) * (len(LOG_HEADERS) - 1)] * len(body)
    widths = (22, 8, 9, 11, 12, 10, 12, 66, 60, 8, 30, 10, 16, 60, 66)
    return _model(SHEET_LOG, rows, formats, [None] * len(rows), {1}, widths)


def build_outputs(result: PeriodResult, data: InputData, run_time: datetime, existing_riwayat=None,
                  existing_log=None, riwayat_kept: tuple[int, int] | None = None) -> OutputSheets:
    """Every output sheet of one *Hitung Indeks* run.

    ``existing_riwayat`` and ``existing_log`` are the current contents of those sheets as read
    from the workbook (rows of values, header row included, or a ``Sheet``; None when the
    sheet does not exist yet). ``run_time`` is the local time of the run. ``riwayat_kept``: the
    Riwayat rows a file writer keeps as they are (:func:`riwayat_kept_rows`; never for a writer
    that replaces the whole sheet).
    """
    sheets = (build_peringkat(result, run_time), build_riwayat(result, run_time, existing_riwayat, riwayat_kept),
              build_masalah(result), build_log(result, data, run_time, existing_log))
    return OutputSheets(sheets, rekap_colours=dict(zip(result.hasil["kode"], result.hasil["warna"])))


@dataclass(frozen=True)
class RowFill:
    """Fill ``colour`` over columns ``first_column..last_column`` of worksheet row ``row`` (1-based)."""

    row: int
    first_column: int
    last_column: int
    colour: str


def rekap_row_fills(rekap: Sheet, colours: dict) -> list[RowFill]:
    """The fills to apply in Rekap: each row whose *Kode OPD* is a ranked OPD, over the table's used columns.

    ``rekap`` is the sheet's grid as read (values only are needed). The table's columns are the
    contiguous non-blank header cells around *Kode OPD* in its header row. Codes are compared as
    text read the way the contract reads them (:func:`indeks_opd.contract.numbers.read_text`: ``'2.15'`` and
    ``2.15`` match).
    """
    header_row, columns, _ = find_header_row(rekap, {"kodeopd": "kode"})
    if header_row < 0:
        return []
    headers = rekap.values[header_row]
    k = columns["kode"]
    first = k
    while first > 0 and headers[first - 1] not in (None, ""):
        first -= 1
    last = k
    while last + 1 < len(headers) and headers[last + 1] not in (None, ""):
        last += 1
    by_text = {read_text(kode): warna for kode, warna in colours.items()}
    fills = []
    for i in range(header_row + 1, len(rekap.values)):
        colour = by_text.get(read_text(rekap.cell(i, k)))
        if colour:
            fills.append(RowFill(rekap.row_number(i), rekap.first_column + first, rekap.first_column + last,
                                 colour))
    return fills

