"""Safe writes of a workbook (docs/arsitektur.md, Conventions): lock, temporary file, backup, atomic replace.

Usage::

    with workbook_lock(path):                 # refuses when Excel/LibreOffice or another run has it
        ...read, compute...
        with replace_atomically(path) as tmp:  # write the new workbook to ``tmp``
            write_something(tmp)
        # here ``path`` is the new file and the previous one is kept as a backup

- The new content goes to a temporary file in the same folder, then ``os.replace`` swaps
  it in, so a reader sees either the old file or the new one, never half of it. Any
  failure before the swap (an exception in the writer, a full disk) removes the temporary
  file and leaves the original byte-for-byte as it was.
- The previous file is copied to ``NAME.cadangan-YYYYMMDD-HHMMSS-ffffff.EXT`` next to it
  before the swap; only the newest :data:`BACKUPS_KEPT` backups are kept.
- Refusals raise :class:`WorkbookLocked` (a ``UnusableWorkbook``: exit code 2 in the CLI)
  with an Indonesian message, before anything is touched: Excel's owner file ``~$NAME``,
  LibreOffice's ``.~lock.NAME#``, or our own lock ``.NAME.indeks-opd.lock`` held by a live
  ``indeks-opd`` run (a lock left by a dead process on this machine is taken over).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from indeks_opd.core.masalah import UnusableWorkbook, galat

BACKUPS_KEPT = 5
BACKUP_TAG = ".cadangan-"


class WorkbookLocked(UnusableWorkbook):
    """The workbook is open in Excel/LibreOffice or being written by another ``indeks-opd`` run."""


class WriteFailed(UnusableWorkbook):
    """Writing the new workbook failed; the original file is unchanged."""


def _refuse(cls, pesan: str):
    return cls([galat(pesan)])


def office_lock_files(path: Path) -> list[Path]:
    """Lock files office programs create next to a workbook they have open."""
    path = Path(path)
    names = {f"~${path.name}", f".~lock.{path.name}#"}
    if len(path.name) > 2:
        names.add(f"~${path.name[2:]}")  # Word-style owner files drop the first two letters of long names
    return [path.parent / n for n in sorted(names)]


def check_not_open(path: Path) -> None:
    """Raise :class:`WorkbookLocked` when Excel or LibreOffice has ``path`` open."""
    path = Path(path)
    for lock in office_lock_files(path):
        if lock.exists():
            raise _refuse(WorkbookLocked, (
                f"Berkas '{path.name}' sedang dibuka di Excel/LibreOffice (ada berkas kunci '{lock.name}'). "
                "Simpan dan tutup berkas itu, lalu jalankan lagi. Tidak ada yang diubah. "
                f"Jika berkas tidak sedang dibuka, hapus '{lock}'."))


def own_lock_path(path: Path) -> Path:
    path = Path(path)
    return path.parent / f".{path.name}.indeks-opd.lock"


def _process_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows: assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _stale(lock: Path) -> bool:
    """A lock written by a process of this machine that no longer runs."""
    try:
        info = json.loads(lock.read_text(encoding="utf-8"))
        return info.get("host") == socket.gethostname() and not _process_alive(int(info["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return False


@contextlib.contextmanager
def workbook_lock(path: Path) -> Iterator[None]:
    """Hold our own lock on ``path`` for a read-compute-write run; refuse when the file is busy."""
    path = Path(path)
    check_not_open(path)
    lock = own_lock_path(path)
    isi = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                      "sejak": datetime.now().isoformat(timespec="seconds")})
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            if _stale(lock):
                lock.unlink(missing_ok=True)
                continue
            raise _refuse(WorkbookLocked, (
                f"Berkas '{path.name}' sedang diproses oleh indeks-opd lain (berkas kunci '{lock.name}'). "
                "Tunggu sampai selesai lalu jalankan lagi. Jika tidak ada proses lain yang berjalan, "
                f"hapus '{lock}'.")) from None
        except OSError as e:
            raise _refuse(WriteFailed, f"Tidak dapat mengunci '{path.name}' untuk ditulis: {e.strerror or e}. "
                                       "Periksa izin tulis folder itu.") from None
    else:  # pragma: no cover - only when another process races us twice
        raise _refuse(WorkbookLocked, f"Berkas '{path.name}' sedang diproses oleh indeks-opd lain.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(isi)
        yield
    finally:
        lock.unlink(missing_ok=True)


def backups_of(path: Path) -> list[Path]:
    """Existing backups of ``path``, oldest first."""
    path = Path(path)
    prefix = f"{path.stem}{BACKUP_TAG}"
    return sorted(p for p in path.parent.glob(f"{path.stem}{BACKUP_TAG}*{path.suffix}")
                  if p.name.startswith(prefix) and p.is_file())


def make_backup(path: Path, keep: int = BACKUPS_KEPT) -> Path:
    """Copy ``path`` to a new timestamped backup next to it and drop backups beyond ``keep``."""
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = path.with_name(f"{path.stem}{BACKUP_TAG}{stamp}{path.suffix}")
    shutil.copy2(path, backup)
    for old in backups_of(path)[:-keep] if keep > 0 else backups_of(path):
        old.unlink(missing_ok=True)
    return backup


@contextlib.contextmanager
def replace_atomically(path: Path, keep_backups: int = BACKUPS_KEPT) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success back ``path`` up and swap the new file in.

    On any exception inside the block the temporary file is removed, ``path`` is untouched
    and the exception propagates (an ``OSError`` becomes :class:`WriteFailed`).
    """
    path = Path(path)
    check_not_open(path)
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):  # root ignores modes
        raise _refuse(WriteFailed, f"Berkas '{path.name}' hanya-baca, tidak ditulis. Buka izin tulisnya atau "
                                   "simpan hasil ke berkas lain (--keluaran).")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    except OSError as e:
        raise _refuse(WriteFailed, f"Tidak dapat menulis di folder '{path.parent}': {e.strerror or e}. "
                                   "Periksa bahwa folder itu ada dan boleh ditulisi.") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if path.exists():
            shutil.copymode(path, tmp)
            make_backup(path, keep_backups)
        else:  # a new file gets the usual permissions, not mkstemp's private 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        raise _refuse(WriteFailed, (
            f"Gagal menulis '{path.name}': {e.strerror or e}. Berkas asli tidak diubah. "
            "Periksa ruang disk dan izin tulis folder itu.")) from None
    finally:
        tmp.unlink(missing_ok=True)
