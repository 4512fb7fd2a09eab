"""File adapter of the workflow: read the state from a master on disk, apply a rule, write the sheets.

The rules are :mod:`indeks_opd.alur.rules`; this module only reads the master
(:func:`indeks_opd.files.writer.read_for_hitung`, one pass), asks who acts, and renders the
``Status``, ``Periode`` and ``Log`` models into the package (:func:`indeks_opd.files.writer.render_outputs`)
inside :mod:`indeks_opd.files.safe_write` — a refusal raises before anything is written, so the
master stays byte-identical.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from indeks_opd.alur.rules import (
    Actor,
    Change,
    Workflow,
    lock,
    open_period,
    receive,
    refuse_file,
    then,
    unlock,
    verify,
)
from indeks_opd.alur.sheets import SHEET_PERIODE, SHEET_STATUS, build_periode, build_status, event_log_row, read_workflow
from indeks_opd.alur.tamper import format_fingerprints, period_fingerprints, tamper_findings
from indeks_opd.contract import choose_period, require_openable
from indeks_opd.contract.output_sheets import (
    RIWAYAT_HEADERS,
    SHEET_LOG,
    SHEET_RIWAYAT,
    OutputSheets,
    SheetModel,
    data_fingerprint,
    existing_rows,
    log_sheet,
)
from indeks_opd.core import InputData
from indeks_opd.core.masalah import Masalah
from indeks_opd.files.safe_write import replace_atomically, workbook_lock
from indeks_opd.files.writer import WorkbookContents, read_for_hitung, render_outputs
from indeks_opd.files.xlsx_package import Package


def user_name() -> str:
    """Who acts: the operating-system user name (Windows: USERNAME)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return os.environ.get("USERNAME") or os.environ.get("USER") or "?"


def actor_now(now: datetime | None = None) -> Actor:
    return Actor(user_name(), (now or datetime.now()).isoformat(timespec="seconds"))


def workflow_of(contents: WorkbookContents) -> Workflow:
    return read_workflow(contents.existing.get(SHEET_STATUS), contents.existing.get(SHEET_PERIODE))


def active_opd(data: InputData) -> list[tuple[str, str | None]]:
    """``(kode, nama)`` of the active OPDs, in sheet order."""
    return [(k, n) for k, n, a in zip(data.opd["kode"], data.opd["nama"], data.opd["aktif"]) if k is not None and a]


def findings(contents: WorkbookContents, wf: Workflow | None = None) -> list[Masalah]:
    """Tamper findings of the master's locked periods (:func:`indeks_opd.alur.tamper.tamper_findings`)."""
    return tamper_findings(wf or workflow_of(contents), contents.existing.get(SHEET_LOG), contents.data,
                           contents.existing.get(SHEET_RIWAYAT))


def with_findings(data: InputData, found: list[Masalah]) -> InputData:
    """``data`` with the tamper findings (:func:`findings`) among its problems (docs/alur.md): the core counts a
    locked period's findings as galat of that period before it allocates prizes, so a tampered period is SEMENTARA
    with its prizes withheld like for any other galat (unless IzinkanHadiahSementara)."""
    return replace(data, masalah=[*found, *data.masalah]) if found else data


def change_models(existing: dict, change: Change) -> list[SheetModel]:
    """Status, Periode (once a period was ever locked) and Log with the change's events appended.

    ``existing``: the workbook's current sheets by canonical name (``Log``, ``Periode``; grids or None).
    """
    models = [build_status(change.workflow)]
    if change.workflow.periode or existing.get(SHEET_PERIODE) is not None:
        models.append(build_periode(change.workflow))
    models.append(log_sheet(existing.get(SHEET_LOG), [event_log_row(e) for e in change.events]))
    return models


def apply(path: Path | str, action: Callable[[WorkbookContents, Workflow, Actor], Change],
          now: datetime | None = None) -> tuple[WorkbookContents, Change]:
    """Read the master, run ``action`` (a rule; raising refuses) and write its change, under the file lock.

    Nothing is written when the action changes nothing.
    """
    path = Path(path)
    with workbook_lock(path):
        contents = read_for_hitung(path)
        change, models = decide(contents, action, now)
        if models:
            pkg = Package.open(path)
            render_outputs(pkg, OutputSheets(tuple(models)), None)
            with replace_atomically(path) as tmp:
                pkg.save(tmp)
    return contents, change


def decide(contents: WorkbookContents, action: Callable[[WorkbookContents, Workflow, Actor], Change],
           now: datetime | None = None) -> tuple[Change, list[SheetModel]]:
    """Run ``action`` on a master's contents (file or live workbook): the change and the sheets to write
    (none when nothing changed). Raising refuses; then nothing is written by any caller."""
    wf = workflow_of(contents)
    change = action(contents, wf, actor_now(now))
    if change.workflow == wf and not change.events:
        return change, []
    return change, change_models(contents.existing, change)


def import_change(wf: Workflow, data: InputData, plan, actor: Actor) -> Change:
    """The workflow side of an import (``plan``: :class:`indeks_opd.impor.run.ImportPlan` being written).

    Opens the period, marks each imported OPD ``Diterima`` and, with --lewati-bermasalah, each
    skipped file of an active OPD ``Perlu Perbaikan`` with a one-line summary of its galat.
    """
    aktif = active_opd(data)
    nama = dict(aktif)
    change = open_period(wf, aktif, plan.tahun, plan.triwulan, actor)
    for f in plan.to_import:
        change = then(change, receive(change.workflow, plan.tahun, plan.triwulan, f.kode, nama.get(f.kode), actor))
    for f in plan.bad:
        if f.kode in nama:
            change = then(change, refuse_file(change.workflow, plan.tahun, plan.triwulan, f.kode, nama[f.kode],
                                              problem_summary(f.path.name, f.masalah), actor))
    return change


def problem_summary(berkas: str, masalah: list[Masalah], limit: int = 300) -> str:
    """One line for the ``Catatan`` cell: how many galat, then each one where and what, shortened."""
    galat = [m for m in masalah if m.blocking]
    teks = f"{berkas}: {len(galat)} galat — " + "; ".join(f"{m.lokasi or 'berkas'}: {m.pesan.rstrip('.')}" for m in galat)
    return teks if len(teks) <= limit else teks[:limit - 1] + "…"


Rule = Callable[[WorkbookContents, Workflow, Actor, int, int], Change]


def in_period(tahun: int | None, triwulan: int | None, rule: Rule | None = None):
    """An action on one period (default TahunAktif/TriwulanAktif): open it for every active OPD, then ``rule``."""
    def action(contents: WorkbookContents, wf: Workflow, actor: Actor) -> Change:
        t, w = choose_period(contents.data, tahun, triwulan)
        if not wf.rows_of(t, w):  # a period already open stays usable whatever its data
            require_openable(contents.data, t, w)
        opened = open_period(wf, active_opd(contents.data), t, w, actor)
        return opened if rule is None else then(opened, rule(contents, opened.workflow, actor, t, w))
    return action


def verifying(kodes: list[str], perlu_perbaikan: bool, catatan: str | None, induk: str = "INDUK") -> Rule:
    """``induk``: the master as the user named it, for the unlock command a refusal suggests."""
    return lambda contents, wf, actor, t, w: verify(wf, t, w, kodes, actor, perlu_perbaikan, catatan, induk)


def locking(alasan: str, paksa: bool) -> Rule:
    """Lock with the period's fingerprints (:mod:`indeks_opd.alur.tamper`) recorded in the Log row."""
    def rule(contents: WorkbookContents, wf: Workflow, actor: Actor, t: int, w: int) -> Change:
        riwayat = contents.existing.get(SHEET_RIWAYAT)
        dihitung = any((r[0], r[1]) == (t, w) for r in existing_rows(riwayat, RIWAYAT_HEADERS, SHEET_RIWAYAT))
        return lock(wf, t, w, actor, alasan, paksa, dihitung, data_fingerprint(contents.data, t, w),
                    format_fingerprints(period_fingerprints(contents.data, riwayat, t, w)))
    return rule


def unlocking(alasan: str) -> Rule:
    return lambda contents, wf, actor, t, w: unlock(wf, t, w, actor, alasan)
