"""Shared test helpers: contract workbooks written with openpyxl, and the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from indeks_opd.contoh import data_contoh, tulis_buku_kontrak

SRC = Path(__file__).resolve().parents[1] / "src"

settings.register_profile("ci", deadline=None, max_examples=60)
settings.load_profile("ci")


def jalankan_cli(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    """Run ``indeks-opd`` in a fresh interpreter, as a user would, from this checkout's sources."""
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "indeks_opd", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def hitung_json(path, *args) -> tuple[int, dict | None, str]:
    """``indeks-opd hitung PATH --json``: exit code, parsed JSON (or None) and stderr."""
    r = jalankan_cli("hitung", path, "--json", *args)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else None), r.stderr


@pytest.fixture
def buku_contoh(tmp_path) -> Path:
    """A fresh copy of the sample contract workbook."""
    return tulis_buku_kontrak(tmp_path / "contoh.xlsx", data_contoh())


@pytest.fixture
def tulis_buku(tmp_path):
    """Write a contract workbook from sheet rows: ``tulis_buku({"OPD": [...], ...}, nama="x.xlsx")``."""

    def tulis(lembar: dict, nama: str = "buku.xlsx", **kwargs) -> Path:
        return tulis_buku_kontrak(tmp_path / nama, lembar, **kwargs)

    return tulis
