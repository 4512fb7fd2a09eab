"""Hostile and damaged master workbooks, as every command that reads one meets them.

Each case damages a copy of the shipped master (``xlsm/IndeksKinerjaOPD.xlsm``) the way a
crash, a bad disk, a hostile file or another program would, then runs the commands that
read a master (``hitung``, ``impor --ke``, ``rapor``, ``templat``) as a user does: exit 2,
an Indonesian message naming the file and saying what to do, never a traceback, and the
master byte for byte as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import SRC, run_cli, run_cli_process
from indeks_opd.files.safe_write import backups_of
from indeks_opd.files.xlsx_package import Package
from templat_util import corrupt_deflate, fill, make_templates, patch_part, sheet_part, strict_ooxml, truncate_xml

SHIPPED = Path(__file__).resolve().parents[1] / "xlsm" / "IndeksKinerjaOPD.xlsm"
BOMB_DTD = ('<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
            '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>')


def entity_amplification(path: Path) -> Path:
    def ganti(data: bytes) -> bytes:
        teks = data.decode()
        awal = teks.index("<workbook")
        return (teks[:awal] + BOMB_DTD + teks[awal:]).replace('name="Petunjuk"', 'name="&f;"').encode()
    return patch_part(path, "xl/workbook.xml", ganti)


def shared_strings_bomb(path: Path) -> Path:
    """sharedStrings.xml that unpacks to 64 MB of one repeated string (a few dozen KB packed)."""
    def ganti(data: bytes) -> bytes:
        kepala, ekor = data.split(b"</sst>")
        return kepala + b"<si><t>" + b"A" * (64 << 20) + b"</t></si></sst>" + ekor
    return patch_part(path, "xl/sharedStrings.xml", ganti)


def calc_chain_with_undefined_entity(path: Path) -> Path:
    """A calcChain.xml (a part hitung rewrites) holding an entity nothing defines."""
    peringkat = next(s for s in Package.open(path).sheets() if s.name == "Peringkat")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/calcChain.xml", '<?xml version="1.0"?><calcChain xmlns="http://schemas.openxmlformats.org/'
                   f'spreadsheetml/2006/main"><c r="A1" i="{peringkat.sheet_id}" l="&xxe;"/></calcChain>')
    patch_part(path, "xl/_rels/workbook.xml.rels", lambda d: d.replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>'))
    return patch_part(path, "[Content_Types].xml", lambda d: d.replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.calcChain+xml"/></Types>'))


def entity_in_sheet(sheet):
    """A DTD in a worksheet: parts whose content is checked while the reader scans them (not up front)."""
    def jalan(path: Path) -> Path:
        part = sheet_part(path, sheet)

        def ganti(data: bytes) -> bytes:
            teks = data.decode()
            awal = teks.index("<worksheet")
            return (teks[:awal] + '<!DOCTYPE worksheet [<!ENTITY x "xxxxxxxx">]>' + teks[awal:]).encode()
        return patch_part(path, part, ganti)
    return jalan


# id: (damage, message fragment)
CASES = {
    "entitas_di_sheet_masukan": (entity_in_sheet("Realisasi"), "deklarasi XML (DTD/entitas) di xl/worksheets/"),
    "entitas_di_sheet_yang_tidak_dibaca": (entity_in_sheet("Petunjuk"), "deklarasi XML (DTD/entitas) di xl/worksheets/"),
    "deflate_rusak_di_sheet_masukan": (corrupt_deflate("Indikator"), "rusak (bagian xl/worksheets/sheet5.xml)"),
    "deflate_rusak_di_sheet_hasil": (corrupt_deflate("Masalah"), "rusak (bagian xl/worksheets/sheet9.xml)"),
    "xml_terpotong_di_sheet_masukan": (truncate_xml("Realisasi"), "rusak"),
    "xml_terpotong_di_sheet_hasil_yang_ditulis_ulang": (truncate_xml("Masalah"), "rusak"),
    "bom_entitas_di_workbook": (entity_amplification, "deklarasi XML (DTD/entitas) di xl/workbook.xml"),
    "bom_kompresi_sharedstrings": (shared_strings_bomb, "bom kompresi"),
    "entitas_tak_terdefinisi_di_calcchain": (calc_chain_with_undefined_entity, "rusak (bagian xl/calcChain.xml)"),
    "strict_open_xml": (strict_ooxml, "Strict Open XML Spreadsheet"),
}
ADVICE = {"strict_open_xml": "Simpan Sebagai"}
COMMANDS = {
    "hitung": lambda m, tmp: ("hitung", m),
    "impor": lambda m, tmp: ("impor", tmp / "masuk", "--ke", m),
    "rapor": lambda m, tmp: ("rapor", m, "--keluaran", tmp / "rapor", "--undian", "0"),
    "templat": lambda m, tmp: ("templat", m, "--keluaran", tmp / "templat"),
}


@pytest.fixture(scope="module")
def incoming(tmp_path_factory):
    """One filled template, so that impor gets as far as reading and writing the master."""
    folder = tmp_path_factory.mktemp("masuk")
    fill(make_templates(SHIPPED, folder, kode=["2.15"])["2.15"])
    return folder


REWRITTEN_ONLY = {"xml_terpotong_di_sheet_hasil_yang_ditulis_ulang", "entitas_tak_terdefinisi_di_calcchain"}
"""Damage inside XML only the writing commands parse (rapor and templat never open those parts)."""


@pytest.mark.parametrize("perintah, kasus", [(p, k) for p in COMMANDS for k in CASES
                                              if p in ("hitung", "impor") or k not in REWRITTEN_ONLY])
def test_damaged_master_is_a_clear_exit_2(tmp_path, incoming, kasus, perintah):
    rusak, pesan = CASES[kasus]
    master = rusak(Path(shutil.copy(SHIPPED, tmp_path / "Induk Bappeda.xlsm")))
    shutil.copytree(incoming, tmp_path / "masuk")
    before = master.read_bytes()
    r = run_cli(*COMMANDS[perintah](master, tmp_path))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Warning" not in r.stderr, r.stderr
    assert "Induk Bappeda.xlsm" in r.stderr and pesan in r.stderr, r.stderr
    assert ADVICE.get(kasus, "simpan ulang") in r.stderr, r.stderr
    assert master.read_bytes() == before and backups_of(master) == []


def test_a_written_part_is_well_formed_or_nothing_is_written(tmp_path):
    """The last guard before the atomic replace: an edited part that would not be well-formed XML
    on its own (here an entity reference left in a tree) stops the save."""
    from lxml import etree

    from indeks_opd.core.masalah import UnusableWorkbook
    from indeks_opd.files.safe_write import replace_atomically

    master = Path(shutil.copy(SHIPPED, tmp_path / "Induk.xlsm"))
    before = master.read_bytes()
    pkg = Package.open(master)
    cell = pkg.xml(sheet_part(master, "Log")).find(".//{*}sheetData")
    cell.append(etree.Entity("xxe"))
    with pytest.raises(UnusableWorkbook, match="tidak menjadi XML yang utuh"), replace_atomically(master) as tmp:
        pkg.save(tmp)
    assert master.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["Induk.xlsm"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
@pytest.mark.parametrize("perintah", COMMANDS)
def test_a_fifo_given_as_master_is_refused_not_waited_on(tmp_path, incoming, perintah):
    master = tmp_path / "Induk.xlsm"
    os.mkfifo(master)
    shutil.copytree(incoming, tmp_path / "masuk")
    r = run_cli_process(*COMMANDS[perintah](master, tmp_path), timeout=60)
    assert r.returncode == 2 and "bukan berkas biasa" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_among_the_templates_is_refused_not_waited_on(tmp_path, incoming):
    master = Path(shutil.copy(SHIPPED, tmp_path / "Induk.xlsm"))
    fifo = tmp_path / "Templat_2022_TW4_5.01_Bappeda.xlsx"
    os.mkfifo(fifo)
    r = run_cli_process("impor", fifo, "--ke", master, timeout=60)
    assert r.returncode == 2 and "bukan berkas biasa" in r.stderr, r.stderr
    folder = tmp_path / "masuk"
    shutil.copytree(incoming, folder)
    os.mkfifo(folder / "pipa.xlsx")
    r = run_cli_process("impor", folder, "--ke", master, "--lewati-bermasalah", timeout=60)
    assert "pipa.xlsx" in r.stdout + r.stderr and "bukan berkas biasa" in r.stderr, (r.stdout, r.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_master_reached_through_a_symbolic_link_stays_a_link(tmp_path):
    real = tmp_path / "arsip" / "IndeksKinerjaOPD.xlsm"
    real.parent.mkdir()
    shutil.copy(SHIPPED, real)
    link = tmp_path / "IndeksKinerjaOPD.xlsm"
    link.symlink_to(real)
    r = run_cli("hitung", link, "--diam")
    assert r.returncode in (0, 3), r.stderr
    assert link.is_symlink() and Path(os.readlink(link)) == real
    assert len(backups_of(real)) == 1 and backups_of(link) == []
    with zipfile.ZipFile(real) as z:
        assert re.search(rb"<row r=\"[0-9]+\"", z.read(sheet_part(real, "Log")))


def test_disk_full_during_the_backup_leaves_no_backup_and_the_master_untouched(tmp_path):
    """The backup copy hits the file-size limit of the process (EFBIG at the OS write boundary), after
    the new workbook was written: exit 2, no truncated backup, the master as it was."""
    resource = pytest.importorskip("resource")
    master = Path(shutil.copy(SHIPPED, tmp_path / "Induk.xlsm"))
    with zipfile.ZipFile(master, "a") as z:
        z.comment = b"x" * 65000  # the saved workbook drops the comment: the backup is the larger file
    ukuran = master.stat().st_size
    (tmp_path / "uji").mkdir()
    probe = Path(shutil.copy(master, tmp_path / "uji" / "Induk.xlsm"))
    assert run_cli("hitung", probe, "--diam").returncode in (0, 3)
    baru = probe.stat().st_size
    assert baru + 20_000 < ukuran
    batas = (baru + ukuran) // 2
    before = master.read_bytes()

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (batas, batas))

    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-m", "indeks_opd", "hitung", str(master), "--diam"], capture_output=True,
                       text=True, env=env, preexec_fn=limit, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "Cadangan 'Induk.xlsm' tidak dapat dibuat" in r.stderr and "Berkas asli tidak diubah" in r.stderr
    assert master.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Induk.xlsm", "uji"]
