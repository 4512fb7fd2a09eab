"""The workflow's sheets as output models: ``Status``, ``Periode`` and the ``Log`` rows of state changes.

Pure, like :mod:`indeks_opd.contract.output_sheets` (whose :class:`SheetModel` both writers render):
the file writer and the xlwings ``Book`` writer write these models whole. Reading back
goes through :func:`indeks_opd.contract.output_sheets.existing_rows` (header found by text, any
column order), so a sheet holding data without its headers is refused, never wiped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from indeks_opd import __version__
from indeks_opd.alur.rules import (
    DITERIMA,
    PERLU_PERBAIKAN,
    STATUSES,
    TERBUKA,
    TERKUNCI,
    TERVERIFIKASI,
    Event,
    OpdStatus,
    PeriodState,
    Workflow,
)
from indeks_opd.contract.numbers import read_moment, read_text
from indeks_opd.contract.output_sheets import FORMAT_WAKTU, LOG_HEADERS, MOMENT_HEADERS, SheetModel, existing_rows
from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.core.period import TRIWULAN, Period
from indeks_opd.present import style

SHEET_STATUS = "Status"
SHEET_PERIODE = "Periode"
STATUS_HEADERS = ("Tahun", "Triwulan", "Kode OPD", "Nama OPD", "Status", "Diterima Pada", "Diverifikasi Oleh",
                  "Diverifikasi Pada", "Catatan")
PERIODE_HEADERS = ("Tahun", "Triwulan", "Status", "Oleh", "Pada", "Alasan")

STATUS_FILLS = {DITERIMA: f"#{style.WARN}", PERLU_PERBAIKAN: f"#{style.BAD}", TERVERIFIKASI: f"#{style.GOOD}"}
"""Row colour per status (Belum Dikirim: none): waiting yellow, to fix red, verified green."""
FILL_TERKUNCI = "#D9D9D9"


def _table(name: str, headers: tuple[str, ...], body: list[tuple], fills: list[str | None],
           widths: tuple[float, ...]) -> SheetModel:
    """A sheet of ``headers`` over ``body``; the moments (ISO text in the workflow's state) become date-times."""
    moments = [h in MOMENT_HEADERS for h in headers]
    body = [tuple(read_moment(v) if moment else v for v, moment in zip(r, moments)) for r in body]
    rows = (headers, *body)
    row_formats = tuple(FORMAT_WAKTU if moment else None for moment in moments)
    return SheetModel(name, tuple(tuple(r) for r in rows), ((None,) * len(headers),) + (row_formats,) * len(body),
                      (None, *fills), frozenset({1}), tuple(float(w) for w in widths), freeze_below=1)


STATUS_HEADER_ROW = 4
"""Status has a title area above its table: the master's workflow buttons sit on it (docs/alur.md)."""
STATUS_TITLE = "Status Alur Triwulan"
STATUS_NOTE = "Pilih baris OPD, lalu tekan Verifikasi atau Perlu Perbaikan."


def build_status(wf: Workflow) -> SheetModel:
    """Status: a title, how to act on rows, then one row per OPD and period, coloured by status (headers in row 4)."""
    body = [(s.tahun, s.triwulan, s.kode, s.nama, s.status, s.diterima_pada, s.diverifikasi_oleh,
             s.diverifikasi_pada, s.catatan) for s in wf.opd]
    table = _table(SHEET_STATUS, STATUS_HEADERS, body, [STATUS_FILLS.get(s.status) for s in wf.opd],
                   (8, 9, 10, 40, 16, 22, 18, 22, 70))
    top = ((STATUS_TITLE,), (STATUS_NOTE,), ())
    return replace(table, rows=(*top, *table.rows), formats=(((None,),) * len(top) + table.formats),
                   fills=(None,) * len(top) + table.fills, bold_rows=frozenset({1, STATUS_HEADER_ROW}),
                   header_row=STATUS_HEADER_ROW, freeze_below=STATUS_HEADER_ROW)


def build_periode(wf: Workflow) -> SheetModel:
    """Periode: one row per period ever locked, with its last lock or unlock."""
    body = [(p.tahun, p.triwulan, p.status, p.oleh, p.pada, p.alasan) for p in wf.periode]
    return _table(SHEET_PERIODE, PERIODE_HEADERS, body,
                  [FILL_TERKUNCI if p.status == TERKUNCI else None for p in wf.periode], (8, 9, 11, 18, 22, 60))


def event_log_row(e: Event) -> tuple:
    """A state change as a ``Log`` row (columns of :data:`indeks_opd.contract.output_sheets.LOG_HEADERS`)."""
    values = {"Waktu": e.waktu, "Tahun": e.tahun, "Triwulan": e.triwulan, "Sidik Data": e.sidik_data,
              "Versi": __version__, "Peristiwa": e.peristiwa, "Kode OPD": e.kode, "Oleh": e.oleh,
              "Alasan": e.alasan, "Sidik Periode": e.sidik_periode}
    return tuple(values.get(h) for h in LOG_HEADERS)


def _text(v) -> str | None:
    if isinstance(v, datetime):  # a moment (MOMENT_HEADERS), kept as ISO text in the workflow's state
        return v.isoformat(timespec="seconds")
    return read_text(v)


def _period_numbers(row: tuple, sheet: str) -> tuple[int, int]:
    tahun, triwulan = row[0], row[1]
    if not isinstance(tahun, int) or triwulan not in TRIWULAN:
        raise UnusableWorkbook([galat(
            f"Baris dengan Tahun '{tahun}' dan Triwulan '{triwulan}' di sheet {sheet} tidak terbaca. Sheet ini ditulis "
            "oleh indeks-opd: kembalikan isinya (lihat berkas cadangan di sebelah buku kerja).", sheet=sheet)])
    return tahun, triwulan


def read_workflow(status_sheet, periode_sheet) -> Workflow:
    """The workflow state from the ``Status`` and ``Periode`` sheets as read (grids or rows; None = absent)."""
    opd = []
    for row in existing_rows(status_sheet, STATUS_HEADERS, SHEET_STATUS):
        tahun, triwulan = _period_numbers(row, SHEET_STATUS)
        status = _text(row[4])
        if status not in STATUSES:
            raise UnusableWorkbook([galat(
                f"Status '{status}' (OPD {_text(row[2])}, {Period(tahun, triwulan).short()}) di sheet Status tidak dikenal; yang "
                f"sah: {', '.join(STATUSES)}. Ubah status dengan indeks-opd verifikasi, bukan dengan mengetik.",
                sheet=SHEET_STATUS)])
        opd.append(OpdStatus(tahun, triwulan, _text(row[2]), *(_text(v) for v in row[3:4]), status,
                             *(_text(v) for v in row[5:9])))
    periode = []
    for row in existing_rows(periode_sheet, PERIODE_HEADERS, SHEET_PERIODE):
        tahun, triwulan = _period_numbers(row, SHEET_PERIODE)
        status = _text(row[2])
        if status not in (TERBUKA, TERKUNCI):
            raise UnusableWorkbook([galat(
                f"Status periode '{status}' ({Period(tahun, triwulan).short()}) di sheet Periode tidak dikenal; yang sah: "
                f"{TERBUKA}, {TERKUNCI}. Kunci dan buka periode dengan indeks-opd kunci/buka.", sheet=SHEET_PERIODE)])
        periode.append(PeriodState(tahun, triwulan, status, *(_text(v) for v in row[3:6])))
    return Workflow(tuple(opd), tuple(periode))
