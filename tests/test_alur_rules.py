"""The workflow rules (docs/alur.md): every transition and refusal, and the sheets they are shown in."""

from __future__ import annotations

from datetime import datetime

import pytest

from helpers import data, indikator, opd, realisasi
from indeks_opd.alur.rules import (
    BELUM_DIKIRIM,
    DITERIMA,
    PERLU_PERBAIKAN,
    TERKUNCI,
    TERVERIFIKASI,
    Actor,
    PeriodLocked,
    Refused,
    Workflow,
    check_unlocked,
    lock,
    open_period,
    receive,
    refuse_file,
    unlock,
    verify,
)
from indeks_opd.alur.sheets import build_periode, build_status, event_log_row, read_workflow
from indeks_opd.alur.tamper import format_fingerprints, period_fingerprints, tamper_findings
from indeks_opd.contract.output_sheets import FORMAT_WAKTU, LOG_HEADERS, build_outputs
from indeks_opd.core.pipeline import compute_period

BUDI = Actor("budi", "2024-07-15T09:30:00")
SITI = Actor("siti", "2024-07-16T10:00:00")
OPD = [("1.01", "Dinas A"), ("1.02", "Dinas B")]


def opened() -> Workflow:
    return open_period(Workflow(), OPD, 2024, 2, BUDI).workflow


def status_of(wf: Workflow, kode: str):
    return next(s for s in wf.rows_of(2024, 2) if s.kode == kode)


def test_opening_a_period_gives_every_active_opd_belum_dikirim_once():
    change = open_period(Workflow(), OPD, 2024, 2, BUDI)
    assert [(s.kode, s.nama, s.status) for s in change.workflow.rows_of(2024, 2)] == [
        ("1.01", "Dinas A", BELUM_DIKIRIM), ("1.02", "Dinas B", BELUM_DIKIRIM)]
    assert [e.peristiwa for e in change.events] == ["Periode dibuka"]
    again = open_period(change.workflow, OPD, 2024, 2, SITI)
    assert again.workflow == change.workflow and not again.events
    # an OPD made inactive and never sent is dropped; one added later gets its row
    later = open_period(change.workflow, [("1.02", "Dinas B"), ("1.03", "Dinas C")], 2024, 2, SITI).workflow
    assert [s.kode for s in later.rows_of(2024, 2)] == ["1.02", "1.03"]


def test_receive_then_verify_then_reimport_resets_verification():
    wf = receive(opened(), 2024, 2, "1.01", "Dinas A", BUDI).workflow
    assert status_of(wf, "1.01").status == DITERIMA and status_of(wf, "1.01").diterima_pada == BUDI.waktu
    change = verify(wf, 2024, 2, ["1.01"], SITI, catatan="cocok dengan SP2D")
    s = status_of(change.workflow, "1.01")
    assert (s.status, s.diverifikasi_oleh, s.diverifikasi_pada, s.catatan) == (
        TERVERIFIKASI, "siti", SITI.waktu, "cocok dengan SP2D")
    assert [(e.peristiwa, e.kode, e.oleh, e.alasan) for e in change.events] == [
        ("Terverifikasi", "1.01", "siti", "cocok dengan SP2D")]
    again = receive(change.workflow, 2024, 2, "1.01", "Dinas A", Actor("budi", "2024-07-17T08:00:00"))
    s = status_of(again.workflow, "1.01")
    assert (s.status, s.diverifikasi_oleh, s.diverifikasi_pada) == (DITERIMA, None, None)
    assert "sudah Terverifikasi" in again.pesan[0] and "perlu diverifikasi lagi" in again.pesan[0]
    assert again.events[0].peristiwa == "Diterima ulang (verifikasi batal)"
    assert "verifikasi siti (16 Juli 2024 10.00) dibatalkan" in again.events[0].alasan


def test_refused_file_needs_fixing_also_after_an_earlier_verification():
    wf = refuse_file(opened(), 2024, 2, "1.01", "Dinas A", "x.xlsx: 1 galat — Realisasi!F7: kosong", BUDI).workflow
    assert (status_of(wf, "1.01").status, status_of(wf, "1.01").catatan) == (
        PERLU_PERBAIKAN, "x.xlsx: 1 galat — Realisasi!F7: kosong")
    verified = verify(receive(opened(), 2024, 2, "1.02", None, BUDI).workflow, 2024, 2, ["1.02"], SITI).workflow
    change = refuse_file(verified, 2024, 2, "1.02", "Dinas B", "y.xlsx: 1 galat", BUDI)
    row = status_of(change.workflow, "1.02")
    assert (row.status, row.catatan, row.diverifikasi_oleh) == (PERLU_PERBAIKAN, "y.xlsx: 1 galat", None)
    assert "verifikasi siti" in change.events[0].alasan and "dibatalkan" in change.events[0].alasan
    assert change.pesan and "kini Perlu Perbaikan" in change.pesan[0]


def test_send_back_needs_a_note_and_unsent_or_refused_opd_cannot_be_verified():
    wf = receive(opened(), 2024, 2, "1.01", None, BUDI).workflow
    with pytest.raises(Refused, match="--catatan"):
        verify(wf, 2024, 2, ["1.01"], SITI, perlu_perbaikan=True)
    back = verify(wf, 2024, 2, ["1.01"], SITI, perlu_perbaikan=True, catatan="lampirkan SP2D").workflow
    assert (status_of(back, "1.01").status, status_of(back, "1.01").catatan) == (PERLU_PERBAIKAN, "lampirkan SP2D")
    with pytest.raises(Refused) as e:
        verify(back, 2024, 2, ["1.01", "1.02", "9.99"], SITI)
    pesan = e.value.masalah[0].pesan
    assert "OPD 1.01 berstatus Perlu Perbaikan: berkasnya ditolak atau dikembalikan" in pesan
    assert "OPD 1.02 berstatus Belum Dikirim: datanya belum diterima" in pesan
    assert "OPD 9.99 tidak ada di sheet Status untuk TW II 2024" in pesan


def test_lock_refused_until_all_verified_unless_forced_and_unlock():
    wf = receive(opened(), 2024, 2, "1.01", None, BUDI).workflow
    wf = verify(wf, 2024, 2, ["1.01"], SITI).workflow
    with pytest.raises(Refused) as e:
        lock(wf, 2024, 2, SITI, "Rakorpok", False, True, "d", "p")
    assert "1 OPD belum Terverifikasi: 1.02 (Belum Dikirim)" in e.value.masalah[0].pesan
    with pytest.raises(Refused, match="--alasan"):
        lock(wf, 2024, 2, SITI, " ", True, True, "d", "p")
    all_ok = verify(receive(wf, 2024, 2, "1.02", None, BUDI).workflow, 2024, 2, ["1.02"], SITI).workflow
    with pytest.raises(Refused, match="TW II 2024 belum dihitung"):
        lock(all_ok, 2024, 2, SITI, "Rakorpok", False, False, "d", "p")
    assert lock(all_ok, 2024, 2, SITI, "Rakorpok", False, True, "d", "p").pesan == ()
    forced = lock(wf, 2024, 2, SITI, "Rakorpok", True, True, "d", "p")
    assert forced.workflow.lock_of(2024, 2).status == TERKUNCI
    assert "belum Terverifikasi: 1.02 (Belum Dikirim)" in forced.pesan[0]
    assert [(e.peristiwa, e.sidik_data, e.sidik_periode) for e in forced.events] == [("Kunci", "d", "p")]
    assert "(--paksa; belum Terverifikasi: 1.02 (Belum Dikirim))" in forced.events[0].alasan
    with pytest.raises(Refused, match="sudah terkunci"):
        lock(forced.workflow, 2024, 2, SITI, "lagi", True, True, "d", "p")
    opened_again = unlock(forced.workflow, 2024, 2, BUDI, "koreksi BPK")
    assert opened_again.workflow.lock_of(2024, 2) is None
    assert [(e.peristiwa, e.oleh, e.alasan) for e in opened_again.events] == [("Buka", "budi", "koreksi BPK")]
    with pytest.raises(Refused, match="tidak terkunci"):
        unlock(opened_again.workflow, 2024, 2, BUDI, "lagi")


def test_a_locked_period_refuses_every_change_and_says_who_when_how():
    wf = lock(opened(), 2024, 2, SITI, "Rakorpok TW II", True, True, "d", "p").workflow
    for action in (lambda: receive(wf, 2024, 2, "1.01", None, BUDI),
                   lambda: refuse_file(wf, 2024, 2, "1.01", None, "x", BUDI),
                   lambda: verify(wf, 2024, 2, ["1.01"], BUDI)):
        with pytest.raises(PeriodLocked) as e:
            action()
        pesan = e.value.masalah[0].pesan
        assert "Periode TW II 2024 terkunci sejak 16 Juli 2024 10.00 oleh siti (alasan: Rakorpok TW II)" in pesan
        assert "indeks-opd buka" in pesan and "--tahun 2024 --triwulan 2" in pesan
    assert open_period(wf, OPD + [("1.03", "Dinas C")], 2024, 2, BUDI).workflow == wf
    check_unlocked(wf, 2024, 3, "impor")  # another period is open


def test_status_and_periode_sheets_round_trip_with_colours():
    wf = receive(opened(), 2024, 2, "1.01", "Dinas A", BUDI).workflow
    wf = lock(wf, 2024, 2, SITI, "Rakorpok", True, True, "d", "p").workflow
    status, periode = build_status(wf), build_periode(wf)
    assert status.rows[:3] == (("Status Alur Triwulan",), ("Pilih baris OPD, lalu tekan Verifikasi atau Perlu "
                                                           "Perbaikan.",), ())  # the master's buttons sit here
    assert status.header_row == 4 and status.rows[3] == (
        "Tahun", "Triwulan", "Kode OPD", "Nama OPD", "Status", "Diterima Pada", "Diverifikasi Oleh",
        "Diverifikasi Pada", "Catatan")
    assert status.rows[4][:6] == (2024, 2, "1.01", "Dinas A", "Diterima", datetime(2024, 7, 15, 9, 30))
    assert status.style(5, 6).number_format == FORMAT_WAKTU and status.style(5, 5).number_format is None
    assert status.fills == (None, None, None, None, "#FFEB9C", None)
    assert periode.rows[1] == (2024, 2, "Terkunci", "siti", datetime(2024, 7, 16, 10), "Rakorpok")
    assert read_workflow(status.rows, periode.rows) == wf
    hand = [list(r) for r in status.rows]
    hand[4][4] = "oke"
    with pytest.raises(Refused.__mro__[1], match="Status 'oke'"):
        read_workflow(hand, None)


def _input():
    return data([opd("1.01"), opd("1.02")],
                [realisasi("1.01", tahun=2024, tw=2), realisasi("1.02", tahun=2024, tw=2),
                 realisasi("1.01", tahun=2024, tw=3)],
                [indikator("1.01", tahun=2024, tw=2), indikator("1.02", tahun=2024, tw=2),
                 indikator("1.01", tahun=2024, tw=3)])


def test_tamper_evidence_names_the_changed_sheet_and_period_only():
    d = _input()
    result = compute_period(d, 2024, 2)
    riwayat = build_outputs(result, d, __import__("datetime").datetime(2024, 7, 15)).sheet("Riwayat").rows
    sidik = format_fingerprints(period_fingerprints(d, riwayat, 2024, 2))
    change = lock(opened(), 2024, 2, SITI, "Rakorpok", True, True, "d", sidik)
    log = [LOG_HEADERS, event_log_row(change.events[0])]
    assert tamper_findings(change.workflow, log, d, riwayat) == []
    # another period's data, a new OPD: not the locked period's rows
    other = data([opd("1.01"), opd("1.02"), opd("1.03")],
                 [realisasi("1.01", tahun=2024, tw=2), realisasi("1.02", tahun=2024, tw=2),
                  realisasi("1.01", 50.0, tahun=2024, tw=3)],
                 [indikator("1.01", tahun=2024, tw=2), indikator("1.02", tahun=2024, tw=2),
                  indikator("1.01", tahun=2024, tw=3)])
    assert tamper_findings(change.workflow, log, other, riwayat) == []
    edited = data([opd("1.01"), opd("1.02")],
                  [realisasi("1.01", 90.0, tahun=2024, tw=2), realisasi("1.02", tahun=2024, tw=2)],
                  [indikator("1.01", tahun=2024, tw=2), indikator("1.02", tahun=2024, tw=2)])
    riwayat_edited = [list(r) for r in riwayat]
    riwayat_edited[1][8] = 99.0
    found = tamper_findings(change.workflow, log, edited, riwayat_edited)
    assert [(m.tingkat, m.sheet, m.periode) for m in found] == [("galat", "Realisasi", (2024, 2)),
                                                                ("galat", "Riwayat", (2024, 2))]
    assert "Data TW II 2024 di sheet Realisasi berubah setelah periode itu dikunci oleh siti pada 16 Juli 2024 10.00" \
        in found[0].pesan
    # the record itself edited: lock row gone, or the lock removed from Periode by hand
    assert [m.sheet for m in tamper_findings(change.workflow, [LOG_HEADERS], d, riwayat)] == ["Log"]
    assert [m.sheet for m in tamper_findings(opened(), log, d, riwayat)] == ["Periode"]


def test_a_component_added_after_the_lock_is_not_an_edit_of_the_locked_period():
    # the scheme gains a score column (and a group) after TW II was locked; only TW III has scores
    from dataclasses import replace

    d = _input()
    riwayat = build_outputs(compute_period(d, 2024, 2), d, datetime(2024, 7, 15)).sheet("Riwayat").rows
    change = lock(opened(), 2024, 2, SITI, "Rakorpok", True, True, "d",
                  format_fingerprints(period_fingerprints(d, riwayat, 2024, 2)))
    log = [LOG_HEADERS, event_log_row(change.events[0])]
    later = replace(d, realisasi=d.realisasi.assign(**{"Nilai SAKIP": [None, None, 80.0]}),
                    indikator=d.indikator.assign(bukti_dukung=[None, None, "https://x.go.id/a.pdf"]),
                    opd=d.opd.assign(kelompok=["Dinas", "Dinas"]))
    assert tamper_findings(change.workflow, log, later, riwayat) == []
    filled = replace(d, realisasi=d.realisasi.assign(**{"Nilai SAKIP": [70.0, None, 80.0]}))
    assert [m.sheet for m in tamper_findings(change.workflow, log, filled, riwayat)] == ["Realisasi"]


def test_problem_summary_reads_as_one_line_without_doubled_punctuation():
    from indeks_opd.alur.master import problem_summary
    from indeks_opd.core.masalah import galat, peringatan

    masalah = [galat("Nilai Realisasi Fisik 150% melebihi 100%.", sheet="Realisasi", baris=4, kolom="H"),
               peringatan("Teks tampak seperti rumus.", sheet="Indikator", baris=5, kolom="E"),
               galat("Realisasi Keuangan kosong.", sheet="Realisasi", baris=4, kolom="F")]
    assert problem_summary("x.xlsx", masalah) == ("x.xlsx: 2 galat — Realisasi!H4: Nilai Realisasi Fisik 150% melebihi "
                                                  "100%; Realisasi!F4: Realisasi Keuangan kosong")
