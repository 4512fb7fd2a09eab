"""A workbook file checked before any parser sees it: what every reader of a package goes through.

The master reader (:mod:`indeks_opd.file_reader`, also used by ``rapor``), the package
editor (:mod:`indeks_opd.xlsx_package`) and the template reader
(:mod:`indeks_opd.template_reader`) all call :func:`check_package` first, with their own
limits. It refuses, with :class:`DamagedPackage` (an Indonesian sentence naming the file):

- anything that is not a regular file once links are followed (a FIFO would block the
  reader forever, a device would never end);
- a file above the size limit, an OLE container (password or old .xls), a file that is not
  a zip;
- a package whose parts would unpack beyond the limit, a part that unpacks far more than
  XML ever compresses (:data:`MAX_RATIO`, a decompression bomb), judged on the *declared*
  sizes and then on the *actual* bytes of every part (streamed, never held in memory: a
  corrupt deflate stream or a wrong CRC is found here);
- a part declaring a DTD or an entity (Excel never writes one: entity amplification,
  undefined entities, external entities);
- a Strict Open XML workbook (Excel's "Strict Open XML Spreadsheet", told by the Strict
  namespace of its main relationship), which none of our readers understand: the message
  says how to re-save it.

:data:`PARSE_ERRORS` is what a parser can still raise on a package that passed (a
truncated XML part); readers turn it into the same kind of message with :func:`damaged`.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from lxml import etree

from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.present import fmt

MASTER_MAX_FILE_BYTES = 512 * 1024 * 1024
MASTER_MAX_UNPACKED_BYTES = 1 << 30
"""A master of 22,000 OPDs with years of Riwayat unpacks to a few hundred MB."""
MAX_RATIO = 200
"""Uncompressed/compressed size above which a part larger than :data:`RATIO_FROM_BYTES` is a bomb;
spreadsheet XML compresses 5-30 times, a bomb a thousand times."""
RATIO_FROM_BYTES = 8 * 1024 * 1024

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"))
_STRICT_MARK = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_CHUNK = 1 << 20

PARSE_ERRORS = (ParseError, SyntaxError, etree.XMLSyntaxError, DefusedXmlException, zlib.error, zipfile.BadZipFile,
                EOFError, MemoryError)
"""What reading a package that passed :func:`check_package` can still raise: it is damaged."""


class DamagedPackage(Exception):
    """The file cannot be read safely; the message (Indonesian) names the file and says why.

    ``advise``: the caller should add what to do with a damaged file (re-save it, restore the
    backup, send the template again); False when the message already says what to do.
    """

    def __init__(self, pesan: str, advise: bool = True):
        super().__init__(pesan)
        self.advise = advise


def regular_file(path: Path) -> os.stat_result:
    """The file's status; refuses a missing path, a folder and anything that is not a regular file."""
    try:
        st = os.stat(path)  # follows links: the file the link names is what gets read
    except FileNotFoundError:
        raise DamagedPackage(f"Berkas '{path}' tidak ditemukan. Periksa nama dan foldernya.", advise=False) from None
    except OSError as e:
        raise DamagedPackage(f"Berkas '{path}' tidak dapat dibuka: {e.strerror or e}.", advise=False) from None
    if stat.S_ISDIR(st.st_mode):
        raise DamagedPackage(f"'{path}' adalah folder, bukan berkas buku kerja.", advise=False)
    if not stat.S_ISREG(st.st_mode):
        raise DamagedPackage(f"'{path.name}' bukan berkas biasa (mis. pipa/FIFO atau perangkat) sehingga tidak "
                             "dibaca. Berikan berkas buku kerja .xlsx/.xlsm yang tersimpan di disk.", advise=False)
    return st


def check_package(path: Path, max_file_bytes: int, max_unpacked_bytes: int,
                  later: Callable[[str], bool] | None = None) -> set[str]:
    """Refuse (``DamagedPackage``) a file that is not safe or not possible to parse; see the module docstring.

    ``later``: parts (by name) whose bytes the caller streams itself through :func:`checked_blocks`
    before any parser sees them (the master reader scans each sheet it reads anyway); their
    declared sizes are judged here, their content when streamed. Returns the names left for later.
    """
    path = Path(path)
    nama = path.name
    ukuran = regular_file(path).st_size
    if ukuran > max_file_bytes:
        raise DamagedPackage(f"Berkas '{nama}' terlalu besar ({fmt.angka(ukuran / 1048576, 1)} MB; batas "
                             f"{max_file_bytes // 1048576} MB) dan tidak dibaca.")
    with open(path, "rb") as f:
        awal = f.read(8)
        if awal == _OLE_SIGNATURE:
            if _ENCRYPTED_MARK in awal + f.read():
                raise DamagedPackage(f"Berkas '{nama}' dilindungi kata sandi sehingga tidak dapat dibaca. Buka di "
                                     "Excel, hapus kata sandi pembukaan (File > Info > Lindungi Buku Kerja), lalu "
                                     "simpan.", advise=False)
            raise DamagedPackage(f"Berkas '{nama}' berformat Excel lama (.xls). Buka di Excel lalu simpan sebagai "
                                 "Buku Kerja Excel (.xlsx atau .xlsm).", advise=False)
    masalah = workbook_file_problem(path)
    if masalah:
        raise DamagedPackage(masalah, advise=False)
    deferred = set()
    try:
        with zipfile.ZipFile(path) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            _check_declared_sizes(nama, infos, max_unpacked_bytes)
            for info in infos:
                if later is not None and later(info.filename):
                    deferred.add(info.filename)
                else:
                    check_part(z, nama, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError) as e:
        raise DamagedPackage(f"Berkas '{nama}' tidak dapat dibaca sebagai buku kerja: bukan buku kerja Excel "
                             f"(.xlsx/.xlsm) yang utuh ({e}).") from None
    return deferred


def _check_declared_sizes(nama: str, infos: list[zipfile.ZipInfo], max_unpacked_bytes: int) -> None:
    total = sum(i.file_size for i in infos)
    if total > max_unpacked_bytes:
        raise DamagedPackage(f"Berkas '{nama}' berisi data {fmt.angka(total / 1048576, 0)} MB setelah dibuka (batas "
                             f"{max_unpacked_bytes // 1048576} MB) dan ditolak agar komputer tidak kehabisan memori.")
    for i in infos:
        if i.file_size > RATIO_FROM_BYTES and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise DamagedPackage(f"Bagian {i.filename} di berkas '{nama}' mengembang {i.file_size // 1048576} MB "
                                 f"dari {i.compress_size // 1024} KB — bukan isi buku kerja biasa (bom kompresi); "
                                 "ditolak agar komputer tidak kehabisan memori.")


def check_part(z: zipfile.ZipFile, nama: str, info: zipfile.ZipInfo) -> None:
    """Stream one part through :func:`checked_blocks`, keeping nothing."""
    for _ in checked_blocks(z, nama, info):
        pass


def checked_blocks(z: zipfile.ZipFile, nama: str, info: zipfile.ZipInfo, chunk: int = _CHUNK) -> Iterator[bytes]:
    """The inflated bytes of one part, block by block, checked on the way: its actual size, its deflate
    stream and CRC (judged when the last block has been read), no DTD, not Strict OOXML.

    The one streaming check of a part: :func:`check_package` runs it for every part not left for
    later, and a reader that scans a part anyway (the master reader's facts scan) reads the
    part through it, so the part is inflated once for both. ``chunk``: the size of a block (a reader that keeps
    the whole part reads it as one block). ``DamagedPackage`` when refused.
    """
    xml = info.filename.endswith((".xml", ".rels", ".vml"))
    ekor = b""
    dibaca = 0
    try:
        with z.open(info) as f:
            while blok := f.read(chunk):
                dibaca += len(blok)
                if dibaca > info.file_size:  # zipfile stops at the declared size; never trust a reader to
                    raise DamagedPackage(f"Bagian {info.filename} di berkas '{nama}' lebih besar dari yang tercatat.")
                if xml:
                    seam = ekor + blok[:32]  # a mark across two blocks; the block itself is searched in place
                    if any(b"!" in data and any(tanda in data for tanda in _DTD_MARKS)  # "!": one memchr pass
                           for data in (seam, blok)):
                        raise DamagedPackage(
                            f"Berkas '{nama}' berisi deklarasi XML (DTD/entitas) di {info.filename} yang tidak pernah "
                            "ada di buku kerja Excel biasa; berkas ditolak demi keamanan.")
                    if info.filename == "_rels/.rels" and _STRICT_MARK in ekor + blok:
                        raise DamagedPackage(
                            f"Berkas '{nama}' disimpan dalam format \"Strict Open XML Spreadsheet\", yang tidak dapat "
                            "dibaca program ini. Buka di Excel, pilih File > Simpan Sebagai, jenis \"Buku Kerja Excel "
                            "(*.xlsx)\" (atau \"Buku Kerja Excel Berkemampuan Makro (*.xlsm)\"), simpan, lalu jalankan "
                            "lagi.", advise=False)
                    ekor = (ekor + blok)[-32:] if len(blok) < 32 else blok[-32:]
                yield blok
    except (zlib.error, zipfile.BadZipFile, EOFError) as e:
        raise damaged(Path(nama), e, info.filename) from None
    if dibaca != info.file_size:
        raise damaged(Path(nama), EOFError("ukuran tidak sesuai"), info.filename)


RENAMED_SUFFIXES = (".xls", ".xlt", ".xlsb", ".csv", ".txt", ".ods", ".zip")
"""Names a real .xlsx/.xlsm gets when renamed by hand; the libraries would then refuse it by its name
(a build's own ``.tmp`` or an ``.xlam`` is not one of them)."""


def workbook_file_problem(path: Path) -> str | None:
    """Why ``path`` (an existing file, not an old-format OLE file) is no workbook to read, with what to do.

    Judged from the content, so the libraries' English ("File is not a zip file", "please use
    xlrd", "openpyxl does not support .csv") never reaches a user: text or CSV, PDF, something
    else or cut short, another zip, or a real workbook whose name ends wrongly. ``None``: it looks like one.
    """
    nama = path.name
    with open(path, "rb") as f:
        head = f.read(4096)
    if not zipfile.is_zipfile(path):
        if head.startswith(b"%PDF"):
            return (f"Berkas '{nama}' adalah dokumen PDF, bukan buku kerja Excel. Pakai berkas Excel "
                    "(.xlsx/.xlsm) aslinya.")
        if head and b"\0" not in head and not head.startswith(b"PK"):  # a zip cut short is no text
            return (f"Berkas '{nama}' berisi teks (misalnya CSV), bukan buku kerja Excel. Buka berkas itu di Excel, "
                    "pilih File > Simpan Sebagai > Buku Kerja Excel (*.xlsx), lalu pakai berkas .xlsx itu.")
        return (f"Berkas '{nama}' bukan buku kerja Excel yang utuh: isinya tidak dikenali (mungkin rusak, atau "
                "belum selesai disalin atau diunduh). Buka di Excel; bila terbuka, simpan ulang sebagai .xlsx, "
                "bila tidak, pakai salinan yang utuh (misalnya berkas cadangannya).")
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        return (f"Berkas '{nama}' adalah arsip ZIP atau dokumen Office lain, bukan buku kerja Excel. Pakai "
                "berkas Excel (.xlsx/.xlsm) yang benar.")
    if path.suffix.lower() in RENAMED_SUFFIXES:
        benar = ".xlsm" if "xl/vbaProject.bin" in names else ".xlsx"
        return (f"Berkas '{nama}' sebenarnya buku kerja Excel {benar}, tetapi namanya berakhiran "
                f"'{path.suffix}'. Ganti akhiran namanya menjadi {benar} (Excel pun menolak membukanya dengan "
                "akhiran yang salah), lalu jalankan lagi.")
    return None


def damaged(path: Path, e: BaseException, part: str | None = None) -> DamagedPackage:
    """The message for a package a parser could not read: what is damaged (without the advice)."""
    bagian = f" (bagian {part})" if part else ""
    sebab = "terlalu besar untuk memori" if isinstance(e, MemoryError) else (str(e) or type(e).__name__)
    return DamagedPackage(f"Berkas '{Path(path).name}' rusak{bagian}: {sebab}. Buku kerja ini tidak dapat dibaca.")


MASTER_ADVICE = ("Buka berkas itu di Excel (Excel menawarkan perbaikan) lalu simpan ulang, atau pulihkan "
                 "cadangannya (NAMA.cadangan-WAKTU) dari folder yang sama.")
"""What to do with a damaged workbook of Bappeda's own (the master or a copy of it)."""


def unusable(e: DamagedPackage) -> UnusableWorkbook:
    """A package refusal of a workbook of Bappeda's own, with what to do."""
    return UnusableWorkbook([galat(f"{e} {MASTER_ADVICE}" if e.advise else str(e))])


def check_master(path: Path, later: Callable[[str], bool] | None = None) -> set[str]:
    """:func:`~indeks_opd.files.package_check.check_package` with a master's limits; a refusal is an
    ``UnusableWorkbook`` saying what to do. Returns the parts left for later (see ``check_package``)."""
    try:
        return check_package(path, MASTER_MAX_FILE_BYTES, MASTER_MAX_UNPACKED_BYTES, later)
    except DamagedPackage as e:
        raise unusable(e) from None
