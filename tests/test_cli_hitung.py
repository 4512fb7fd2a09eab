"""`indeks-opd hitung --json` as a user runs it, on workbooks written with openpyxl.

In-process through ``cli.main(argv)``; the sample ranking and the closed pipe run the installed
entry point in a fresh interpreter (``python -m indeks_opd``).
"""

import json
import os
import re
import subprocess
import sys

import openpyxl
import pytest

from conftest import SRC, hitung_json, run_cli, run_cli_process, run_cli_terminal
from helpers import indikator, opd, realisasi
from indeks_opd.contract import default_headers
from indeks_opd.files.sample import write_contract_workbook


def test_sample_workbook_ranking(sample_workbook):
    r = run_cli_process("hitung", sample_workbook, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["tahun"], doc["triwulan"], doc["sementara"]) == (2022, 4, False)
    top = [(x["nama"], x["peringkat"], x["hadiah"]) for x in doc["hasil"][:3]]
    assert top == [("Dinas Perhubungan", 1, 5_000_000), ("Dinas Kependudukan dan Pencatatan Sipil", 2, 3_000_000),
                   ("Badan Perencanaan Pembangunan Daerah", 3, 1_000_000)]
    lowest = [x["nama"] for x in doc["hasil"] if x["terendah"]]
    assert lowest == ["Dinas Lingkungan Hidup", "Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan Ruang"]
    assert all(x["zona"] == "Hijau" for x in doc["hasil"])           # as in the Rakorpok article
    assert len(doc["hasil"]) == 18                                     # the inactive OPD is not ranked
    inspektorat = next(x for x in doc["hasil"] if x["kode"] == "6.01")
    assert inspektorat["p3dn"] is None                                 # no P3DN target: redistributed
    assert set(doc["hasil"][0]) == {"kode", "nama", "serapan", "fisik", "cakin", "p3dn", "indeks", "peringkat",
                                    "kategori", "zona", "warna", "hadiah", "terendah", "kelompok", "peringkat_umum",
                                    "ketepatan_waktu", "komponen_lain"}
    # without peer groups, extra components or a weighted Ketepatan Waktu the new keys say so
    assert all(x["kelompok"] is None and x["peringkat_umum"] == x["peringkat"] and x["ketepatan_waktu"] is None
               and x["komponen_lain"] == {} for x in doc["hasil"])


def test_other_period_by_flags(sample_workbook):
    code, doc, _ = hitung_json(sample_workbook, "--tahun", "2022", "--triwulan", "3")
    assert code == 0 and doc["triwulan"] == 3
    assert doc["hasil"][0]["kode"] == "5.02"


def contract(tmp_path, real, ind=None, opds=("A", "B")):
    return write_contract_workbook(tmp_path / "buku.xlsx", {
        "OPD": [list(default_headers("OPD"))] + [list(opd(k)) for k in opds],
        "Realisasi": [list(default_headers("Realisasi"))] + [list(r) for r in real],
        "Indikator": [list(default_headers("Indikator"))] + [list(r) for r in (ind or [indikator(k) for k in opds])],
    }, tahun_aktif=2023, triwulan_aktif=4)


def test_provisional_result_exit_3(tmp_path):
    path = contract(tmp_path, [realisasi("A"), (2023, 4, "B", 1000, 800, "tujuh ratus", 80, 64, None, None)])
    code, doc, err = hitung_json(path)
    assert code == 3
    assert doc["sementara"] is True
    assert [x["kode"] for x in doc["hasil"]] == ["A"] and doc["hasil"][0]["hadiah"] == 0
    assert doc["masalah"] == [{"tingkat": "galat", "lokasi": "Realisasi!F3", "kode": "B",
                               "pesan": doc["masalah"][0]["pesan"]}]
    assert "SEMENTARA" in err and "hadiah ditahan" in err


def test_warnings_keep_exit_0(tmp_path):
    path = contract(tmp_path, [realisasi("A"), realisasi("B"), realisasi("X")])
    code, doc, _ = hitung_json(path)
    assert code == 0 and not doc["sementara"]
    assert [m["tingkat"] for m in doc["masalah"]] == ["peringatan"]


def test_missing_sheet_exit_2(tmp_path):
    path = contract(tmp_path, [realisasi("A"), realisasi("B")])
    wb = openpyxl.load_workbook(path)
    del wb["Indikator"]
    wb.save(path)
    code, doc, err = hitung_json(path)
    assert code == 2 and doc is None
    assert "Sheet 'Indikator' tidak ditemukan" in err and "Traceback" not in err


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 rusak"])
def test_unreadable_file_exit_2(tmp_path, content):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(content)
    code, doc, err = hitung_json(path)
    assert code == 2 and doc is None
    assert "bukan buku kerja Excel yang utuh" in err and "Traceback" not in err


def test_no_active_period_needs_flags(tmp_path):
    path = contract(tmp_path, [realisasi("A"), realisasi("B")])
    wb = openpyxl.load_workbook(path)
    del wb.defined_names["TriwulanAktif"]
    wb["Parameter"]["F5"] = "Lainnya"
    wb.save(path)
    code, _, err = hitung_json(path)
    assert code == 2 and "TriwulanAktif tidak ada" in err
    code, doc, _ = hitung_json(path, "--triwulan", "4")
    assert code == 0 and len(doc["hasil"]) == 2


def test_help_and_usage_errors_are_indonesian():
    r = run_cli("hitung", "--help")
    assert r.returncode == 0 and "Pemakaian: indeks-opd hitung" in r.stdout and "Kode keluar" in r.stdout
    r = run_cli("hitung")
    assert r.returncode == 2 and "argumen berikut wajib diisi: BERKAS" in r.stderr
    r = run_cli("hitung", "x.xlsx", "--triwulan", "5")
    assert r.returncode == 2 and "pilihan tidak sah" in r.stderr


@pytest.mark.parametrize("tahun", ["22", "0", "99999", "1899", "dua"])
def test_an_implausible_year_is_refused_before_anything_is_read_or_written(sample_workbook, tmp_path, tahun):
    before = sample_workbook.read_bytes()
    commands = [("hitung", sample_workbook), ("status", sample_workbook),
                ("templat", sample_workbook, "--keluaran", tmp_path / "t"),
                ("rapor", sample_workbook, "--keluaran", tmp_path / "r"), ("impor", tmp_path, "--ke", sample_workbook),
                ("kunci", sample_workbook, "--alasan", "x"), ("buka", sample_workbook, "--alasan", "x"),
                ("verifikasi", sample_workbook, "--opd", "2.15")]
    for command in commands:
        r = run_cli(*command, "--tahun", tahun)
        assert r.returncode == 2 and f"tahun tidak wajar: '{tahun}'" in r.stderr, (command, r.stderr)
        assert "Traceback" not in r.stderr
    assert sample_workbook.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [sample_workbook.name]  # no folder, no backup


def test_a_file_written_after_a_list_option_gets_a_hint(sample_workbook):
    r = run_cli("verifikasi", "--opd", "2.15", sample_workbook)
    assert r.returncode == 2 and "argumen berikut wajib diisi: INDUK" in r.stderr
    assert "Tulis berkas lebih dulu, mis. indeks-opd verifikasi induk.xlsx --opd ..." in r.stderr
    r = run_cli("hitung")  # no list option: the plain message
    assert "argumen berikut wajib diisi: BERKAS\n" in r.stderr


def test_output_piped_into_a_closed_reader_is_not_an_error(tmp_path):
    # `indeks-opd hitung X --json | head -1`: the reader goes away before the output (larger than
    # a pipe buffer) is written; no GALAT message, exit 0
    kode = [f"{i}.01" for i in range(600)]
    path = contract(tmp_path, [realisasi(k) for k in kode], [indikator(k) for k in kode], opds=kode)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    p = subprocess.Popen([sys.executable, "-m", "indeks_opd", "hitung", str(path), "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert p.stdout.readline().strip() == b"{"
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0
    assert "GALAT" not in err and "Traceback" not in err


def _ranking_lines(text: str) -> dict[str, str]:
    """Table rows by their rank cell: '1' → the row's line."""
    return {m.group(1): m.group(0) for m in re.finditer(r"^\s*(\d+|–)\s{2,}\S.*$", text, re.MULTILINE)}


def test_ranking_fits_an_80_column_terminal(tmp_path):
    """The complaint: at 80 columns `demo` showed Peringkat, OPD, Nama and part of Kategori; Hadiah and Terendah were gone."""
    code, text = run_cli_terminal("demo", columns=80, cwd=tmp_path)
    assert code == 0, text
    table = text[text.index("Peringkat Indeks Kinerja OPD"):text.index("Hasil:")]
    assert all(len(line) <= 80 for line in table.splitlines())
    assert "…" not in table
    header = next(line for line in text.splitlines() if "Peringkat" in line and "Hadiah" in line)
    assert {"Indeks", "Kategori", "Hadiah", "Keterangan"} <= set(header.split())
    rows = _ranking_lines(text)
    assert re.search(r"1\s+Dishub\s+98,21\s+Sangat Tinggi\s+Rp 5\.000\.000", rows["1"])
    assert "Rp 3.000.000" in rows["2"] and "Rp 1.000.000" in rows["3"]
    assert [k for k, line in rows.items() if "▼ Terendah" in line] == ["16", "17", "18"]


@pytest.mark.parametrize("columns", [None, "80"])
def test_unranked_note_is_never_cut_when_piped(tmp_path, columns):
    path = contract(tmp_path, [realisasi("A"), (2023, 4, "B", 1000.0, 800.0, -1.0, 80.0, 64.0, None, None)])
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    env.pop("COLUMNS", None)
    if columns:
        env["COLUMNS"] = columns
    r = subprocess.run([sys.executable, "-m", "indeks_opd", "hitung", str(path)], capture_output=True, text=True,
                       env=env)
    assert r.returncode == 3, r.stderr
    assert "…" not in r.stdout
    assert "Tidak dinilai: lihat Masalah" in " ".join(r.stdout.replace("│", " ").split()), r.stdout


def test_one_vocabulary_and_the_obvious_aliases(sample_workbook, tmp_path):
    """The complaints: '--triwulan IV' refused though cells accept 'IV'; '--version' refused; rapor had no
    --diam and called the master MASTER; report files said TWIV where templates say TW4."""
    code, doc, err = hitung_json(sample_workbook, "--triwulan", "IV")
    assert code == 0 and (doc["tahun"], doc["triwulan"]) == (2022, 4), err
    assert hitung_json(sample_workbook, "--triwulan", "tw 3")[1]["triwulan"] == 3
    r = run_cli("hitung", sample_workbook, "--triwulan", "V")
    assert r.returncode == 2 and "'V' (isi 1, 2, 3 atau 4; IV dan TW4 juga boleh)" in r.stderr
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("indeks-opd ")
    r = run_cli("rapor", "--help")
    assert "INDUK" in r.stdout and "MASTER" not in r.stdout and "--diam" in r.stdout
    r = run_cli("rapor", sample_workbook, "--keluaran", tmp_path / "r", "--undian", 0, "--diam", "--triwulan", "IV")
    assert r.returncode == 0 and r.stdout == "", r.stderr
    assert (tmp_path / "r" / "laporan_rakorpok_2022_TW4.pdf").is_file()



def test_hitung_gives_the_cycle_collector_back_on_after_a_run_and_after_a_refusal(sample_workbook, tmp_path):
    """hitung pauses Python's cycle collector while it runs (its cells and records hold no cycles); a run
    that writes and one refused for a damaged file both leave it on for whatever the process does next
    (the Excel add-in's Python process runs for hours)."""
    import gc

    assert gc.isenabled()
    assert run_cli("hitung", str(sample_workbook), "--keluaran", str(tmp_path / "hasil.xlsx"), "--diam").returncode == 0
    assert gc.isenabled()
    rusak = tmp_path / "rusak.xlsx"
    rusak.write_bytes(sample_workbook.read_bytes()[:5000])
    assert run_cli("hitung", str(rusak), "--keluaran", str(tmp_path / "x.xlsx"), "--diam").returncode == 2
    assert gc.isenabled()


def test_a_blank_kode_is_blank_in_masalah_and_the_json_stays_strict_json(tmp_path):
    """A blank text cell is None in the records, not NaN: the Masalah row of an OPD row without a code shows an
    empty Kode OPD cell (it read 'nan'), and ``--json`` never writes NaN, which JSON parsers refuse."""
    from indeks_opd.files.sample import sample_rows, write_contract_workbook

    rows = sample_rows()
    header = next(i for i, r in enumerate(rows["OPD"]) if r and "Kode OPD" in r)
    kode = rows["OPD"][header].index("Kode OPD")
    rows["OPD"][header + 3] = [None if j == kode else v for j, v in enumerate(rows["OPD"][header + 3])]
    induk = write_contract_workbook(tmp_path / "induk.xlsx", rows)

    assert run_cli("hitung", str(induk), "--keluaran", str(tmp_path / "hasil.xlsx"), "--diam").returncode == 3
    masalah = list(openpyxl.load_workbook(tmp_path / "hasil.xlsx")["Masalah"].iter_rows(values_only=True))
    [row] = [r for r in masalah if r[3] and r[3].startswith("Kode OPD kosong")]
    assert row[:3] == ("Galat", f"OPD!A{header + 4}", None)

    def refuse(constant):
        raise ValueError(f"bukan JSON: {constant}")

    r = run_cli("hitung", str(induk), "--json")
    json.loads(r.stdout, parse_constant=refuse)
    assert r.returncode == 3
