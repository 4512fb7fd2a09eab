"""Tamper evidence of locked periods (docs/alur.md): fingerprints recorded at lock time, checked later.

Locking writes in the ``Log`` row of the lock the SHA-256 of the period's rows of each sheet
that holds them — ``Realisasi`` and ``Indikator`` (the input rows, hashed canonically as
:func:`indeks_opd.contract.output_sheets.data_fingerprint` hashes them) and ``Riwayat`` (the
results). Only the period's own rows count: adding an OPD or moving TahunAktif to the next
quarter does not touch a locked period. Every later ``hitung``, ``rapor`` and ``status``
recomputes them and reports a ``galat`` on each sheet whose rows of a locked period changed.
Pure: the rows are passed in.
"""

from __future__ import annotations

from datetime import datetime

from indeks_opd.alur.rules import BUKA, KUNCI, Workflow, periode_text, shown_time
from indeks_opd.contract.output_sheets import (
    LOCKED_COLUMNS,
    LOG_HEADERS,
    RIWAYAT_HEADERS,
    SHEET_LOG,
    SHEET_RIWAYAT,
    existing_rows,
    frame_records,
    rows_fingerprint,
)
from indeks_opd.core import InputData
from indeks_opd.core.masalah import Masalah, galat
from indeks_opd.core.pipeline import select_period

FINGERPRINTED = ("Realisasi", "Indikator", SHEET_RIWAYAT)
_LOG = {h: i for i, h in enumerate(LOG_HEADERS)}


def _riwayat_of(riwayat, tahun: int, triwulan: int) -> list:
    """The period's Riwayat rows in canonical form. *Dihitung Pada* is ISO text to the second, as versions
    before issue 13 wrote it, so their locks still match; since then it is a date-time cell, which
    ``existing_rows`` reads back the same from openpyxl, calamine and Excel."""
    rows = existing_rows(riwayat, RIWAYAT_HEADERS, SHEET_RIWAYAT)
    return sorted(repr(tuple(v.isoformat(timespec="seconds") if isinstance(v, datetime) else v for v in r))
                  for r in rows if (r[0], r[1]) == (tahun, triwulan))


def period_fingerprints(data: InputData, riwayat, tahun: int, triwulan: int) -> dict[str, str]:
    """SHA-256 of the period's rows per sheet; ``riwayat`` is the Riwayat sheet as read (None = absent)."""
    return {
        "Realisasi": rows_fingerprint(frame_records(select_period(data.realisasi, tahun, triwulan),
                                                    LOCKED_COLUMNS["realisasi"])),
        "Indikator": rows_fingerprint(frame_records(select_period(data.indikator, tahun, triwulan),
                                                    LOCKED_COLUMNS["indikator"])),
        SHEET_RIWAYAT: rows_fingerprint(_riwayat_of(riwayat, tahun, triwulan)),
    }


def format_fingerprints(sidik: dict[str, str]) -> str:
    """The ``Sidik Periode`` cell: ``Realisasi=<hex> Indikator=<hex> Riwayat=<hex>``."""
    return " ".join(f"{sheet}={sidik[sheet]}" for sheet in FINGERPRINTED)


def _parse(text) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in str(text or "").split() if "=" in part)
    return {k: v for k, v in pairs}


def tamper_findings(wf: Workflow, log, data: InputData, riwayat) -> list[Masalah]:
    """A ``galat`` per sheet whose rows of a locked period differ from what its lock recorded in ``Log``.

    ``log`` and ``riwayat`` are those sheets as read. A locked period without its lock row in
    the Log, or a period the Log says is locked while ``Periode`` says it is open, is a galat too
    (someone edited the record itself).
    """
    log_rows = existing_rows(log, LOG_HEADERS, SHEET_LOG)
    last_event = {}
    for row in log_rows:
        if row[_LOG["Peristiwa"]] in (KUNCI, BUKA):
            last_event[(row[_LOG["Tahun"]], row[_LOG["Triwulan"]])] = row
    hasil = []
    for lock in wf.locked_periods():
        periode = (lock.tahun, lock.triwulan)
        row = last_event.get(periode)
        if row is None or row[_LOG["Peristiwa"]] != KUNCI:
            hasil.append(galat(
                f"Periode {periode_text(*periode)} tercatat terkunci di sheet Periode, tetapi catatan kuncinya tidak ada "
                "di sheet Log: Log atau Periode telah diubah dengan tangan. Kembalikan dari berkas cadangan, atau buka "
                "lalu kunci lagi periode itu setelah datanya diperiksa.", sheet=SHEET_LOG, periode=periode))
            continue
        recorded = _parse(row[_LOG["Sidik Periode"]])
        now = period_fingerprints(data, riwayat, *periode)
        for sheet in FINGERPRINTED:
            if recorded.get(sheet) != now[sheet]:
                hasil.append(galat(
                    f"Data {periode_text(*periode)} di sheet {sheet} berubah setelah periode itu dikunci oleh "
                    f"{lock.oleh or '?'} pada {shown_time(lock.pada)} (sidik SHA-256 di sheet Log tidak cocok). "
                    "Periode terkunci tidak boleh diubah: kembalikan isinya dari berkas cadangan, atau buka kuncinya "
                    "(indeks-opd buka) bila perubahan itu memang disengaja, lalu hitung ulang.",
                    sheet=sheet, periode=periode))
    for periode, row in sorted(last_event.items()):
        if row[_LOG["Peristiwa"]] == KUNCI and wf.lock_of(*periode) is None:
            hasil.append(galat(
                f"Periode {periode_text(*periode)} dikunci oleh {row[_LOG['Oleh']] or '?'} pada "
                f"{shown_time(row[_LOG['Waktu']])} menurut sheet Log, tetapi sheet Periode tidak menyebutnya terkunci: "
                "kunci itu dihapus dengan tangan. Buka periode hanya dengan indeks-opd buka (alasannya tercatat); "
                "kembalikan sheet Periode dari berkas cadangan.", sheet="Periode", periode=periode))
    return hasil
