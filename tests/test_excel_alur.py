"""The workflow buttons (docs/alur.md) — Status, Verifikasi, Kunci/Buka Periode, and Hitung Indeks on a
locked period — pressed through their real entry points on xlwings' remote engine, as
tests/test_excel_buttons.py presses the other buttons: what the user sees is the sheets and the alert."""

from __future__ import annotations

import openpyxl

from conftest import hitung_json, run_cli
from indeks_opd.alur.sheets import STATUS_HEADER_ROW
from indeks_opd.excel import (
    buka_periode_tombol,
    hitung_indeks_tombol,
    impor_templat_tombol,
    kunci_periode_tombol,
    perlu_perbaikan_tombol,
    status_periode_tombol,
    verifikasi_opd_tombol,
)
from officejs import Workbook, payload_of
from templat_util import fill, make_master, make_templates
from test_excel_buttons import INCOMING, press, saved_payload


def vba_hex(text: str) -> str:
    """What the VBA HexUtf16 function passes for ``text`` (four hex digits per UTF-16 code unit)."""
    return text.encode("utf-16-be").hex().upper()


def selecting(payload: dict, sheet: str, address: str) -> dict:
    """The payload with ``address`` of ``sheet`` selected (and that sheet active), as the client sends it."""
    index = [s["name"] for s in payload["sheets"]].index(sheet)
    return {**payload, "book": {**payload["book"], "active_sheet_index": index, "selection": address}}


def status_rows(wb: Workbook) -> dict[str, list]:
    return {r[2]: r for r in wb.sheet("Status").rows()[STATUS_HEADER_ROW:]}


def test_status_import_verify_and_a_refused_lock_through_the_buttons(tmp_path):
    master = make_master(tmp_path)
    payload = saved_payload(master)
    wb = press(status_periode_tombol, payload)
    assert wb.alerts[0].startswith(f"Status TW IV 2022 — {master}: periode terbuka.\nBelum mengirim (18):")
    rows = status_rows(wb)
    assert wb.sheet("Status").rows()[STATUS_HEADER_ROW - 1][:5] == ["Tahun", "Triwulan", "Kode OPD", "Nama OPD", "Status"]
    assert len(rows) == 18 and {r[4] for r in rows.values()} == {"Belum Dikirim"}

    fill(make_templates(master, tmp_path / INCOMING, kode=["2.15"])["2.15"])
    wb = press(impor_templat_tombol, payload_of(wb, payload))
    assert "\nStatus: OPD 2.15 Diterima." in wb.alerts[0]
    rows = status_rows(wb)
    assert rows["2.15"][4] == "Diterima" and rows["2.15"][5]
    baris = list(rows).index("2.15") + STATUS_HEADER_ROW + 1
    assert wb.sheet("Status").fills[(baris, 1)] == "#FFEB9C"

    wb = press(verifikasi_opd_tombol, selecting(payload_of(wb, payload), "Status", f"B{baris}:D{baris}"))
    assert wb.alerts[0].startswith("OPD 2.15: Terverifikasi.")
    row = status_rows(wb)["2.15"]
    assert row[4] == "Terverifikasi" and row[6] and row[7]
    log = wb.sheet("Log").rows()
    assert [r[log[0].index("Peristiwa")] for r in log[1:]] == ["Periode dibuka", "Diterima", "Terverifikasi"]

    catatan = "Realisasi fisik > 100% — periksa laporan 'Dishub'"
    back = press(lambda: perlu_perbaikan_tombol(vba_hex(catatan)),
                 selecting(payload_of(wb, payload), "Status", f"A{baris}"))
    assert back.alerts[0].startswith("OPD 2.15: Perlu Perbaikan")
    row = status_rows(back)["2.15"]
    assert (row[4], row[8]) == ("Perlu Perbaikan", catatan) and back.sheet("Status").fills[(baris, 1)] == "#FFC7CE"
    log = back.sheet("Log").rows()
    last = dict(zip(log[0], log[-1]))
    assert (last["Peristiwa"], last["Kode OPD"]) == ("Perlu Perbaikan", "2.15") and catatan in str(last["Alasan"])
    outside = press(lambda: perlu_perbaikan_tombol(vba_hex(catatan)), selecting(payload_of(wb, payload), "Log", "A2"))
    assert outside.alerts == ["Perlu Perbaikan tidak dapat dijalankan:\n- Status: Pilih dulu baris OPD di sheet Status "
                              "(klik atau blok barisnya), lalu tekan Perlu Perbaikan."]

    before = payload_of(wb, payload)
    refused = press(verifikasi_opd_tombol, selecting(before, "Status", "A1"))
    assert refused.alerts == ["Verifikasi tidak dapat dijalankan:\n- Status: Baris yang dipilih di sheet "
                              "Status tidak berisi Kode OPD. Pilih baris OPD (bukan judul kolom), lalu tekan Verifikasi."]
    locked = press(lambda: kunci_periode_tombol(vba_hex("Rakorpok")), before)
    assert locked.alerts[0].startswith("Kunci Periode tidak dapat dijalankan:\n")
    assert "17 OPD belum Terverifikasi" in locked.alerts[0]
    for after in (refused, locked):  # nothing written by a refusal
        assert [(s.name, s.values) for s in after.sheets] == [(s.name, s.values) for s in Workbook(before).sheets]


def test_hitung_indeks_on_a_locked_period_is_refused_and_buka_unlocks(tmp_path):
    master = make_master(tmp_path)
    assert run_cli("hitung", master, "--diam").returncode == 0
    r = run_cli("kunci", master, "--alasan", "Rakorpok TW IV", "--paksa")
    assert r.returncode == 0, r.stderr
    payload = saved_payload(master)
    wb = press(hitung_indeks_tombol, payload)
    assert wb.alerts[0].startswith("Indeks tidak dapat dihitung:\n- Periode: Periode TW IV 2022 terkunci sejak ")
    assert "(alasan: Rakorpok TW IV); Hitung Indeks ditolak" in wb.alerts[0]
    assert [(s.name, s.values) for s in wb.sheets] == [(s.name, s.values) for s in Workbook(payload).sheets]

    wb = press(lambda: buka_periode_tombol(vba_hex("koreksi data — Dinas Perhubungan")), payload)
    assert wb.alerts[0].startswith("Periode TW IV 2022 dibuka oleh ")
    assert wb.sheet("Periode").rows()[1][:3] == [2022, 4, "Terbuka"]
    log = wb.sheet("Log").rows()
    last = dict(zip(log[0], log[-1]))
    assert (last["Peristiwa"], last["Alasan"]) == ("Buka", "koreksi data — Dinas Perhubungan")
    again = press(hitung_indeks_tombol, payload_of(wb, payload))
    assert again.alerts[0].startswith("Indeks Tahun 2022 Triwulan IV selesai dihitung")


def test_hitung_indeks_runs_the_tamper_check_of_the_cli(tmp_path):
    master = make_master(tmp_path)
    tw3 = ("--tahun", "2022", "--triwulan", "3")
    assert run_cli("hitung", master, *tw3, "--diam").returncode == 0
    assert run_cli("kunci", master, *tw3, "--alasan", "Rakorpok TW III", "--paksa").returncode == 0
    wb = openpyxl.load_workbook(master)
    row = next(r for r in wb["Realisasi"].iter_rows(min_row=2) if (r[0].value, r[1].value, r[2].value) ==
               (2022, 3, "2.15"))
    row[5].value += 1  # a hand edit of the locked TW III
    wb.save(master)
    seen = press(hitung_indeks_tombol, saved_payload(master))  # computes the open TW IV
    assert seen.alerts[0].startswith("Indeks Tahun 2022 Triwulan IV selesai dihitung: 18 OPD dinilai; 0 galat")
    assert "GALAT: Realisasi: Data TW III 2022 di sheet Realisasi berubah setelah periode itu dikunci" in seen.alerts[0]
    assert "GALAT: Realisasi: Data TW III 2022" in run_cli("hitung", master, "--json").stderr  # the CLI says the same

    # TW IV locked, then its lock row deleted from Periode by hand: TW IV is open again for the button, but its
    # result is SEMENTARA with the prizes withheld, exactly as hitung --json says
    assert run_cli("kunci", master, "--alasan", "Rakorpok TW IV", "--paksa").returncode == 0
    wb = openpyxl.load_workbook(master)
    ws = wb["Periode"]
    ws.delete_rows(next(r[0].row for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value) == (2022, 4)))
    wb.save(master)
    kode, cli, _ = hitung_json(master)
    assert kode == 3 and [h["hadiah"] for h in cli["hasil"][:3]] == [0, 0, 0]
    seen = press(hitung_indeks_tombol, saved_payload(master))
    assert "SEMENTARA" in seen.alerts[0] and "hadiah ditahan" in seen.alerts[0]
    dihapus = [m["pesan"] for m in cli["masalah"] if "dihapus dengan tangan" in m["pesan"]]
    masalah = seen.sheet("Masalah").rows()
    assert dihapus and [r[3] for r in masalah[1:] if "dihapus dengan tangan" in str(r[3])] == dihapus
    peringkat = seen.sheet("Peringkat").rows()
    assert any(str(r[0]).startswith("SEMENTARA — ada 1 galat data; hadiah ditahan") for r in peringkat)
    kolom = next(r for r in peringkat if "Hadiah" in r).index("Hadiah")
    assert [r[kolom] for r in peringkat if r[0] in (1, 2, 3)] == [0, 0, 0]
