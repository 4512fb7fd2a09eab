"""Safe writes: lock refusal, atomic replace, backups, failure mid-write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indeks_opd.core.masalah import UnusableWorkbook
from indeks_opd.files.safe_write import (
    BACKUPS_KEPT,
    WorkbookLocked,
    WriteFailed,
    backups_of,
    own_lock_path,
    replace_atomically,
    workbook_lock,
)


@pytest.fixture
def book(tmp_path):
    p = tmp_path / "IndeksKinerjaOPD.xlsm"
    p.write_bytes(b"versi lama")
    return p


def _others(folder, keep):
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_replace_swaps_in_the_new_file_and_keeps_a_backup(book):
    with replace_atomically(book) as tmp:
        assert tmp.parent == book.parent and tmp != book
        tmp.write_bytes(b"versi baru")
    assert book.read_bytes() == b"versi baru"
    [backup] = backups_of(book)
    assert backup.read_bytes() == b"versi lama" and backup.suffix == ".xlsm"
    assert _others(book.parent, {book.name, backup.name}) == []  # no temporary file left


def test_backups_are_bounded_oldest_removed(book):
    for i in range(BACKUPS_KEPT + 3):
        with replace_atomically(book) as tmp:
            tmp.write_bytes(f"versi {i}".encode())
    kept = backups_of(book)
    assert len(kept) == BACKUPS_KEPT
    assert [b.read_bytes() for b in kept] == [f"versi {i}".encode() for i in range(2, 7)]


def test_failure_in_the_middle_leaves_the_original_intact(book):
    with pytest.raises(RuntimeError), replace_atomically(book) as tmp, open(tmp, "wb") as f:
        f.write(b"setengah")
        raise RuntimeError("listrik padam")
    assert book.read_bytes() == b"versi lama"
    assert backups_of(book) == [] and _others(book.parent, {book.name}) == []


def test_os_error_becomes_an_indonesian_refusal(book):
    with pytest.raises(WriteFailed) as e, replace_atomically(book):
        raise OSError(28, "No space left on device")
    assert isinstance(e.value, UnusableWorkbook)
    assert "Berkas asli tidak diubah" in str(e.value)
    assert book.read_bytes() == b"versi lama"


@pytest.mark.parametrize("lock_name", ["~$IndeksKinerjaOPD.xlsm", ".~lock.IndeksKinerjaOPD.xlsm#"])
def test_open_in_office_is_refused(book, lock_name):
    (book.parent / lock_name).write_bytes(b"pemilik")
    for guard in (lambda: workbook_lock(book), lambda: replace_atomically(book)):
        with pytest.raises(WorkbookLocked) as e, guard():
            pytest.fail("must not get here")
        assert lock_name in str(e.value) and "tutup" in str(e.value)
    assert book.read_bytes() == b"versi lama"


def test_another_run_holds_the_lock(book):
    with workbook_lock(book):
        assert own_lock_path(book).exists()
        with pytest.raises(WorkbookLocked, match="indeks-opd lain"), workbook_lock(book):
            pass
    assert not own_lock_path(book).exists()


def test_lock_of_a_dead_process_is_taken_over(book):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket
    own_lock_path(book).write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname()}))
    with workbook_lock(book):
        assert json.loads(own_lock_path(book).read_text())["pid"] == os.getpid()


# --- locks that die with their process -----------------------------------------------------------

_HOLDER = """
import sys, time
from pathlib import Path
from indeks_opd.files.safe_write import workbook_lock
with workbook_lock(Path(sys.argv[1])):
    print("terkunci", flush=True)
    time.sleep(120)
"""


def _holder(book):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    p = subprocess.Popen([sys.executable, "-c", _HOLDER, str(book)], stdout=subprocess.PIPE, text=True, env=env)
    assert p.stdout.readline().strip() == "terkunci"
    return p


def test_a_live_run_in_another_process_holds_the_lock(book):
    p = _holder(book)
    try:
        with pytest.raises(WorkbookLocked, match="indeks-opd lain"), workbook_lock(book):
            pass
    finally:
        p.kill()
        p.wait()


def test_a_killed_run_leaves_no_lock_behind(book):
    p = _holder(book)
    p.kill()  # SIGKILL: no finally block runs, the lock file stays on disk
    p.wait()
    assert own_lock_path(book).exists()
    with workbook_lock(book), replace_atomically(book) as tmp:
        tmp.write_bytes(b"versi baru")
    assert book.read_bytes() == b"versi baru"


def test_a_crashed_runs_lock_is_not_kept_alive_by_whoever_reuses_its_process_id(book):
    """What Windows users met: a lock file naming a process id that now belongs to another program.

    The process id in the file says nothing once its run has ended (Windows reuses ids
    quickly, and a file on a network share names another computer); only a lock the
    operating system still holds means another run is busy.
    """
    import socket
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        own_lock_path(book).write_text(json.dumps({"pid": other.pid, "host": socket.gethostname()}))
        with workbook_lock(book):
            pass
    finally:
        other.kill()
        other.wait()


# --- complete backups, links ----------------------------------------------------------------------

def test_a_backup_that_cannot_be_completed_stops_the_swap(book):
    """Disk full during the backup copy, at the operating system's write boundary (RLIMIT_FSIZE):
    no truncated backup under a good backup's name, the original untouched, a clear refusal."""
    resource = pytest.importorskip("resource")
    book.write_bytes(b"x" * 200_000)
    script = f"""
import resource, sys
from pathlib import Path
from indeks_opd.files.safe_write import replace_atomically
from indeks_opd.core.masalah import UnusableWorkbook
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
try:
    with replace_atomically(Path({str(book)!r})) as tmp:
        tmp.write_bytes(b"baru" * 1000)
except UnusableWorkbook as e:
    print(e)
    sys.exit(2)
"""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert r.returncode == 2, r.stderr
    assert "Cadangan" in r.stdout and "Berkas asli tidak diubah" in r.stdout
    assert book.read_bytes() == b"x" * 200_000
    assert backups_of(book) == []
    assert _others(book.parent, {book.name}) == []  # no partial copy under any name
    del resource


def test_a_symbolic_link_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "data" / "Induk.xlsm"
    real.parent.mkdir()
    real.write_bytes(b"versi lama")
    link = tmp_path / "Induk.xlsm"
    link.symlink_to(real)
    with workbook_lock(link), replace_atomically(link) as tmp:
        tmp.write_bytes(b"versi baru")
    assert link.is_symlink() and real.read_bytes() == b"versi baru"
    [backup] = backups_of(real)
    assert backup.read_bytes() == b"versi lama"


def test_the_next_run_removes_what_a_killed_run_left_half_written(book):
    """A run killed while writing leaves its hidden temporary workbook and partial backup copy; the next run
    holding the lock removes them (never a file of the user's)."""
    sisa = [book.parent / f".{book.stem}.k3j9x.tmp{book.suffix}", book.parent / f".{book.stem}.cadangan.a8b7.tmp"]
    for p in sisa:
        p.write_bytes(b"setengah")
    milik_pengguna = book.parent / f"{book.stem} (salinan){book.suffix}"
    milik_pengguna.write_bytes(b"salinan")
    with workbook_lock(book):
        assert not any(p.exists() for p in sisa)
    assert milik_pengguna.read_bytes() == b"salinan" and book.read_bytes() == b"versi lama"
