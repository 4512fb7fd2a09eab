"""The quarter as a workflow: OPD statuses, period locks and their refusals (docs/alur.md).

Pure: the state is data read from the ``Status`` and ``Periode`` sheets, who and when are
passed in, and every change returns the new state plus the ``Log`` events that record it.
The CLI commands and the Excel buttons call these same functions.

Statuses of an OPD in a period (``Status`` sheet)::

    Belum Dikirim --impor--> Diterima --verifikasi--> Terverifikasi
          |                    |  ^                        |
          |                    |  +--impor ulang (data berubah)
          +--impor ditolak--> Perlu Perbaikan <--verifikasi --perlu-perbaikan

A period is ``Terbuka`` or ``Terkunci`` (``Periode`` sheet); nothing about a locked period
changes until it is unlocked, and locking needs every OPD ``Terverifikasi`` unless forced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.core.period import Period
from indeks_opd.present import fmt

BELUM_DIKIRIM = "Belum Dikirim"
DITERIMA = "Diterima"
PERLU_PERBAIKAN = "Perlu Perbaikan"
TERVERIFIKASI = "Terverifikasi"
STATUSES = (BELUM_DIKIRIM, DITERIMA, PERLU_PERBAIKAN, TERVERIFIKASI)

TERBUKA = "Terbuka"
TERKUNCI = "Terkunci"

# Log events (column Peristiwa)
BUKA_PERIODE = "Periode dibuka"
DITERIMA_EVENT = "Diterima"
DITERIMA_ULANG = "Diterima ulang (verifikasi batal)"
PERLU_PERBAIKAN_EVENT = "Perlu Perbaikan"
TERVERIFIKASI_EVENT = "Terverifikasi"
KUNCI = "Kunci"
BUKA = "Buka"


@dataclass(frozen=True)
class OpdStatus:
    """One row of the ``Status`` sheet."""

    tahun: int
    triwulan: int
    kode: str
    nama: str | None
    status: str = BELUM_DIKIRIM
    diterima_pada: str | None = None
    diverifikasi_oleh: str | None = None
    diverifikasi_pada: str | None = None
    catatan: str | None = None


@dataclass(frozen=True)
class PeriodState:
    """One row of the ``Periode`` sheet: the last lock or unlock of a period."""

    tahun: int
    triwulan: int
    status: str
    oleh: str | None
    pada: str | None
    alasan: str | None


@dataclass(frozen=True)
class Actor:
    """Who acts (the OS user name) and when (ISO local time, seconds)."""

    oleh: str
    waktu: str


@dataclass(frozen=True)
class Event:
    """One state change, for the ``Log`` sheet: what, of which period (and OPD), who, when, why."""

    waktu: str
    tahun: int
    triwulan: int
    peristiwa: str
    oleh: str
    alasan: str | None = None
    kode: str | None = None
    sidik_data: str | None = None
    sidik_periode: str | None = None


@dataclass(frozen=True)
class Workflow:
    """The workflow state of a master: every OPD status row and every period's lock row."""

    opd: tuple[OpdStatus, ...] = ()
    periode: tuple[PeriodState, ...] = ()

    def rows_of(self, tahun: int, triwulan: int) -> list[OpdStatus]:
        return [s for s in self.opd if (s.tahun, s.triwulan) == (tahun, triwulan)]

    def lock_of(self, tahun: int, triwulan: int) -> PeriodState | None:
        """The period's row when it is locked, else None."""
        row = next((p for p in self.periode if (p.tahun, p.triwulan) == (tahun, triwulan)), None)
        return row if row is not None and row.status == TERKUNCI else None

    def locked_periods(self) -> list[PeriodState]:
        return [p for p in self.periode if p.status == TERKUNCI]


@dataclass(frozen=True)
class Change:
    """The result of a workflow action: the new state, the Log events, and what to tell the user."""

    workflow: Workflow
    events: tuple[Event, ...] = ()
    pesan: tuple[str, ...] = ()


class Refused(UnusableWorkbook):
    """A workflow action that is not allowed; nothing is written (exit code 2 in the CLI)."""

    def __init__(self, pesan: str, sheet: str = "Status"):
        super().__init__([galat(pesan, sheet=sheet)])


class PeriodLocked(Refused):
    """A write into a locked period (impor, hitung, verifikasi)."""


def periode_text(tahun: int, triwulan: int) -> str:
    """``TW IV 2022`` (:meth:`Period.short`)."""
    return Period(tahun, triwulan).short()


def shown_time(waktu: str | datetime | None) -> str:
    """A moment in a message as the reports write it: ``16 Juli 2024 10.00`` (:func:`indeks_opd.present.fmt.tanggal_waktu`)
    from the workflow's ISO text or a Log date-time; text that is not a moment is shown as it is."""
    if isinstance(waktu, str):
        try:
            waktu = datetime.fromisoformat(waktu.strip())
        except ValueError:
            return waktu.strip() or "?"
    return "?" if waktu is None else fmt.tanggal_waktu(waktu)


def check_unlocked(wf: Workflow, tahun: int, triwulan: int, aksi: str, induk: str = "INDUK") -> None:
    """Raise :class:`PeriodLocked` naming who locked the period, when, why and how to unlock it."""
    lock = wf.lock_of(tahun, triwulan)
    if lock is None:
        return
    raise PeriodLocked(
        f"Periode {periode_text(tahun, triwulan)} terkunci sejak {shown_time(lock.pada)} oleh {lock.oleh or '?'} "
        f"(alasan: {lock.alasan or '-'}); {aksi} ditolak dan buku kerja induk tidak diubah. Untuk mengubah data "
        f"periode ini, buka kuncinya dulu: indeks-opd buka \"{induk}\" --tahun {tahun} --triwulan {triwulan} "
        "--alasan \"...\" (di Excel: tombol Buka Periode).", sheet="Periode")


def open_period(wf: Workflow, opd: list[tuple[str, str | None]], tahun: int, triwulan: int,
                actor: Actor) -> Change:
    """Give every active OPD (``(kode, nama)``) a row for the period; ``Belum Dikirim`` when new.

    Rows of OPDs no longer active are dropped while they were never sent (``Belum Dikirim``),
    so an OPD made inactive does not block locking; rows with a history are kept.
    """
    if wf.lock_of(tahun, triwulan) is not None:
        return Change(wf)  # a locked period's rows never change
    aktif = dict(opd)
    ada = {s.kode for s in wf.rows_of(tahun, triwulan)}
    kept = tuple(s for s in wf.opd if (s.tahun, s.triwulan) != (tahun, triwulan)
                 or s.kode in aktif or s.status != BELUM_DIKIRIM)
    baru = tuple(OpdStatus(tahun, triwulan, kode, nama) for kode, nama in opd if kode not in ada)
    events = ()
    if not ada and baru:
        events = (Event(actor.waktu, tahun, triwulan, BUKA_PERIODE, actor.oleh,
                        f"{len(baru)} OPD aktif menunggu kiriman data"),)
    if not baru and len(kept) == len(wf.opd):
        return Change(wf)
    return Change(replace(wf, opd=_sorted(kept + baru)), events)


def then(first: Change, second: Change) -> Change:
    """Two changes made one after the other (``second`` was computed from ``first.workflow``)."""
    return Change(second.workflow, first.events + second.events, first.pesan + second.pesan)


def receive(wf: Workflow, tahun: int, triwulan: int, kode: str, nama: str | None, actor: Actor) -> Change:
    """``impor`` accepted the OPD's file: ``Diterima`` now; a verified OPD loses its verification (data changed)."""
    check_unlocked(wf, tahun, triwulan, "impor")
    lama = _row(wf, tahun, triwulan, kode) or OpdStatus(tahun, triwulan, kode, nama)
    reset = lama.status == TERVERIFIKASI
    baru = replace(lama, nama=nama or lama.nama, status=DITERIMA, diterima_pada=actor.waktu,
                   diverifikasi_oleh=None, diverifikasi_pada=None, catatan=None)
    pesan = ()
    alasan = "data diimpor"
    if reset:
        alasan = (f"data diimpor ulang; verifikasi {lama.diverifikasi_oleh or '?'} "
                  f"({shown_time(lama.diverifikasi_pada)}) dibatalkan")
        pesan = (f"OPD {kode}: sudah Terverifikasi, tetapi datanya diganti oleh impor ini; statusnya kembali "
                 "Diterima dan perlu diverifikasi lagi.",)
    event = Event(actor.waktu, tahun, triwulan, DITERIMA_ULANG if reset else DITERIMA_EVENT, actor.oleh, alasan,
                  kode)
    return Change(_with_row(wf, baru), (event,), pesan)


def refuse_file(wf: Workflow, tahun: int, triwulan: int, kode: str, nama: str | None, ringkasan: str,
                actor: Actor) -> Change:
    """``impor --lewati-bermasalah`` skipped the OPD's file: ``Perlu Perbaikan`` with the problems in ``Catatan``
    (issue 16's contract). An OPD verified before sent new figures it wants used: its verification is cancelled
    and said so; its earlier data stays in the master until a corrected file is imported."""
    check_unlocked(wf, tahun, triwulan, "impor")
    lama = _row(wf, tahun, triwulan, kode) or OpdStatus(tahun, triwulan, kode, nama)
    baru = replace(lama, nama=nama or lama.nama, status=PERLU_PERBAIKAN, catatan=ringkasan,
                   diverifikasi_oleh=None, diverifikasi_pada=None)
    alasan, pesan = f"berkas ditolak impor: {ringkasan}", ()
    if lama.status == TERVERIFIKASI:
        alasan += (f"; verifikasi {lama.diverifikasi_oleh or '?'} ({shown_time(lama.diverifikasi_pada)}) dibatalkan "
                   "karena OPD mengirim berkas baru")
        pesan = (f"OPD {kode}: sudah Terverifikasi, tetapi mengirim berkas baru yang ditolak; statusnya kini Perlu "
                 "Perbaikan (data lama tetap di induk sampai berkas perbaikannya diimpor).",)
    event = Event(actor.waktu, tahun, triwulan, PERLU_PERBAIKAN_EVENT, actor.oleh, alasan, kode)
    return Change(_with_row(wf, baru), (event,), pesan)


def verify(wf: Workflow, tahun: int, triwulan: int, kodes: list[str], actor: Actor, perlu_perbaikan: bool = False,
           catatan: str | None = None, induk: str = "INDUK") -> Change:
    """Bappeda's verification of received OPDs: ``Terverifikasi``, or ``Perlu Perbaikan`` with a note.

    Refused (nothing changes) when the period is locked, an OPD has no row in the period,
    an OPD has not sent data, or a file refused by impor is to be verified; sending back
    requires a note saying what to fix.
    """
    check_unlocked(wf, tahun, triwulan, "verifikasi", induk)
    if perlu_perbaikan and not (catatan or "").strip():
        raise Refused("Tulis apa yang harus diperbaiki OPD dengan --catatan \"...\" (catatan itu muncul di sheet "
                      "Status). Tidak ada yang diubah.")
    target = PERLU_PERBAIKAN if perlu_perbaikan else TERVERIFIKASI
    ditolak, rows = [], []
    for kode in dict.fromkeys(kodes):
        row = _row(wf, tahun, triwulan, kode)
        if row is None:
            ditolak.append(f"OPD {kode} tidak ada di sheet Status untuk {periode_text(tahun, triwulan)} (periksa kode "
                           "OPD; OPD tidak aktif tidak diverifikasi)")
        elif row.status not in _VERIFIABLE[target]:
            ditolak.append(f"OPD {kode} berstatus {row.status}: {_why_not(row.status)}")
        else:
            rows.append(row)
    if ditolak:
        raise Refused("Verifikasi ditolak, tidak ada yang diubah: " + "; ".join(ditolak) + ".")
    events, pesan = [], []
    for row in rows:
        if row.status == target == TERVERIFIKASI:
            pesan.append(f"OPD {row.kode} sudah Terverifikasi (oleh {row.diverifikasi_oleh}); tidak diubah.")
            continue
        wf = _with_row(wf, replace(row, status=target, diverifikasi_oleh=actor.oleh, diverifikasi_pada=actor.waktu,
                                   catatan=catatan))
        events.append(Event(actor.waktu, tahun, triwulan, TERVERIFIKASI_EVENT if target == TERVERIFIKASI
                            else PERLU_PERBAIKAN_EVENT, actor.oleh, catatan or "diverifikasi", row.kode))
        pesan.append(f"OPD {row.kode}: {target}.")
    return Change(wf, tuple(events), tuple(pesan))


_VERIFIABLE = {TERVERIFIKASI: (DITERIMA, TERVERIFIKASI), PERLU_PERBAIKAN: (DITERIMA, TERVERIFIKASI, PERLU_PERBAIKAN)}
"""The statuses from which an OPD may be verified or sent back."""


def _why_not(status: str) -> str:
    if status == BELUM_DIKIRIM:
        return "datanya belum diterima (impor templatnya dulu)"
    return "berkasnya ditolak atau dikembalikan; impor berkas perbaikannya dulu"


def lock(wf: Workflow, tahun: int, triwulan: int, actor: Actor, alasan: str, paksa: bool, dihitung: bool,
         sidik_data: str, sidik_periode: str) -> Change:
    """Lock a period (after Rakorpok). Refused when already locked, without a reason, or — unless
    ``paksa`` — when an OPD of the period is not ``Terverifikasi`` (they are listed) or the period
    has no results in Riwayat yet (``dihitung``)."""
    _need_reason(alasan, "kunci")
    lama = wf.lock_of(tahun, triwulan)
    if lama is not None:
        raise Refused(f"Periode {periode_text(tahun, triwulan)} sudah terkunci sejak {shown_time(lama.pada)} oleh "
                      f"{lama.oleh or '?'}; tidak ada yang diubah.", sheet="Periode")
    rows = wf.rows_of(tahun, triwulan)
    belum = [s for s in rows if s.status != TERVERIFIKASI]
    if not rows:
        raise Refused(f"Periode {periode_text(tahun, triwulan)} belum dibuka (sheet Status tidak berisi OPD untuk "
                      "periode ini). Jalankan indeks-opd status atau impor dulu; tidak ada yang diubah.")
    pesan = ()
    daftar = ", ".join(f"{s.kode} ({s.status})" for s in belum)
    if belum:
        if not paksa:
            raise Refused(f"Periode {periode_text(tahun, triwulan)} tidak dikunci: {len(belum)} OPD belum "
                          f"Terverifikasi: {daftar}. Verifikasi dulu, atau kunci juga dengan --paksa. Tidak ada yang "
                          "diubah.")
        pesan = (f"Dikunci dengan --paksa walaupun {len(belum)} OPD belum Terverifikasi: {daftar}.",)
    if not dihitung and not paksa:
        raise Refused(f"Periode {periode_text(tahun, triwulan)} belum dihitung (sheet Riwayat tidak berisi hasilnya). "
                      "Jalankan indeks-opd hitung dulu, lalu kunci; atau kunci juga dengan --paksa. Tidak ada yang "
                      "diubah.", sheet="Riwayat")
    row = PeriodState(tahun, triwulan, TERKUNCI, actor.oleh, actor.waktu, alasan)
    dicatat = f"{alasan} (--paksa; belum Terverifikasi: {daftar})" if belum else alasan
    event = Event(actor.waktu, tahun, triwulan, KUNCI, actor.oleh, dicatat, sidik_data=sidik_data,
                  sidik_periode=sidik_periode)
    return Change(_with_period(wf, row), (event,), pesan)


def unlock(wf: Workflow, tahun: int, triwulan: int, actor: Actor, alasan: str) -> Change:
    """Unlock a locked period; refused when it is not locked or no reason is given."""
    _need_reason(alasan, "buka")
    if wf.lock_of(tahun, triwulan) is None:
        raise Refused(f"Periode {periode_text(tahun, triwulan)} tidak terkunci; tidak ada yang diubah.",
                      sheet="Periode")
    row = PeriodState(tahun, triwulan, TERBUKA, actor.oleh, actor.waktu, alasan)
    return Change(_with_period(wf, row), (Event(actor.waktu, tahun, triwulan, BUKA, actor.oleh, alasan),))


def _need_reason(alasan: str | None, perintah: str) -> None:
    if not (alasan or "").strip():
        raise Refused(f"Tulis alasannya dengan --alasan \"...\" (dicatat di sheet Log); {perintah} tidak dijalankan.",
                      sheet="Periode")


def summary(wf: Workflow, tahun: int, triwulan: int) -> dict[str, list[OpdStatus]]:
    """The period's OPD rows grouped by status, in :data:`STATUSES` order."""
    return {s: [r for r in wf.rows_of(tahun, triwulan) if r.status == s] for s in STATUSES}


STATUS_HEADINGS = {BELUM_DIKIRIM: "Belum mengirim", DITERIMA: "Menunggu verifikasi",
                   PERLU_PERBAIKAN: "Perlu perbaikan", TERVERIFIKASI: "Terverifikasi"}


def status_lines(wf: Workflow, tahun: int, triwulan: int, induk: str) -> list[str]:
    """The period's status as people read it (``indeks-opd status`` and the Excel Status button)."""
    lock = wf.lock_of(tahun, triwulan)
    keadaan = (f"TERKUNCI sejak {shown_time(lock.pada)} oleh {lock.oleh} (alasan: {lock.alasan})"
               if lock else "terbuka")
    lines = [f"Status {periode_text(tahun, triwulan)} — {induk}: periode {keadaan}."]
    for status, rows in summary(wf, tahun, triwulan).items():
        lines.append(f"{STATUS_HEADINGS[status]} ({len(rows)}):")
        for r in rows:
            catatan = f" — {r.catatan}" if r.catatan else ""
            waktu = f" (diterima {shown_time(r.diterima_pada)})" if r.diterima_pada else ""
            lines.append(f"  {r.kode} {r.nama or ''}{waktu}{catatan}")
    return lines


def all_verified(wf: Workflow, tahun: int, triwulan: int) -> bool:
    rows = wf.rows_of(tahun, triwulan)
    return bool(rows) and all(r.status == TERVERIFIKASI for r in rows)


def _row(wf: Workflow, tahun: int, triwulan: int, kode: str) -> OpdStatus | None:
    return next((s for s in wf.rows_of(tahun, triwulan) if s.kode == kode), None)


def _with_row(wf: Workflow, row: OpdStatus) -> Workflow:
    key = (row.tahun, row.triwulan, row.kode)
    others = tuple(s for s in wf.opd if (s.tahun, s.triwulan, s.kode) != key)
    return replace(wf, opd=_sorted(others + (row,)))


def _with_period(wf: Workflow, row: PeriodState) -> Workflow:
    others = tuple(p for p in wf.periode if (p.tahun, p.triwulan) != (row.tahun, row.triwulan))
    return replace(wf, periode=tuple(sorted(others + (row,), key=lambda p: (p.tahun, p.triwulan))))


def _sorted(rows: tuple[OpdStatus, ...]) -> tuple[OpdStatus, ...]:
    return tuple(sorted(rows, key=lambda s: (s.tahun, s.triwulan, str(s.kode))))
