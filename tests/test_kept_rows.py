"""Riwayat's kept rows decided from the sheet's bytes (:mod:`indeks_opd.files.kept_rows`) as from its grid.

hitung no longer parses Riwayat when it can keep the earlier periods' rows: the decision is taken
from the bytes, and the grid is read only to rewrite the sheet or to hash a locked period. These
tests hold the two ways to the same answer on real files — our own writer's, LibreOffice's (shared
strings, other XML, as Excel saves them too), XlsxWriter's — and on sheets edited by hand, and check
that what parsing used to catch is still caught: damaged rows, a missing header, a locked period
changed by hand.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from indeks_opd.cli.hitung import hitung_file
from indeks_opd.contract.output_sheets import riwayat_kept_rows
from indeks_opd.core import compute_period
from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.files.kept_rows import riwayat_kept_in_bytes
from indeks_opd.files.writer import read_for_hitung
from templat_util import corrupt_deflate, patch_part, sheet_part

WAKTU = datetime(2023, 1, 9, 8, 30)


@pytest.fixture
def history(sample_workbook) -> Path:
    """The sample after hitung of 2022 TW I, II and III (our writer's Riwayat)."""
    for tw in (1, 2, 3):
        hitung_file(sample_workbook, sample_workbook, 2022, tw, run_time=WAKTU, keep_backups=0)
    return sample_workbook


def decisions(path: Path) -> list[tuple]:
    """For TW IV (new), TW III (replaced) and TW II (earlier): (from the bytes, from the grid)."""
    contents = read_for_hitung(path)
    pkg = contents.package
    part = pkg.find_sheet("Riwayat").part
    out = []
    for tw in (4, 3, 2):
        result = compute_period(contents.data, 2022, tw)
        fast = riwayat_kept_in_bytes(pkg, part, result)
        out.append((fast[0] if fast else None, riwayat_kept_rows(result, contents.existing["Riwayat"])))
    return out


def patch_riwayat(path: Path, ganti) -> Path:
    return patch_part(path, sheet_part(path, "Riwayat"), ganti)


def resaved_by_libreoffice(path: Path, folder: Path) -> Path:
    """``path`` opened and saved by LibreOffice Calc: shared strings and its own XML, as a spreadsheet program saves."""
    folder.mkdir()
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(path)],
                   check=True, capture_output=True, timeout=180)
    return folder / path.name


def values(path: Path, sheet: str = "Riwayat") -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_the_bytes_decide_as_the_grid_on_our_own_and_on_libreoffice_s_xml(history, tmp_path):
    n = (len(values(history)) - 1) // 3
    expected = [((2, 1 + 3 * n),) * 2, ((2, 1 + 2 * n),) * 2, (None, None)]
    assert decisions(history) == expected
    resaved = resaved_by_libreoffice(history, tmp_path / "lo")
    assert b't="s"' in zipfile.ZipFile(resaved).read(sheet_part(resaved, "Riwayat"))  # LibreOffice's XML indeed
    assert decisions(resaved) == expected


def _row(data: bytes, number: int) -> bytes:
    return re.search(rb'<row r="%d"[^>]*>.*?</row>' % number, data, re.DOTALL).group(0)


def _swap_rows(a: int, b: int):
    def ganti(data: bytes) -> bytes:
        ra, rb_ = _row(data, a), _row(data, b)
        na = re.sub(rb'r="([A-Z]+)?%d"' % a, lambda m: b'r="%s%d"' % (m.group(1) or b"", b), ra)
        nb = re.sub(rb'r="([A-Z]+)?%d"' % b, lambda m: b'r="%s%d"' % (m.group(1) or b"", a), rb_)
        return data.replace(ra, b"\0").replace(rb_, na).replace(b"\0", nb)
    return ganti


def _cell(ref: str, xml: str):
    def ganti(data: bytes) -> bytes:
        baru, n = re.subn(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode(), xml.encode(), data, count=1)
        assert n == 1, ref
        return baru
    return ganti


def _append(row: int, xml: str):
    def ganti(data: bytes) -> bytes:
        old = _row(data, row)
        return data.replace(old, old[:-len(b"</row>")] + xml.encode() + b"</row>")
    return ganti


def _style_of(ref: str):
    def ganti(data: bytes) -> bytes:  # the date-time style of Dihitung Pada given to another cell
        waktu = re.search(rb'<c r="P2" s="(\d+)"', data).group(1)
        return re.sub(rb'<c r="%s"(?: s="\d+")?' % ref.encode(), b'<c r="%s" s="%s"' % (ref.encode(), waktu), data)
    return ganti


EDITS = {  # a hand edit or another program's XML: (the edit, whether the bytes must still decide)
    "dua baris ditukar": (_swap_rows(3, 4), False),
    "baris kosong di tengah": (lambda d: d.replace(_row(d, 5), b""), False),
    "catatan di kanan tabel": (_append(6, '<c r="Q6" t="inlineStr"><is><t>catatan</t></is></c>'), False),
    "tahun berformat tanggal": (_style_of("A7"), False),
    "rumus di sel": (_cell("E8", '<c r="E8"><f>1+1</f><v>2</v></c>'), False),
    "sel tanpa alamat": (_cell("E8", '<c><v>2</v></c>'), False),
    "teks di kolom tahun": (_cell("A9", '<c r="A9" t="inlineStr"><is><t>2022</t></is></c>'), False),
    "tahun pecahan": (_cell("A9", '<c r="A9"><v>2022.0</v></c>'), False),
    "atribut baris excel": (lambda d: re.sub(rb'<row r="(\d+)"([^>]*)>', rb'<row r="\1" spans="1:16"\2 x14ac:dyDescent="0.25">',
                                               d.replace(b"<worksheet ", b'<worksheet xmlns:x14ac="http://schemas.'
                                                         b'microsoft.com/office/spreadsheetml/2009/9/ac" ', 1)), True),
    "awalan x14ac tanpa deklarasi": (lambda d: re.sub(rb'<row r="(\d+)"', rb'<row r="\1" x14ac:dyDescent="0.25"', d),
                                     False),
    "nama dengan entitas": (_cell("D10", '<c r="D10" t="inlineStr"><is><t>Dinas A &amp; B</t></is></c>'), True),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_sheet_edited_by_hand_is_decided_as_its_grid_decides(history, edit):
    ganti, decided = EDITS[edit]
    found = decisions(patch_riwayat(history, ganti))
    for fast, slow in found:
        assert fast is None or fast == slow, (edit, found)
    assert (found[0][0] is not None) == decided, (edit, found)
    assert found[0][1] is not None or not decided


def test_equal_ranks_are_ordered_by_name_as_the_grid_orders_them(history):
    data = zipfile.ZipFile(history).read(sheet_part(history, "Riwayat"))
    rank = re.search(rb'<c r="J2"[^>]*><v>([^<]*)</v>', data).group(1).decode()
    names = [re.search(rb'<c r="D%d"[^>]*><is><t>([^<]*)</t>' % r, data).group(1).decode() for r in (2, 3)]
    tied = patch_riwayat(Path(shutil.copy(history, history.with_name("seri.xlsx"))), _cell("J3", f'<c r="J3"><v>{rank}</v></c>'))
    [(fast, slow), *_] = decisions(tied)
    assert fast == slow and (slow is not None) == (names[0] <= names[1])
    swapped = patch_riwayat(tied, _cell("D3", f'<c r="D3" t="inlineStr"><is><t>{names[0]}</t></is></c>'))
    swapped = patch_riwayat(swapped, _cell("D2", f'<c r="D2" t="inlineStr"><is><t>{max(names)}~</t></is></c>'))
    [(fast, slow), *_] = decisions(swapped)
    assert fast == slow is None  # the same rank, names out of order: rewritten whole, as before


def test_xlsxwriter_shared_strings_are_decided_from_the_bytes(tmp_path):
    import sys

    from conftest import SRC

    sys.path.insert(0, str(SRC.parent / "benchmarks"))
    import generate  # the benchmark's data: shared strings as Excel writes them

    rows = generate.contract_rows(6, 2, 1)
    rows.update(generate.history_rows(6, 3))
    master = generate.write_master(tmp_path / "induk.xlsx", rows, generate.TAHUN, 1)
    contents = read_for_hitung(master)
    result = compute_period(contents.data, generate.TAHUN, 1)
    fast = riwayat_kept_in_bytes(contents.package, contents.package.find_sheet("Riwayat").part, result)
    assert fast is not None and fast[0] == riwayat_kept_rows(result, contents.existing["Riwayat"]) == (2, 19)


DAMAGE = {  # damage inside a row the run would keep: python-calamine refuses the sheet, so hitung does
    "entitas tak dikenal": _cell("D4", '<c r="D4" t="inlineStr"><is><t>&xxe;</t></is></c>'),
    "boolean bukan 0/1": _cell("N4", '<c r="N4" t="b"><v>2</v></c>'),
    "indeks string di luar tabel": _cell("N4", '<c r="N4" t="s"><v>999999</v></c>'),
    "tag tidak cocok": _cell("E4", '<c r="E4"><v>1</w></c>'),
    "utf-8 rusak": lambda d: d.replace(b"<v>2022</v>", b"<v>2022</v>\xff", 1),
    "nilai galat tak dikenal": _cell("K4", '<c r="K4" t="e"><v>BAD</v></c>'),
}


@pytest.mark.parametrize("kasus", DAMAGE)
def test_damage_in_a_kept_row_still_stops_hitung_and_writes_nothing(history, kasus):
    master = patch_riwayat(history, DAMAGE[kasus])
    before = master.read_bytes()
    with pytest.raises(UnusableWorkbook, match="rusak"):
        hitung_file(master, master, 2022, 4, run_time=WAKTU, keep_backups=0)
    assert master.read_bytes() == before


@pytest.mark.parametrize("perintah", ["hitung", "status", "rapor"])
def test_a_damaged_riwayat_part_is_refused_by_every_command_that_reads_the_master(history, tmp_path, perintah):
    """Riwayat is parsed only when needed, but its part is checked as before."""
    master = corrupt_deflate("Riwayat")(history)
    before = master.read_bytes()
    args = {"hitung": (), "status": (), "rapor": ("--keluaran", tmp_path / "rapor", "--undian", "0")}[perintah]
    r = run_cli(perintah, master, "--tahun", "2022", "--triwulan", "3", *args)
    assert r.returncode == 2 and f"rusak (bagian {sheet_part(master, 'Riwayat')})" in r.stderr, r.stderr
    assert master.read_bytes() == before


def test_a_tahun_too_long_for_an_integer_is_decided_from_the_grid_and_kept(history):
    """A Tahun of twenty digits (no spreadsheet program writes one) is no traceback: the grid decides, the sheet is
    rewritten whole and the row is still there."""
    master = patch_riwayat(history, _cell("A4", '<c r="A4"><v>99999999999999999999</v></c>'))
    hitung_file(master, master, 2022, 4, run_time=WAKTU, keep_backups=0)
    tahun = [r[0] for r in openpyxl.load_workbook(master, read_only=True)["Riwayat"].iter_rows(values_only=True)]
    assert 1e20 in tahun and tahun.count(2022) == len(tahun) - 2  # header, the long one, the rest 2022


def test_a_riwayat_with_data_but_no_header_still_refuses(history):
    master = patch_riwayat(history, lambda d: re.sub(rb'<row r="1"[^>]*>.*?</row>', b"", d, count=1, flags=re.DOTALL))
    before = master.read_bytes()
    with pytest.raises(UnusableWorkbook, match="judul kolomnya"):
        hitung_file(master, master, 2022, 4, run_time=WAKTU, keep_backups=0)
    assert master.read_bytes() == before


def test_a_locked_period_changed_by_hand_is_still_found_when_its_rows_are_kept(history):
    r = run_cli("kunci", history, "--tahun", "2022", "--triwulan", "1", "--alasan", "Rakorpok TW I", "--paksa")
    assert r.returncode == 0, r.stderr
    clean = run_cli("hitung", history, "--tahun", "2022", "--triwulan", "4", "--diam")
    assert clean.returncode in (0, 3) and "berubah setelah periode itu dikunci" not in clean.stderr, clean.stderr
    data = zipfile.ZipFile(history).read(sheet_part(history, "Riwayat"))
    indeks = re.search(rb'<c r="I2"[^>]*><v>([^<]*)</v>', data).group(1).decode()
    patch_riwayat(history, _cell("I2", f'<c r="I2"><v>{float(indeks) + 1}</v></c>'))
    changed = run_cli("hitung", history, "--tahun", "2022", "--triwulan", "4", "--diam")
    assert "Data TW I 2022 di sheet Riwayat berubah setelah periode itu dikunci" in changed.stderr, changed.stderr
    assert values(history)[1][8] == pytest.approx(float(indeks) + 1)  # the row is kept as it is, change and all


def test_a_riwayat_nothing_needs_is_not_parsed_and_its_bad_cell_refuses_only_a_write(history):
    """``hitung --json`` with no locked period reads no Riwayat value: a cell python-calamine cannot read there
    does not stop it (docs/arsitektur.md); the same master is refused as soon as a run would write it."""
    master = patch_riwayat(history, DAMAGE["nilai galat tak dikenal"])
    r = run_cli("hitung", master, "--tahun", "2022", "--triwulan", "4", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["tahun"] == 2022, r.stderr
    before = master.read_bytes()
    r = run_cli("hitung", master, "--tahun", "2022", "--triwulan", "4")
    assert r.returncode == 2 and "rusak" in r.stderr and master.read_bytes() == before
