"""The quarter as a workflow through the CLI (docs/alur.md): what Bappeda staff see in the master,
on the console and in exit codes, with the master byte-identical after every refusal."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import openpyxl

from conftest import run_cli
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from templat_util import fill

KODE = ("2.15", "2.12", "5.01")
PERIODE = ("--tahun", "2023", "--triwulan", "1")


def small_master(folder: Path) -> Path:
    """The sample master with three OPDs (TahunAktif 2022, TriwulanAktif 4)."""
    rows = sample_rows()
    keep = {k: [r for r in v if r is v[0] or str(r[0 if k == "OPD" else 2]) in KODE] for k, v in rows.items()}
    folder.mkdir(parents=True, exist_ok=True)
    return write_contract_workbook(folder / "induk.xlsx", keep)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_rows(path: Path, sheet: str) -> list[list]:
    wb = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in wb[sheet].iter_rows()]


def status_json(master: Path) -> tuple[int, dict]:
    r = run_cli("status", master, *PERIODE, "--json")
    return r.returncode, json.loads(r.stdout)


def statuses(master: Path) -> dict[str, str]:
    return {o["kode"]: o["status"] for o in status_json(master)[1]["opd"]}


def templates(master: Path, folder: Path) -> dict[str, Path]:
    r = run_cli("templat", master, *PERIODE, "--keluaran", folder)
    assert r.returncode == 0, r.stderr
    return {k: next(folder.glob(f"Templat_2023_TW1_{k}_*.xlsx")) for k in KODE}


def refused_unchanged(master: Path, *args) -> str:
    """Run a command that must be refused: exit 2, no byte of the master changed; returns stderr."""
    before = digest(master)
    r = run_cli(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert digest(master) == before
    return r.stderr


def test_full_cycle_templat_impor_verifikasi_kunci_refused_impor_buka(tmp_path):
    master = small_master(tmp_path)
    t = templates(master, tmp_path / "keluar")
    assert [r[2:5] for r in sheet_rows(master, "Status")[4:]] == [  # templat opened the period
        ["2.12", "Dinas Kependudukan dan Pencatatan Sipil", "Belum Dikirim"],
        ["2.15", "Dinas Perhubungan", "Belum Dikirim"],
        ["5.01", "Badan Perencanaan Pembangunan Daerah", "Belum Dikirim"]]
    masuk = tmp_path / "masuk"
    masuk.mkdir()
    for k in ("2.15", "2.12"):
        shutil.copy(fill(t[k]), masuk)
    bad = shutil.copy(fill(t["5.01"], {"realisasi_fisik": "150%"}), masuk)

    r = run_cli("impor", masuk, "--ke", master, *PERIODE, "--lewati-bermasalah")
    assert r.returncode == 3, r.stderr
    for baris in ("OPD 2.15 — diimpor — status Diterima", "OPD 2.12 — diimpor — status Diterima",
                  "OPD 5.01 — BERMASALAH — status Perlu Perbaikan"):  # each OPD's new status, on screen
        assert baris in r.stdout, r.stdout
    laporan = next(tmp_path.glob("induk - laporan impor *.txt")).read_text(encoding="utf-8")
    assert "OPD 5.01 — BERMASALAH (tidak diimpor) — status Perlu Perbaikan" in laporan  # and in the report
    code, doc = status_json(master)
    assert code == 3 and doc["tahun"] == 2023 and doc["triwulan"] == 1 and doc["terkunci"] is False
    by_kode = {o["kode"]: o for o in doc["opd"]}
    assert {k: o["status"] for k, o in by_kode.items()} == {
        "2.12": "Diterima", "2.15": "Diterima", "5.01": "Perlu Perbaikan"}
    assert by_kode["2.15"]["diterima_pada"] and by_kode["5.01"]["diterima_pada"] is None
    assert by_kode["5.01"]["catatan"].startswith(f"{Path(bad).name}: 1 galat — Realisasi!H")
    assert "melebihi 100%" in by_kode["5.01"]["catatan"]
    status_sheet = sheet_rows(master, "Status")
    assert status_sheet[0][0] == "Status Alur Triwulan" and status_sheet[1][0].startswith("Pilih baris OPD")
    assert status_sheet[3] == ["Tahun", "Triwulan", "Kode OPD", "Nama OPD", "Status", "Diterima Pada",
                               "Diverifikasi Oleh", "Diverifikasi Pada", "Catatan"]
    teks = run_cli("status", master, *PERIODE).stdout
    assert "Menunggu verifikasi (2):" in teks and "Perlu perbaikan (1):" in teks and "periode terbuka" in teks

    r = run_cli("verifikasi", master, "--opd", "2.15", "2.12", *PERIODE)
    assert r.returncode == 0, r.stderr
    assert "OPD 2.15: Terverifikasi." in r.stdout
    err = refused_unchanged(master, "kunci", master, *PERIODE, "--alasan", "Rakorpok TW I")
    assert "1 OPD belum Terverifikasi: 5.01 (Perlu Perbaikan)" in err and "--paksa" in err

    (masuk / Path(bad).name).unlink()
    fill(t["5.01"])
    assert run_cli("impor", t["5.01"], "--ke", master, *PERIODE).returncode == 0
    assert run_cli("verifikasi", master, "--opd", "5.01", *PERIODE).returncode == 0
    assert status_json(master)[0] == 0
    err = refused_unchanged(master, "kunci", master, *PERIODE, "--alasan", "Rakorpok TW I")
    assert "belum dihitung" in err
    assert run_cli("hitung", master, *PERIODE, "--diam").returncode == 0
    r = run_cli("kunci", master, *PERIODE, "--alasan", "Rakorpok TW I")
    assert r.returncode == 0, r.stderr
    assert "Periode TW I 2023 dikunci oleh" in r.stdout
    assert sheet_rows(master, "Periode")[1][:3] == [2023, 1, "Terkunci"]
    code, doc = status_json(master)
    assert code == 0 and doc["terkunci"] is True

    err = refused_unchanged(master, "impor", masuk, "--ke", master, *PERIODE)
    assert "Periode TW I 2023 terkunci sejak" in err and "(alasan: Rakorpok TW I)" in err
    # the command to run names the master as the user gave it (folder included), so it works as printed
    assert f'indeks-opd buka "{master}" --tahun 2023 --triwulan 1 --alasan' in err
    err = refused_unchanged(master, "hitung", master, *PERIODE)
    assert "Periode TW I 2023 terkunci" in err and f'indeks-opd buka "{master}"' in err
    assert "Periode TW I 2023 terkunci" in refused_unchanged(master, "hitung", master, *PERIODE,
                                                             "--keluaran", tmp_path / "salinan.xlsx")
    err = refused_unchanged(master, "verifikasi", master, "--opd", "2.15", *PERIODE, "--perlu-perbaikan", "--catatan", "x")
    assert "terkunci" in err and f'indeks-opd buka "{master}"' in err
    assert "sudah terkunci" in refused_unchanged(master, "kunci", master, *PERIODE, "--alasan", "lagi")
    before = digest(master)
    r = run_cli("hitung", master, *PERIODE, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["tahun"] == 2023 and digest(master) == before

    assert "--alasan" in refused_unchanged(master, "buka", master, *PERIODE, "--alasan", "")
    r = run_cli("buka", master, *PERIODE, "--alasan", "koreksi data Dishub")
    assert r.returncode == 0, r.stderr
    assert sheet_rows(master, "Periode")[1][2:3] == ["Terbuka"]
    assert "tidak terkunci" in refused_unchanged(master, "buka", master, *PERIODE, "--alasan", "lagi")
    assert run_cli("impor", masuk, "--ke", master, *PERIODE).returncode == 0

    log = sheet_rows(master, "Log")
    col = {h: i for i, h in enumerate(log[0])}
    events = [(row[col["Peristiwa"]], row[col["Kode OPD"]], row[col["Alasan"]]) for row in log[1:]]
    assert events[0][0] == "Periode dibuka"
    assert ("Perlu Perbaikan", "5.01", f"berkas ditolak impor: {by_kode['5.01']['catatan']}") in events
    assert [e[0] for e in events if e[0] in ("Kunci", "Buka")] == ["Kunci", "Buka"]
    assert ("Buka", None, "koreksi data Dishub") in events
    assert [e[:2] for e in events if e[0] == "Diterima ulang (verifikasi batal)"] == [
        ("Diterima ulang (verifikasi batal)", k) for k in ("2.12", "2.15")]
    assert all(row[col["Oleh"]] and row[col["Waktu"]] for row in log[1:] if row[col["Peristiwa"]] != "Hitung")
    kunci = next(row for row in log[1:] if row[col["Peristiwa"]] == "Kunci")
    assert len(kunci[col["Sidik Data"]]) == 64
    assert [p.split("=")[0] for p in kunci[col["Sidik Periode"]].split()] == ["Realisasi", "Indikator", "Riwayat"]
    assert statuses(master) == {"2.12": "Diterima", "2.15": "Diterima", "5.01": "Terverifikasi"}


def test_templat_with_the_master_open_in_excel_still_writes_the_templates_and_says_status_waits(tmp_path):
    master = small_master(tmp_path)
    (tmp_path / "~$induk.xlsx").write_bytes(b"pemilik")  # Excel's owner file: the master is open
    before = digest(master)
    r = run_cli("templat", master, *PERIODE, "--keluaran", tmp_path / "keluar")
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "keluar").glob("Templat_2023_TW1_*.xlsx"))) == 3
    assert "PERINGATAN: sheet Status di induk.xlsx tidak diperbarui:" in r.stderr
    assert "akan dibuka saat impor atau indeks-opd status" in r.stderr
    assert digest(master) == before


def test_reimport_of_a_verified_opd_resets_it_and_says_so(tmp_path):
    master = small_master(tmp_path)
    t = templates(master, tmp_path / "keluar")
    fill(t["2.15"])
    assert run_cli("impor", t["2.15"], "--ke", master, *PERIODE).returncode == 0
    assert run_cli("verifikasi", master, "--opd", "2.15", *PERIODE).returncode == 0
    assert statuses(master)["2.15"] == "Terverifikasi"
    fill(t["2.15"], {"realisasi_keuangan": 950_000_000})
    r = run_cli("impor", t["2.15"], "--ke", master, *PERIODE)
    assert r.returncode == 0, r.stderr
    assert "OPD 2.15: sudah Terverifikasi, tetapi datanya diganti oleh impor ini" in r.stdout
    assert statuses(master) == {"2.15": "Diterima", "2.12": "Belum Dikirim", "5.01": "Belum Dikirim"}
    row = next(r for r in sheet_rows(master, "Status") if r[2] == "2.15")
    assert row[6:8] == [None, None]  # Diverifikasi Oleh/Pada cleared


def test_verification_refusals_leave_the_master_unchanged(tmp_path):
    master = small_master(tmp_path)
    assert run_cli("status", master, *PERIODE).returncode == 3  # opens the period: all Belum Dikirim
    err = refused_unchanged(master, "verifikasi", master, "--opd", "2.15", *PERIODE)
    assert "OPD 2.15 berstatus Belum Dikirim: datanya belum diterima" in err
    err = refused_unchanged(master, "verifikasi", master, "--opd", "9.99", *PERIODE)
    assert "OPD 9.99 tidak ada di sheet Status untuk TW I 2023" in err
    err = refused_unchanged(master, "verifikasi", master, "--opd", "2.15", *PERIODE, "--perlu-perbaikan")
    assert "--catatan" in err
    assert "belum Terverifikasi" in refused_unchanged(master, "kunci", master, *PERIODE, "--alasan", "x")


def test_hand_edit_of_a_locked_period_is_reported_by_hitung_status_and_rapor(tmp_path):
    master = small_master(tmp_path)
    periode = ("--tahun", "2022", "--triwulan", "3")
    assert run_cli("hitung", master, *periode, "--diam").returncode == 0
    r = run_cli("kunci", master, *periode, "--alasan", "Rakorpok", "--paksa")
    assert r.returncode == 0, r.stderr
    assert "Dikunci dengan --paksa walaupun 3 OPD belum Terverifikasi" in r.stderr
    assert run_cli("hitung", master, "--diam").returncode == 0  # TW 4 is open; TW 3 untouched: no galat
    assert "GALAT" not in run_cli("hitung", master, *periode, "--json").stderr

    wb = openpyxl.load_workbook(master)
    ws = wb["Realisasi"]
    row = next(r for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value, str(r[2].value)) == (2022, 3, "2.15"))
    row[5].value = row[5].value + 1
    wb.save(master)

    r = run_cli("hitung", master, *periode, "--json")
    assert r.returncode == 3
    doc = json.loads(r.stdout)
    assert doc["sementara"] is True
    assert [h["hadiah"] for h in doc["hasil"]] == [0, 0, 0]  # withheld like for any galat (they were 5/3/1 juta)
    assert "hadiah ditahan" in r.stderr
    assert doc["masalah"][0]["lokasi"] == "Realisasi" and "Data TW III 2022 di sheet Realisasi berubah setelah " \
        "periode itu dikunci" in doc["masalah"][0]["pesan"]
    r = run_cli("hitung", master, "--diam")  # another period: reported, the run goes on
    assert r.returncode == 0 and "GALAT: Realisasi: Data TW III 2022 di sheet Realisasi berubah" in r.stderr
    r = run_cli("status", master, *periode)
    assert r.returncode == 3 and "GALAT: Realisasi: Data TW III 2022" in r.stderr
    r = run_cli("rapor", master, *periode, "--keluaran", tmp_path / "rapor", "--undian", "0", "--json")
    assert r.returncode == 3 and "GALAT: Realisasi: Data TW III 2022 di sheet Realisasi berubah" in r.stderr
    rapor = json.loads(r.stdout)
    assert rapor["sementara"] is True and rapor["hadiah_ditahan"] is True
    assert [r["hadiah"] for r in rapor["rapor"]] == [0, 0, 0]


def test_templates_nobody_filled_are_skipped_and_leave_the_opd_belum_dikirim(tmp_path):
    # templat writes every OPD's file into one folder; two OPDs have not filled theirs yet
    master = small_master(tmp_path)
    t = templates(master, tmp_path / "masuk")
    err = refused_unchanged(master, "impor", tmp_path / "masuk", "--ke", master, *PERIODE)
    assert "IMPOR DIBATALKAN: tidak ada berkas yang dapat diimpor" in err and "3 templat belum diisi dilewati" in err
    fill(t["2.15"])
    r = run_cli("impor", tmp_path / "masuk", "--ke", master, *PERIODE)
    assert r.returncode == 0, r.stderr  # an unfilled template is not a problem of the import
    assert f"{t['2.12'].name}: OPD 2.12 — belum diisi (dilewati)" in r.stdout
    assert "1 berkas diimpor untuk TW I 2023 (OPD 2.15). 2 templat belum diisi dilewati" in r.stdout
    assert statuses(master) == {"2.15": "Diterima", "2.12": "Belum Dikirim", "5.01": "Belum Dikirim"}
    r = run_cli("impor", tmp_path / "masuk", "--ke", master, *PERIODE, "--lewati-bermasalah")
    assert statuses(master) == {"2.15": "Diterima", "2.12": "Belum Dikirim", "5.01": "Belum Dikirim"}


def test_a_mistyped_period_is_not_opened_by_templat_or_status(tmp_path):
    # data up to TW IV 2022, TahunAktif 2022 TW IV: 2032 is a typo for 2023 (or 2022)
    master = small_master(tmp_path)
    for command in (("status", master), ("templat", master, "--keluaran", tmp_path / "t"),
                    ("verifikasi", master, "--opd", "2.15")):
        err = refused_unchanged(master, *command, "--tahun", "2032", "--triwulan", "1")
        assert "Periode TW I 2032 tidak dibuka: belum ada datanya" in err, err
        assert "Periode yang dapat dibuka: TW I 2022, TW II 2022, TW III 2022, TW IV 2022, TW I 2023." in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["induk.xlsx"]  # no folder, no backup
    assert run_cli("status", master, "--tahun", "2023", "--triwulan", "1").returncode == 3  # the next quarter opens
