"""Safe writes of a workbook (docs/arsitektur.md, Conventions): lock, temporary file, complete backup, atomic
replace.

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
  before the swap, complete or not at all: the copy goes to a hidden temporary name, is
  flushed to disk and only then renamed. When the backup cannot be made (disk full, a
  killed copy) nothing is swapped: :class:`WriteFailed`, the original untouched. Only the
  newest :data:`BACKUPS_KEPT` backups are kept.
- A path that is a symbolic link is written through to the file it points to (the link stays).
- Refusals raise :class:`WorkbookLocked` (a ``UnusableWorkbook``: exit code 2 in the CLI)
  with an Indonesian message, before anything is touched: Excel's owner file ``~$NAME``,
  LibreOffice's ``.~lock.NAME#``, or our own lock ``.NAME.indeks-opd.lock`` held by a live
  ``indeks-opd`` run. That lock is an operating-system lock on the file (``fcntl.flock``,
  ``msvcrt.locking`` on Windows): it ends with its process, so a run that crashed or was
  killed never leaves the workbook locked, on any platform. The next run that takes the lock
  removes the hidden temporary files such a run left (its new file, its partial backup).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import shutil
import socket
import sys
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


_OS_ERRORS = {
    errno.ENOENT: "tidak ada (periksa nama berkas dan foldernya)",
    errno.EACCES: "tidak diizinkan (berkas sedang dipakai program lain, atau folder itu tidak boleh ditulisi)",
    errno.EPERM: "tidak diizinkan (berkas sedang dipakai program lain, atau folder itu tidak boleh ditulisi)",
    errno.ENOSPC: "disk penuh",
    errno.EROFS: "disk atau folder itu hanya-baca",
    errno.EISDIR: "itu folder, bukan berkas",
    errno.ENOTDIR: "ada bagian jalurnya yang bukan folder",
    errno.ENAMETOOLONG: "nama atau jalurnya terlalu panjang",
    errno.EEXIST: "sudah ada",
}


def os_error_text(e: OSError) -> str:
    """An operating-system error in Indonesian (the system's own text is English on most PCs)."""
    return _OS_ERRORS.get(e.errno, f"galat sistem {e.errno}" if e.errno else type(e).__name__)


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


def _try_os_lock(fd: int) -> bool:
    """Take an exclusive operating-system lock on an open file without waiting; False when another process has it."""
    try:
        if sys.platform == "win32":
            import msvcrt
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _same_file(fd: int, lock: Path) -> bool:
    """The locked descriptor is still the file named ``lock`` (a finishing run may have just removed it)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(lock))
    except OSError:
        return False


@contextlib.contextmanager
def workbook_lock(path: Path) -> Iterator[None]:
    """Hold our own lock on ``path`` for a read-compute-write run; refuse when the file is busy."""
    path = Path(path)
    check_not_open(path)
    lock = own_lock_path(real_path(path))
    for _ in range(5):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_RDWR | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as e:
            raise _refuse(WriteFailed, f"Tidak dapat mengunci '{path.name}' untuk ditulis: {os_error_text(e)}. "
                                       "Periksa izin tulis folder itu.") from None
        if not _try_os_lock(fd):
            os.close(fd)
            raise _refuse(WorkbookLocked, (
                f"Berkas '{path.name}' sedang diproses oleh indeks-opd lain (berkas kunci '{lock.name}'). "
                "Tunggu sampai selesai lalu jalankan lagi."))
        if _same_file(fd, lock):
            break
        os.close(fd)  # the file was removed by the run that held it: lock the new one
    else:  # pragma: no cover - only when other runs keep replacing the lock file
        raise _refuse(WorkbookLocked, f"Berkas '{path.name}' sedang diproses oleh indeks-opd lain.")
    try:
        for sisa in _leftovers(real_path(path)):  # only a run holding this lock writes them: these are dead
            sisa.unlink(missing_ok=True)
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "sejak": datetime.now().isoformat(timespec="seconds")})
        os.ftruncate(fd, 0)
        os.write(fd, info.encode("utf-8"))  # for a person wondering who holds it; the lock itself is the OS's
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()  # before closing: no other run can hold this file yet (Windows refuses; harmless)
        os.close(fd)
        with contextlib.suppress(OSError):
            lock.unlink(missing_ok=True)


def _leftovers(path: Path) -> list[Path]:
    """Hidden temporary files a killed run left next to ``path``: its new workbook and its partial backup copy."""
    stem = glob.escape(path.stem)
    return [p for pattern in (f".{stem}.*.tmp{glob.escape(path.suffix)}", f".{stem}.cadangan.*.tmp")
            for p in path.parent.glob(pattern) if p.is_file()]


def ensure_folder(folder: Path) -> Path:
    """Create ``folder`` (and its parents) when missing, as the commands writing into a folder do."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise _refuse(WriteFailed, f"'{folder}' adalah berkas, bukan folder. Pilih folder lain untuk --keluaran.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _refuse(WriteFailed, f"Folder '{folder}' tidak dapat dibuat: {os_error_text(e)}. Periksa nama "
                                   "foldernya dan izin tulis di tempat itu.") from None
    return folder


def backups_of(path: Path) -> list[Path]:
    """Existing backups of ``path``, oldest first."""
    path = Path(path)
    prefix = f"{path.stem}{BACKUP_TAG}"
    return sorted(p for p in path.parent.glob(f"{path.stem}{BACKUP_TAG}*{path.suffix}")
                  if p.name.startswith(prefix) and p.is_file())


def real_path(path: Path) -> Path:
    """The file a path names once symbolic links are followed (the path itself when it is no link)."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder handles to flush)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):  # the file is already in place; some file systems cannot flush folders
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def make_backup(path: Path, keep: int = BACKUPS_KEPT) -> Path:
    """Copy ``path`` to a new timestamped backup next to it and drop backups beyond ``keep``.

    The copy is written under a hidden temporary name, flushed to disk, then renamed: a
    backup that exists is complete. On failure the partial copy is removed and the
    ``OSError`` propagates.
    """
    path = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = path.with_name(f"{path.stem}{BACKUP_TAG}{stamp}{path.suffix}")
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.cadangan.", suffix=".tmp", dir=path.parent)
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, partial)
        os.replace(partial, backup)
    finally:
        partial.unlink(missing_ok=True)
    for old in backups_of(path)[:-keep] if keep > 0 else backups_of(path):
        old.unlink(missing_ok=True)
    return backup


@contextlib.contextmanager
def replace_atomically(path: Path, keep_backups: int = BACKUPS_KEPT) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; on success back ``path`` up and swap the new file in.

    On any exception inside the block the temporary file is removed, ``path`` is untouched
    and the exception propagates (an ``OSError`` becomes :class:`WriteFailed`). When the
    backup cannot be made completely nothing is swapped (:class:`WriteFailed`). A symbolic
    link is written through: its target gets the new content, the link stays a link.
    ``keep_backups=0`` takes no backup: files we regenerate (reports) or made ourselves (the demo copy).
    """
    path = Path(path)
    check_not_open(path)
    target = real_path(path)
    if target != path:
        check_not_open(target)
    if target.exists() and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222):  # root ignores modes
        raise _refuse(WriteFailed, f"Berkas '{path.name}' hanya-baca, tidak ditulis. Buka izin tulisnya atau "
                                   "simpan hasil ke berkas lain (--keluaran).")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    except OSError as e:
        raise _refuse(WriteFailed, f"Tidak dapat menulis di folder '{target.parent}': {os_error_text(e)}. "
                                   "Periksa bahwa folder itu ada dan boleh ditulisi.") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if target.exists():
            shutil.copymode(target, tmp)
            try:
                if keep_backups > 0:
                    make_backup(target, keep_backups)
            except OSError as e:
                raise _refuse(WriteFailed, (
                    f"Cadangan '{target.name}' tidak dapat dibuat: {os_error_text(e)}. Berkas asli tidak diubah dan "
                    "hasil tidak ditulis. Kosongkan ruang disk atau periksa izin tulis folder itu, lalu jalankan "
                    "lagi.")) from None
        else:  # a new file gets the usual permissions, not mkstemp's private 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
        _fsync_folder(target.parent)
    except OSError as e:
        raise _refuse(WriteFailed, (
            f"Gagal menulis '{path.name}': {os_error_text(e)}. Berkas asli tidak diubah. "
            "Periksa ruang disk dan izin tulis folder itu.")) from None
    finally:
        tmp.unlink(missing_ok=True)
