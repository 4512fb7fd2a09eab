"""Shared test helpers: contract workbooks written with openpyxl, and the CLI in-process or as a subprocess."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# xlwings PRO parts (the remote engine, xlwings.server) run under their PolyForm Noncommercial
# licence, which covers government institutions. The key must be set before xlwings is first
# imported, or the remote engine is not registered.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from indeks_opd.cli import main  # noqa: E402
from indeks_opd.files.sample import sample_rows, write_contract_workbook  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"

settings.register_profile("ci", deadline=None, max_examples=60)
settings.load_profile("ci")


@dataclass(frozen=True)
class CliRun:
    """What a user sees of one ``indeks-opd`` run: exit code, standard output, standard error."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, cwd=None) -> CliRun:
    """Run ``indeks-opd`` in this interpreter through :func:`indeks_opd.cli.main` (argv as typed).

    The same entry point as the installed command; the few tests that must see a fresh
    interpreter (start-up, pipes, the README's ``demo``) use :func:`run_cli_process`.
    """
    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:  # argparse: --help, --versi and usage errors
                code = e.code if isinstance(e.code, int) else 0 if e.code is None else 2
    finally:
        os.chdir(before)
    return CliRun(code, out.getvalue(), err.getvalue())


def run_cli_process(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    """Run ``indeks-opd`` in a fresh interpreter, as a user would, from this checkout's sources."""
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "indeks_opd", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def run_cli_terminal(*args, columns: int = 80, cwd=None, timeout=300) -> tuple[int, str]:
    """Run ``indeks-opd`` on a pseudo-terminal ``columns`` wide, as in a console window: exit code, plain text seen."""
    import fcntl
    import pty
    import re
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8", COLUMNS=str(columns), TERM="xterm")
    p = subprocess.Popen([sys.executable, "-m", "indeks_opd", *map(str, args)], stdout=slave, stderr=slave,
                         stdin=subprocess.DEVNULL, cwd=cwd, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    code = p.wait(timeout=timeout)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", out.decode("utf-8", "replace"))
    return code, text.replace("\r\n", "\n").replace("\r", "\n")


def hitung_json(path, *args) -> tuple[int, dict | None, str]:
    """``indeks-opd hitung PATH --json``: exit code, parsed JSON (or None) and stderr."""
    r = run_cli("hitung", path, "--json", *args)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else None), r.stderr


def libreoffice_pdf(workbook, folder: Path) -> tuple[Path, list[str]]:
    """``workbook`` printed to PDF by LibreOffice headless (every sheet, as its print setup says): the PDF and
    the text of each page (``pdftotext -layout``)."""
    out = folder / "pdf"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profil",
                    "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    [pdf] = list(out.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pdf, text.split("\f")[:-1]


@pytest.fixture
def sample_workbook(tmp_path) -> Path:
    """A fresh copy of the sample contract workbook."""
    return write_contract_workbook(tmp_path / "contoh.xlsx", sample_rows())


@pytest.fixture
def write_workbook(tmp_path):
    """Write a contract workbook from sheet rows: ``tulis_buku({"OPD": [...], ...}, nama="x.xlsx")``."""

    def tulis(sheets: dict, nama: str = "buku.xlsx", **kwargs) -> Path:
        return write_contract_workbook(tmp_path / nama, sheets, **kwargs)

    return tulis


@pytest.fixture(scope="module")
def excel_app():
    """A hidden instance of real Microsoft Excel (``excel`` tests, Windows/macOS); skipped elsewhere."""
    if sys.platform not in ("win32", "darwin"):
        pytest.skip("Microsoft Excel hanya ada di Windows/macOS")
    import xlwings as xw

    try:
        app = xw.App(visible=False, add_book=False)
    except Exception as e:  # noqa: BLE001 - no Excel installed or it cannot start
        pytest.skip(f"Excel tidak dapat dijalankan: {e}")
    app.display_alerts = False
    yield app
    app.quit()


@pytest.fixture(scope="session")
def xlwings_server():
    """xlwings Server's Python side (``XLWINGS_ON_SERVER=true``) in its own interpreter, see xlwings_server.py."""
    from xlwings_server import XlwingsServer

    server = XlwingsServer()
    yield server
    server.close()
