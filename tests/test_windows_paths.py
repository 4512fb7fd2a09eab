"""Windows paths, where the users are: file names Windows accepts, paths that fit under MAX_PATH on a
network share, Excel's owner files (``~$name``) beside templates on a share. What can be checked
here is checked with ``ntpath``/``PureWindowsPath`` (Windows' own path rules in pure Python) and real
runs; drive letters, UNC paths and spaces in real use are for the ``excel``-marked tests."""

from __future__ import annotations

import ntpath
import re
from pathlib import PureWindowsPath

import pytest

from conftest import run_cli
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from indeks_opd.templat.generate import OpdInfo, template_filename

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
SHARE = PureWindowsPath(r"\\bappeda-fs01\Data Bersama\Indeks Kinerja OPD\2024\TW1 — kiriman OPD")


def windows_problems(name: str) -> list[str]:
    out = []
    if WINDOWS_FORBIDDEN.search(name):
        out.append("forbidden character")
    if name.endswith((".", " ")):
        out.append("ends with a dot or space")
    if name.split(".")[0].upper() in DEVICE_NAMES:
        out.append("device name")
    if ntpath.basename(name) != name:
        out.append("not one path component")
    return out


@pytest.mark.parametrize("kode, nama, singkatan", [
    ("2.15", "Dinas Perhubungan", "Dishub"),
    ("1.05", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("7/01", 'Badan "Riset": Inovasi <Daerah> | Kota?', ""),
    ("CON", "Kantor Kecamatan Semarang Tengah...", "Kec. Smg. Tengah."),
    ("3.30", "Dinas Perdagangan, Koperasi dan UKM " * 12, ""),
    ("4.10", "Dinas Pariwisata — Kebudayaan é", "Disbudpar é"),
])
def test_template_names_are_valid_windows_names_that_fit_a_network_share(kode, nama, singkatan):
    name = template_filename(OpdInfo(kode, nama, singkatan), 2024, 1)
    assert windows_problems(name) == []
    assert name.startswith("Templat_2024_TW1_") and name.endswith(".xlsx")
    assert len(str(SHARE / name)) < 260  # MAX_PATH, without the long-path setting


def test_templat_for_an_opd_with_a_very_long_name_and_no_short_name(tmp_path):
    """The name once became the file name whole: 420 characters, refused by Windows and by Linux."""
    rows = sample_rows()
    rows["OPD"][1] = [rows["OPD"][1][0], "Dinas Perdagangan, Koperasi dan Usaha Mikro Kecil Menengah " * 7, "", "Ya"]
    master = write_contract_workbook(tmp_path / "Induk Bappeda.xlsx", rows)
    r = run_cli("templat", master, "--tahun", "2023", "--triwulan", "1", "--keluaran", tmp_path / "kirim")
    assert r.returncode == 0, r.stderr
    names = [p.name for p in (tmp_path / "kirim").iterdir()]
    assert len(names) == sum(r[3] == "Ya" for r in rows["OPD"][1:])
    assert "Templat_2023_TW1_2.15_Dinas-Perdagangan-Koperasi-dan-Usaha-Mik.xlsx" in names
    assert all(windows_problems(n) == [] and len(n) <= 120 for n in names)


def test_impor_passes_over_excels_owner_files_in_a_shared_folder(tmp_path):
    """A colleague with a template open on the share leaves ``~$Templat_...xlsx`` (Excel's owner file,
    162 bytes holding the user's name) beside it: not a template, not a problem."""
    from templat_util import fill, make_master, make_templates

    master = make_master(tmp_path / "Bappeda Kota é", "Induk Bappeda.xlsx")
    templates = make_templates(master, tmp_path / "kirim", 2023, 1)
    for path in templates.values():
        fill(path)
    first = next(iter(templates.values()))
    owner = first.with_name("~$" + first.name)
    owner.write_bytes(b"\x0bPegawai OPD" + b"\x20" * 43 + b"\x0b\x00P\x00e\x00g\x00" + bytes(101))
    r = run_cli("impor", tmp_path / "kirim", "--ke", master, "--tahun", "2023", "--triwulan", "1")
    assert r.returncode == 0, r.stderr
    assert not any(line.startswith(owner.name) for line in r.stdout.splitlines())  # never read as a template
    # the template it belongs to is still open: its unsaved edits are not imported (issue 13), a warning only
    assert f"ada '{owner.name}'): perubahan yang belum disimpan tidak ikut diimpor" in r.stdout + r.stderr
    assert f"{len(templates)} berkas diimpor" in r.stdout
