"""Reading workbooks received from OPDs, safely and fast: file checks, then values and cell facts.

A received file is untrusted. Before any parser sees it, :func:`check_package` refuses
what could hurt (:mod:`indeks_opd.files.package_check`, the check every reader of a package
uses, with a template's limits): anything but a regular file, a file larger than
:data:`MAX_FILE_BYTES`, a zip whose declared or actual uncompressed sizes exceed
:data:`MAX_UNCOMPRESSED_BYTES` (a zip bomb), a damaged deflate stream, an OLE/CFB container
(a password-protected workbook or an old .xls), a file that is not a zip at all, any XML
part declaring a DTD (entity expansion, "billion laughs") and Strict OOXML. Macros
(``vbaProject.bin``) are never run: the file is read as data and a warning says so.

Reading, decided for speed (docs/arsitektur.md, "Reading received templates"): the *values* come from python-calamine
(Rust, several times faster than openpyxl), which gives cached formula values but neither
number formats nor whether a cell holds a formula, and it blanks error values. One streamed
pass of the sheet's XML (:func:`cell_facts`, defusedxml ``iterparse``, attributes only, no
string decoding) supplies what calamine lacks: the number format of every styled cell (a
percent-formatted ``0.75`` is 75), formulas without a cached value and cached error values.
Together they still read a 40-template import in well under a second.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import python_calamine
from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from indeks_opd.contract.sheets import Sheet, header_key
from indeks_opd.core.masalah import Masalah, galat, peringatan
from indeks_opd.files.package_check import PARSE_ERRORS, DamagedPackage
from indeks_opd.files.package_check import check_package as check_package_file
from indeks_opd.present import fmt

MAX_FILE_BYTES = 10 * 1024 * 1024
"""A filled template is a few dozen kilobytes; anything above 10 MB is refused unread."""
MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024
"""Sum of the zip's declared uncompressed sizes above which the file is refused (zip bomb); a
filled template unpacks to well under 1 MB."""
MAX_CELLS = 200_000
"""Cells (or the area up to the farthest cell) a data sheet of a template may span."""

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


_BROKEN = PARSE_ERRORS + (KeyError, ValueError, OSError, python_calamine.CalamineError)
"""What reading a damaged package can raise (a bad CRC, a cut deflate stream, malformed XML...)."""


class RefusedFile(Exception):
    """The file cannot be read at all; ``masalah`` says why and what to do."""

    def __init__(self, masalah: Masalah):
        self.masalah = masalah
        super().__init__(str(masalah))


@dataclass
class ReceivedWorkbook:
    """The wanted sheets of a received file as grids, plus the problems of the file itself."""

    path: Path
    sheets: dict[str, Sheet]
    sheet_names: list[str]
    masalah: list[Masalah] = field(default_factory=list)
    formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    """Wanted sheet → (row, column) of every cell holding a formula (1-based)."""
    properties: dict[str, str] = field(default_factory=dict)
    """The file's custom document properties (name → text)."""


def _refuse(pesan: str) -> RefusedFile:
    return RefusedFile(galat(pesan))


TEMPLATE_ADVICE = "Simpan ulang dari Excel sebagai .xlsx lalu kirim ulang, atau isi ulang templat asli dari Bappeda."


def check_package(path: Path) -> zipfile.ZipFile:
    """Refuse dangerous or unreadable files before parsing (:func:`indeks_opd.files.package_check.check_package`
    with a template's limits); returns the open zip."""
    try:
        check_package_file(path, MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES)
    except DamagedPackage as e:
        raise _refuse(f"{e} {TEMPLATE_ADVICE}" if e.advise else str(e)) from None
    z = zipfile.ZipFile(path)
    return z


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip part path, from workbook.xml and its relationships."""
    wb = fromstring(z.read("xl/workbook.xml"))
    rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    hasil = {}
    for s in wb.iterfind("m:sheets/m:sheet", _NS):
        t = target.get(s.get(f"{{{_REL_NS}}}id"))
        if t is None:
            continue
        part = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        hasil[s.get("name")] = part
    return hasil


def _custom_properties(z: zipfile.ZipFile) -> dict[str, str]:
    """Custom document properties (``docProps/custom.xml``) as text, empty when the file has none."""
    try:
        root = fromstring(z.read("docProps/custom.xml"))
    except KeyError:
        return {}
    return {p.get("name"): "".join(p.itertext()).strip() for p in root if p.get("name")}


def _style_formats(z: zipfile.ZipFile) -> list[str]:
    """Number format code of every cell style index (``s`` attribute)."""
    try:
        styles = fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return []
    custom = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.iterfind("m:numFmts/m:numFmt", _NS)}
    hasil = []
    for xf in styles.iterfind("m:cellXfs/m:xf", _NS):
        i = int(xf.get("numFmtId", 0))
        hasil.append(custom.get(i) or BUILTIN_FORMATS.get(i, "General"))
    return hasil


@dataclass
class CellFacts:
    """What calamine does not tell about a sheet's cells (1-based row/column keys)."""

    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    no_cached_value: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    last_row: int = 0
    last_column: int = 0


class SheetTooLarge(Exception):
    """A sheet holds (or reaches) more cells than a template ever has."""


def cell_facts(z: zipfile.ZipFile, part: str, formats: list[str]) -> CellFacts:
    """One streamed pass over a sheet's XML: formats, formulas without a cached value, error values, extent.

    Raises :class:`SheetTooLarge` as soon as the sheet has more than :data:`MAX_CELLS` cells or
    a cell lies beyond that area, before anything builds a grid of it (python-calamine aborts
    the whole process when a lone cell at XFD1048576 makes it allocate the full grid).
    """
    fakta = CellFacts()
    baris = kolom = jumlah = 0
    with z.open(part) as f:
        for event, el in iterparse(f, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if el.tag == f"{_M}row":
                    baris = int(el.get("r")) if (el.get("r") or "").isdigit() else baris + 1
                    kolom = 0
                continue
            if el.tag != f"{_M}c":
                if el.tag == f"{_M}row":
                    el.clear()
                continue
            ref = el.get("r")
            if ref:
                huruf, baris = coordinate_from_string(ref)
                kolom = column_index_from_string(huruf)
            else:
                kolom += 1
            jumlah += 1
            fakta.last_row, fakta.last_column = max(fakta.last_row, baris), max(fakta.last_column, kolom)
            if jumlah > MAX_CELLS or fakta.last_row * fakta.last_column > MAX_CELLS:
                raise SheetTooLarge(f"{get_column_letter(kolom)}{baris}")
            kunci = (baris, kolom)
            s = el.get("s")
            if s is not None and s.isdigit() and int(s) < len(formats) and formats[int(s)] != "General":
                fakta.formats[kunci] = formats[int(s)]
            v = el.find(f"{_M}v")
            if el.find(f"{_M}f") is not None:
                fakta.formulas.add(kunci)
            if kunci in fakta.formulas and (v is None or not (v.text or "").strip()):
                fakta.no_cached_value.add(kunci)
            elif el.get("t") == "e":
                fakta.errors[kunci] = (v.text or "").strip() if v is not None else "#N/A"
    return fakta


def read_received(path: Path | str, wanted: tuple[str, ...]) -> ReceivedWorkbook:
    """Read the ``wanted`` sheets (found ignoring case and spaces) of a received workbook.

    Raises :class:`RefusedFile` when the file cannot be read at all. Formula cells without
    a cached value and cached error values become ``galat`` at their cell (the value is
    left blank); merged ranges are filled with their top-left value so that every row of
    a merged "Program" cell carries it.
    """
    path = Path(path)
    z = check_package(path)
    try:
        try:
            parts = sheet_parts(z)
            formats = _style_formats(z)
            properties = _custom_properties(z)
        except _BROKEN:
            raise _refuse(f"Berkas '{path.name}' rusak: struktur buku kerjanya tidak terbaca. Simpan ulang dari "
                          "Excel sebagai .xlsx lalu kirim ulang.") from None
        masalah: list[Masalah] = []
        if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
            masalah.append(peringatan(f"Berkas '{path.name}' berisi makro (VBA). Makro tidak dijalankan; hanya "
                                      "datanya yang dibaca. Lain kali kirim templat .xlsx tanpa makro."))
        sheets, formulas = {}, {}
        try:
            cal = python_calamine.CalamineWorkbook.from_path(str(path))
        except _BROKEN:
            raise _refuse(f"Berkas '{path.name}' tidak dapat dibaca sebagai buku kerja. Simpan ulang dari "
                          "Excel sebagai .xlsx lalu kirim ulang.") from None
        try:
            for want in wanted:
                nama = next((n for n in parts if header_key(n) == header_key(want)), None)
                if nama is None:
                    continue
                try:
                    fakta = cell_facts(z, parts[nama], formats)
                    nilai = cal.get_sheet_by_name(nama)
                    grid = [[None if v == "" else v for v in baris] for baris in nilai.to_python(skip_empty_area=False)]
                    gabungan = nilai.merged_cell_ranges or []
                except SheetTooLarge as e:
                    raise _refuse(f"Sheet '{nama}' di berkas '{path.name}' terisi sampai sel {e} — jauh melebihi "
                                  f"templat (batas {fmt.angka(MAX_CELLS, 0)} sel). Hapus isi atau format "
                                  "di luar tabel (atau salin isian ke templat asli) lalu kirim ulang.") from None
                except _BROKEN:
                    raise _refuse(f"Sheet '{nama}' di berkas '{path.name}' rusak. Salin isinya ke templat baru "
                                  "lalu kirim ulang.") from None
                sheets[want] = _grid_sheet(nama, grid, fakta, gabungan, masalah, path.name)
                formulas[want] = fakta.formulas
        finally:
            cal.close()
        return ReceivedWorkbook(path, sheets, list(parts), masalah, formulas, properties)
    finally:
        z.close()


def _grid_sheet(nama, grid, fakta: CellFacts, gabungan, masalah, berkas) -> Sheet:
    penting = list(fakta.no_cached_value) + list(fakta.errors)
    tinggi = max([len(grid)] + [b for b, _ in penting])
    lebar = max([len(b) for b in grid] + [k for _, k in penting] + [0])
    grid = [list(b) + [None] * (lebar - len(b)) for b in grid] + [[None] * lebar for _ in range(tinggi - len(grid))]
    fmt = [[None] * lebar for _ in range(tinggi)]
    for (b, k), f in fakta.formats.items():
        if b <= tinggi and k <= lebar:
            fmt[b - 1][k - 1] = f
    for (b0, k0), (b1, k1) in gabungan:
        if b1 > b0:
            masalah.append(peringatan(
                f"Sel {get_column_letter(k0 + 1)}{b0 + 1}:{get_column_letter(k1 + 1)}{b1 + 1} digabung (merge); "
                "nilainya dibaca untuk setiap baris gabungan. Bila tidak sesuai, pisahkan gabungannya dan isi tiap "
                "baris.", sheet=nama, baris=b0 + 1, kolom=get_column_letter(k0 + 1)))
        atas = grid[b0][k0] if b0 < len(grid) and k0 < lebar else None
        for b in range(b0, min(b1 + 1, tinggi)):
            for k in range(k0, min(k1 + 1, lebar)):
                grid[b][k] = atas
                fmt[b][k] = fmt[b0][k0]
    for (b, k) in sorted(fakta.no_cached_value):
        masalah.append(galat("Sel berisi rumus tanpa nilai tersimpan (berkas disimpan oleh program yang tidak "
                             "menghitung rumus). Ganti rumusnya dengan angka, atau buka dan simpan ulang di Excel.",
                             sheet=nama, baris=b, kolom=get_column_letter(k)))
        grid[b - 1][k - 1] = None
    for (b, k), kode in sorted(fakta.errors.items()):
        masalah.append(galat(f"Sel berisi nilai galat {kode} dari rumus. Perbaiki rumusnya atau ganti dengan angka.",
                             sheet=nama, baris=b, kolom=get_column_letter(k)))
        grid[b - 1][k - 1] = None
    return Sheet(nama, grid, fmt)
