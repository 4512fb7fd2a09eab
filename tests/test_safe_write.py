"""Safe writes: lock refusal, atomic replace, backups, failure mid-write."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
