"""Every command on a Windows console code page (cp1252 for redirected output, cp437 for ``cmd.exe``):
the same information as on a UTF-8 terminal, plain stand-ins for symbols, never a traceback.

Each command runs three times in a fresh interpreter, as a user would, in a folder whose name has
spaces and a non-ASCII letter: with UTF-8 output, then with ``PYTHONIOENCODING`` set to each code
page. The words and numbers of the output must be the same.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SRC
from templat_util import fill, make_master, make_templates

ENCODINGS = ("utf-8", "cp1252", "cp437")
FOLDER = "Bappeda Kota Semarang é"


def run(args: list[str], encoding: str, cwd: Path) -> tuple[int, str, str]:
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING=encoding)
    r = subprocess.run([sys.executable, "-m", "indeks_opd", *args], capture_output=True, cwd=cwd, env=env,
                       timeout=600)
    return r.returncode, r.stdout.decode(encoding), r.stderr.decode(encoding)


def words(text: str, folder: Path) -> list[str]:
    """The words (two letters or more: a stand-in like "v" for "▼" is not one) and numbers of an output,
    with the run's own folder and time stamps (the impor report's name) left out."""
    text = re.sub(r"\d{8}-\d{6}", "WAKTU", text.replace(str(folder), "FOLDER"))
    return re.findall(r"[^\W\d_]{2,}|\d+", text)


def master_in(folder: Path) -> Path:
    make_master(folder, "Induk Bappeda.xlsx")
    return folder / "Induk Bappeda.xlsx"


def filled_templates(folder: Path) -> Path:
    master = master_in(folder)
    for path in make_templates(master, folder / "kirim", 2023, 1).values():
        fill(path)
    return master


SCENARIOS = {
    "bantuan": (None, lambda f: ["--help"]),
    "bantuan-hitung": (None, lambda f: ["hitung", "--help"]),
    "bantuan-impor": (None, lambda f: ["impor", "--help"]),
    "bantuan-rapor": (None, lambda f: ["rapor", "--help"]),
    "bantuan-bangun": (None, lambda f: ["bangun", "--help"]),
    "argumen-salah": (None, lambda f: ["hitung"]),
    "demo": (None, lambda f: ["demo"]),
    "hitung": (master_in, lambda f: ["hitung", str(f / "Induk Bappeda.xlsx")]),
    "hitung-json": (master_in, lambda f: ["hitung", str(f / "Induk Bappeda.xlsx"), "--json"]),
    "hitung-tidak-ada": (None, lambda f: ["hitung", str(f / "tidak ada — salah ketik.xlsx")]),
    "templat": (master_in, lambda f: ["templat", str(f / "Induk Bappeda.xlsx"), "--tahun", "2023", "--triwulan", "1",
                                      "--keluaran", str(f / "kirim")]),
    "impor": (filled_templates, lambda f: ["impor", str(f / "kirim"), "--ke", str(f / "Induk Bappeda.xlsx"),
                                           "--tahun", "2023", "--triwulan", "1"]),
    "rapor": (master_in, lambda f: ["rapor", str(f / "Induk Bappeda.xlsx"), "--opd", "2.15", "--keluaran",
                                    str(f / "rapor")]),
    "bangun": (None, lambda f: ["bangun", "--keluaran", str(f / "bangun")]),
    "status": (master_in, lambda f: ["status", str(f / "Induk Bappeda.xlsx")]),
    "status-json": (master_in, lambda f: ["status", str(f / "Induk Bappeda.xlsx"), "--json"]),
    "verifikasi": (master_in, lambda f: ["verifikasi", str(f / "Induk Bappeda.xlsx"), "--opd", "2.15",
                                         "--catatan", "Sudah diperiksa — lengkap"]),
    "kunci": (master_in, lambda f: ["kunci", str(f / "Induk Bappeda.xlsx"), "--alasan", "Rapat pleno — final",
                                    "--paksa"]),
    "buka": (master_in, lambda f: ["buka", str(f / "Induk Bappeda.xlsx"), "--alasan", "Koreksi data — Dishub"]),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_command_says_the_same_on_windows_code_pages(scenario, tmp_path):
    prepare, arguments = SCENARIOS[scenario]
    seen = {}
    for encoding in ENCODINGS:
        folder = tmp_path / encoding / FOLDER
        folder.mkdir(parents=True)
        if prepare:
            prepare(folder)
        code, out, err = run(arguments(folder), encoding, cwd=SRC.parent)
        assert "Traceback" not in err and "UnicodeEncodeError" not in err, (encoding, err)
        seen[encoding] = (code, words(out, folder), words(err, folder))
        if scenario in ("hitung-json", "status-json"):
            assert json.loads(out), encoding  # still valid JSON, every character escaped exactly
    assert seen["cp1252"] == seen["utf-8"] and seen["cp437"] == seen["utf-8"]
    assert seen["utf-8"][1] or seen["utf-8"][2]  # the command said something


def test_the_json_of_a_code_page_console_holds_every_character(tmp_path):
    """``hitung --json`` escapes what cp1252 lacks instead of replacing it: the data is exact."""
    folder = tmp_path / FOLDER
    master = master_in(folder)
    _, utf8, _ = run(["hitung", str(master), "--json"], "utf-8", cwd=folder)
    _, cp1252, _ = run(["hitung", str(master), "--json"], "cp1252", cwd=folder)
    assert json.loads(cp1252) == json.loads(utf8)
    assert cp1252.isascii()
