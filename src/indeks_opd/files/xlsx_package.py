"""Editing an .xlsx/.xlsm package in place, part by part, so nothing we do not own changes.

Why not openpyxl load/save: a round trip through openpyxl drops DrawingML shapes, the
``customUI`` ribbon relationship and form-control VML, and rewrites ``sharedStrings.xml`` and
``styles.xml`` (whose indices every sheet uses). This module edits the OOXML package
directly: parts are kept as bytes and only the parts a caller changes are re-serialised;
every other part is written back byte for byte (same name, same order).

Building blocks (all pure in-memory until :meth:`Package.save`):

- :class:`Package` — ``Package.open(path)``; ``parts`` (name → bytes); ``xml(name)`` parses
  a part once (entities are never expanded, no network), edits go to that tree and are
  serialised on save (a parsed part left unchanged is saved as its original bytes);
  ``sheets()`` lists the workbook's sheets (:class:`SheetRef`: name, sheetId, relationship id,
  part name); ``find_sheet(name)`` (case-insensitive, like Excel);
  ``add_sheet(name)`` registers a new empty worksheet in ``workbook.xml``, its rels and
  ``[Content_Types].xml``; ``related(part, type)`` follows a part's relationships (e.g. a
  sheet's table parts); ``drop_calc_chain(sheet_ids)`` removes calc-chain entries of sheets
  whose formulas were rewritten; ``save(path)``.
- :class:`Styles` — ``styles = Styles(pkg)``; ``styles.xf(number_format, bold, fill, wrap, centred)``
  appends (once) a cell format and returns its ``s`` index; ``styles.with_fill(s, fill)``
  clones an existing cell format with a solid fill (keeping its number format, font, border
  and alignment). Existing indices never move, so every sheet's styles stay as they were.
- :class:`Worksheet` — ``ws = Worksheet(pkg, part)``: ``clear_rows(from_row)`` removes rows
  at and below a row (keeping the header above); ``write_cells(cells)`` writes
  ``(row, column, value, s)`` (str → inline string, so ``sharedStrings.xml`` stays
  untouched; text is never a formula; numbers as numbers; a ``datetime`` as its Excel serial
  number; ``None`` → styled empty cell);
  ``restyle(row, first_col, last_col, fn)`` maps each cell's style index (creating missing
  cells) — used to fill rows; ``set_widths(widths)``; ``cell_values()`` reads values back
  (shared and inline strings, numbers, cached formula values); ``tables()`` gives the
  sheet's table parts and ``set_table_ref(table_part, ref)`` moves a table's range (and its
  autoFilter) after its rows changed; ``set_autofilter(ref)`` moves the sheet's autoFilter with
  its hidden ``_xlnm._FilterDatabase`` name; ``freeze_below(rows)``; ``set_print(header, title_row)``
  (A4 landscape, one page wide, a header row repeated as ``_xlnm.Print_Titles``); ``update_dimension()``. Cells an edit removes or
  overwrites that referred to a shared string lower ``sharedStrings.xml``'s ``count`` on save.
  Everything else in the worksheet XML — data validations, conditional formatting,
  ``legacyDrawing``/``drawing``, ``tableParts``, sheet views, protection — is kept.

Typical use, e.g. replacing the data rows of an input sheet below its header::

    pkg = Package.open(path)
    styles = Styles(pkg)
    ws = Worksheet(pkg, pkg.find_sheet("Realisasi").part)
    ws.clear_rows(2)
    ws.write_cells((r, c, v, 0) for r, c, v in new_cells)
    for table_part in ws.tables():
        ws.set_table_ref(table_part, f"A1:J{last_row}")
    ws.update_dimension()
    pkg.save(tmp)        # e.g. inside safe_write.replace_atomically
"""

from __future__ import annotations

import bisect
import concurrent.futures
import copy
import functools
import math
import os
import posixpath
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree

from indeks_opd.contract.numbers import excel_serial
from indeks_opd.contract.sheets import column_index, column_letter
from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.files.package_check import (
    MASTER_ADVICE,
    PARSE_ERRORS,
    DamagedPackage,
    check_master,
    check_part,
    checked_blocks,
    damaged,
    unusable,
)

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = NS_REL + "/worksheet"
REL_TABLE = NS_REL + "/table"
REL_CALC_CHAIN = NS_REL + "/calcChain"
REL_HYPERLINK = NS_REL + "/hyperlink"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

SAVE_COMPRESSLEVEL = 1
"""zlib level of the parts :meth:`Package.save` deflates: sheet XML deflates about three times faster than
at the default level 6, into parts some 25-35% larger (the parts nobody changed are copied as they were)."""

_M = f"{{{NS_MAIN}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
_STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")

WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews",
    "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
    "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)
WORKBOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                  "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews",
                  "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects",
                  "extLst")
STYLESHEET_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                    "tableStyles", "colors", "extLst")
BUILTIN_NUMBER_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
                          "@": 49}

EMPTY_WORKSHEET = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
    '<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetData/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
).encode()


def q(tag: str) -> str:
    """Clark name of a SpreadsheetML tag."""
    return _M + tag


def insert_in_order(parent, child, order: tuple[str, ...]):
    """Insert ``child`` into ``parent`` where the schema's element order puts it (replacing nothing)."""
    name = etree.QName(child).localname
    rank = order.index(name)
    for i, existing in enumerate(parent):
        if not isinstance(existing.tag, str):
            continue
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def ensure_child(parent, name: str, order: tuple[str, ...]):
    """The first child ``name`` of ``parent`` (SpreadsheetML namespace), created in order when missing."""
    found = parent.find(q(name))
    return found if found is not None else insert_in_order(parent, etree.Element(q(name)), order)


def clean_text(text: str) -> str:
    """Text with the characters XML cannot hold removed."""
    return _ILLEGAL_XML.sub("", text)


def split_ref(ref: str) -> tuple[int, int]:
    """``'C12'`` → (row 12, column 3)."""
    m = _CELL_REF.match(ref.replace("$", ""))
    if not m:
        raise ValueError(f"bukan alamat sel: {ref}")
    return int(m.group(2)), column_index(m.group(1))


@dataclass(frozen=True)
class SheetRef:
    name: str
    sheet_id: int
    rel_id: str
    part: str
    """Part name inside the package, e.g. ``xl/worksheets/sheet3.xml``."""


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _serialised(root) -> bytes:
    """A part's tree as the bytes saved in the package."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _check_well_formed(data: bytes, path: Path, part: str) -> None:
    """Refuse to write a part that is not well-formed XML on its own (e.g. an entity whose DTD was dropped)."""
    try:
        etree.fromstring(data, _STRICT_PARSER)
    except etree.XMLSyntaxError as e:
        raise UnusableWorkbook([galat(
            f"Bagian {part} untuk '{path.name}' tidak menjadi XML yang utuh ({e}); tidak ada yang ditulis. "
            f"{MASTER_ADVICE}")]) from None


_UNREAD = object()


class _no_source:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _is_worksheet_part(name: str) -> bool:
    """A part where spreadsheet programs put worksheets (``xl/worksheets/sheetN.xml``): the large parts."""
    return name.startswith("xl/worksheets/") and name.count("/") == 2 and name.endswith(".xml")


class _Parts(dict):
    """Part name → bytes, each read from the source zip only when first asked for.

    A workbook of 22,000 OPDs holds hundreds of MB of sheet XML that hitung never edits;
    holding it all in memory doubled the run's peak. Parts never read are streamed from the
    source zip to the saved one (:meth:`Package.save`), byte for byte.

    ``unchecked``: worksheet parts whose content the package check left for later
    (:meth:`Package.open`); each is checked the first time its bytes are read, streamed,
    or copied, so no part reaches a parser or a saved file unchecked.
    """

    def __init__(self, path: Path, infos: list[zipfile.ZipInfo], unchecked: set[str]):
        names = [i.filename for i in infos]
        super().__init__((n, _UNREAD) for n in names)
        self.path = path
        self.sizes = {i.filename: i.file_size for i in infos}
        """Each part's size as the zip directory declares it (checked against its bytes when they are read)."""
        self.in_source = frozenset(names)
        self.replaced: set[str] = set()
        self.unchecked = unchecked
        st = os.stat(path)
        self.stamp = (st.st_size, st.st_mtime_ns)

    def __getitem__(self, name: str) -> bytes:
        data = super().__getitem__(name)
        if data is _UNREAD:
            data = b"".join(self.blocks(name, whole=True))
            super().__setitem__(name, data)
        return data

    def __setitem__(self, name: str, data: bytes) -> None:
        super().__setitem__(name, data)
        self.replaced.add(name)

    def get(self, name: str, default=None):
        return self[name] if name in self else default  # noqa: SIM401 - dict.get would bypass the lazy __getitem__

    def as_in_source(self, name: str) -> bool:
        """The part still holds the source's bytes (never replaced), so its compressed entry can be copied."""
        return name in self.in_source and name not in self.replaced

    def blocks(self, name: str, whole: bool = False) -> Iterator[bytes]:
        """The source's bytes of part ``name``, block by block (``whole``: as one block, for a caller that keeps
        them all); checked on the way when still unchecked."""
        self.check_unchanged()
        with zipfile.ZipFile(self.path) as z:
            info = z.getinfo(name)
            size = max(info.file_size, 1) if whole else 1 << 22
            if name in self.unchecked:
                try:
                    yield from checked_blocks(z, self.path.name, info, size)
                except DamagedPackage as e:
                    raise unusable(e) from None
                self.unchecked.discard(name)
            else:
                with z.open(info) as f:
                    while block := f.read(size):
                        yield block

    def check_rest(self) -> None:
        """Check every part still unchecked (see the class docstring)."""
        if not self.unchecked:
            return
        self.check_unchanged()
        with zipfile.ZipFile(self.path) as z:
            for name in sorted(self.unchecked):
                try:
                    check_part(z, self.path.name, z.getinfo(name))
                except DamagedPackage as e:
                    raise unusable(e) from None
        self.unchecked.clear()

    def check_unchanged(self) -> None:
        """Refuse to go on when the source file changed since it was opened and checked."""
        st = os.stat(self.path)
        if (st.st_size, st.st_mtime_ns) != self.stamp:
            raise UnusableWorkbook([galat(
                f"Berkas '{self.path.name}' berubah saat sedang dibaca dan dihitung (mungkin disimpan dari Excel "
                "atau program lain). Tidak ada yang ditulis; jalankan lagi.")])


_LETTERS: list[str] = []


def _letters(column: int) -> str:
    """Column letters of a 1-based column (cached: the output sheets use a few dozen)."""
    while len(_LETTERS) < column:
        _LETTERS.append(column_letter(len(_LETTERS) + 1))
    return _LETTERS[column - 1]


def _text_escape(text: str) -> str:
    """Text as XML character data, the way lxml writes it (``&``, ``<``, ``>``, and CR kept as ``&#13;``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _cell_text(prefix: str, ref: str, value, s: int) -> str:
    """One cell as XML text, the same cell :meth:`Worksheet._set_value` builds as a tree."""
    style = f' s="{s}"' if s else ""
    if isinstance(value, datetime):
        value = excel_serial(value)  # a date-time cell is its serial number, shown by its number format
    if value is None:
        return f'<{prefix}c r="{ref}"{style}/>'
    if isinstance(value, bool):
        return f'<{prefix}c r="{ref}"{style} t="b"><{prefix}v>{int(value)}</{prefix}v></{prefix}c>'
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        number = repr(float(value)) if isinstance(value, float) and not float(value).is_integer() else str(int(value))
        return f'<{prefix}c r="{ref}"{style}><{prefix}v>{number}</{prefix}v></{prefix}c>'
    text = value if type(value) is str and value.isprintable() else clean_text(str(value))  # printable: nothing to drop
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return (f'<{prefix}c r="{ref}"{style} t="inlineStr"><{prefix}is><{prefix}t{space}>{_text_escape(text)}'
            f'</{prefix}t></{prefix}is></{prefix}c>')


_SST_START = re.compile(rb'<(?:\w+:)?sst\b[^>]*?(?:\scount="([^"]*)"[^>]*)?>')
"""The start tag of sharedStrings.xml, with its ``count`` attribute's value when it has one."""
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData(?=[\s/>])[^>]*>")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def sheet_data_bounds(data: bytes) -> tuple[int, int] | None:
    """(end of the ``<sheetData>`` start tag, start of ``</sheetData>``) in a worksheet's bytes; None when it
    holds no rows (absent or ``<sheetData/>``)."""
    start = _SHEET_DATA.search(data)
    if start is None or start.group(0).endswith(b"/>"):
        return None
    end = data.rfind(b"</" + (start.group(1) or b"") + b"sheetData>")
    return (start.end(), end) if end > start.end() else None


def _rows_block(data: bytes, begin: int, end: int, first: int, last: int) -> tuple[int, int] | None:
    """Byte range of rows ``first..last`` in the sheetData text ``data[begin:end]``: from the start of row
    ``first`` to the start of the first row after ``last`` (or the end). None when a row element carries
    no number, the numbers do not ascend, or row ``first`` is missing."""
    start, previous = None, 0
    for m in _ROW_TAG.finditer(data, begin, end):
        number = _ROW_NUMBER.search(m.group(1))
        if number is None or int(number.group(1)) <= previous:
            return None
        previous = int(number.group(1))
        if previous >= first and start is None:
            if previous != first:
                return None
            start = m.start()
        if previous > last:
            return None if start is None else (start, m.start())
    return None if start is None else (start, end)


def _copy_entry(src: zipfile.ZipFile, dst: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Append ``info``'s entry of ``src`` to ``dst`` as its compressed bytes (same method, CRC and sizes).

    The standard library has no call for this; it writes the entry's local header itself and
    registers the entry so that :meth:`zipfile.ZipFile.close` lists it in the central directory.
    """
    src.fp.seek(info.header_offset)
    header = src.fp.read(30)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: kepala entri zip rusak")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    src.fp.seek(info.header_offset + 30 + name_len + extra_len)
    raw = src.fp.read(info.compress_size)
    out = copy.copy(info)
    out.flag_bits &= ~0x08  # sizes and CRC go in the local header, no data descriptor after the data
    out.extra = b""
    _append_entry(dst, out, (raw,))


def _append_entry(dst: zipfile.ZipFile, info: zipfile.ZipInfo, raw: Iterable[bytes]) -> None:
    """Append an entry whose compressed bytes (``raw``), CRC and sizes are ready in ``info``: its local header,
    the bytes, and the entry registered for the central directory :meth:`zipfile.ZipFile.close` writes."""
    info.header_offset = dst.fp.tell()
    dst.fp.write(info.FileHeader(False))
    for chunk in raw:
        dst.fp.write(chunk)
    dst.filelist.append(info)
    dst.NameToInfo[info.filename] = info
    dst.start_dir = dst.fp.tell()


def _deflate(data, last: bool) -> bytes:
    """``data`` as raw deflate blocks at :data:`SAVE_COMPRESSLEVEL`: the end of a stream (``last``), or blocks
    ending on a byte boundary that more blocks may follow (so pieces deflated apart make one stream)."""
    c = zlib.compressobj(SAVE_COMPRESSLEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


@functools.cache
def _deflater() -> concurrent.futures.ThreadPoolExecutor:
    """One thread that deflates beside the run (zlib runs without Python's lock)."""
    return concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="indeks-opd-deflate")


if hasattr(os, "register_at_fork"):  # a process forked after a save gets a thread of its own (POSIX only)
    os.register_at_fork(after_in_child=_deflater.cache_clear)


def _deflate_beside(data) -> concurrent.futures.Future:
    """:func:`_deflate` of ``data`` (not the end of its stream) in a thread: the run goes on meanwhile."""
    return _deflater().submit(_deflate, data, False)


class Package:
    """An OOXML package: parts as bytes (read on demand), parsed XML for the parts being edited."""

    def __init__(self, parts: dict[str, bytes], source: Path | None = None):
        self.parts = parts
        self.source = source
        self._xml: dict[str, etree._Element] = {}
        self._pristine: dict[str, bytes] = {}
        """Serialisation of each parsed part as read: a part whose tree still matches is saved as it was."""
        self._rows_text: dict[str, tuple[bytes | memoryview, ...]] = {}
        """Rows written as text into a worksheet's (empty) sheetData, spliced in when the part is serialised."""
        self._rows_range: dict[str, tuple[int, int, int, int] | None] = {}
        """(first row, first column, last row, last column) of each ``_rows_text``."""
        self._kept_rows: dict[str, tuple[int, int, bytes | memoryview]] = {}
        """Rows (first, last, their XML) :meth:`parse_without_rows` kept, for :meth:`Worksheet.write_rows`."""
        self._located_rows: dict[str, tuple[int, int, int, int]] = {}
        """Rows (first, last) a reader already found at bytes (start, end) of a part (:meth:`note_rows`)."""
        self._kept_deflated: dict[str, tuple[memoryview, concurrent.futures.Future]] = {}
        """Rows kept as they are and their deflated form, being made beside the run (:meth:`note_rows`)."""
        self._spliced: dict[str, tuple[bytes, bytes, concurrent.futures.Future, bytes]] = {}
        """A serialised part saved as deflated beside the run: (its bytes, the text before its kept rows, their
        deflated form, the text after them); a part without kept rows is all 'kept rows' (empty before and after)."""
        self.dropped_shared_strings = 0
        """Cells referring to a shared string that edits removed or overwrote (``sharedStrings`` ``count``)."""
        self.workbook_part = self._main_part()

    @classmethod
    def open(cls, path: Path | str) -> Package:
        """The package at ``path``, after :func:`indeks_opd.files.package_check.check_master` (every part's
        declared and actual size, deflate stream, no DTD, not Strict OOXML).

        The content of worksheet parts is checked when first read (:meth:`blocks`, ``parts[name]``),
        by :meth:`check_rest`, or at the latest before :meth:`save` copies it: a reader that scans
        each sheet anyway inflates it once for the check and its scan."""
        path = Path(path)
        unchecked = check_master(path, later=_is_worksheet_part)
        try:
            with zipfile.ZipFile(path) as z:
                parts = _Parts(path, [i for i in z.infolist() if not i.is_dir()], unchecked)
        except (zipfile.BadZipFile, OSError, KeyError) as e:
            raise UnusableWorkbook([galat(f"Berkas '{path.name}' bukan buku kerja .xlsx/.xlsm yang utuh "
                                          f"({type(e).__name__}). Simpan ulang dari Excel.")]) from None
        if "[Content_Types].xml" not in parts:
            raise UnusableWorkbook([galat(f"Berkas '{path.name}' bukan buku kerja .xlsx/.xlsm.")])
        return cls(parts, path)

    def _name(self) -> Path:
        return self.source or Path("buku kerja")

    def blocks(self, part: str) -> Iterator[bytes]:
        """The bytes of ``part`` block by block (checked on the way if not yet checked), without keeping them."""
        if isinstance(self.parts, _Parts) and self.parts.as_in_source(part):
            return self.parts.blocks(part)
        return iter((self.parts[part],))

    def size(self, part: str) -> int:
        """Bytes of ``part`` (as the zip directory declares them, for a part still as in the source)."""
        if isinstance(self.parts, _Parts) and self.parts.as_in_source(part):
            return self.parts.sizes[part]
        return len(self.parts[part])

    def check_rest(self) -> None:
        """Check the content of every part not checked yet (:meth:`open`): a damaged part anywhere refuses the
        workbook, as it did before any part was read."""
        if isinstance(self.parts, _Parts):
            self.parts.check_rest()

    def check_unchanged(self) -> None:
        """Refuse to go on (``UnusableWorkbook``) when the source file changed since it was opened and checked."""
        if isinstance(self.parts, _Parts):
            self.parts.check_unchanged()

    # -- parts -------------------------------------------------------------------------------
    def xml(self, part: str):
        """The parsed tree of ``part`` (cached; edits are saved by :meth:`save`).

        A part that is not well-formed XML, or declares a DTD, is a damaged workbook
        (``UnusableWorkbook`` naming the file and the part), never a parser's traceback.
        """
        if part not in self._xml:
            root = self._parse(part, self.parts[part])
            self._xml[part] = root
            self._pristine[part] = _serialised(root)
        return self._xml[part]

    def serialise(self, part: str) -> None:
        """Turn the edited tree of ``part`` back into bytes and let the tree go.

        The tree of a written sheet takes about 1 KB per cell; serialising each output sheet as
        soon as it is written keeps one such tree in memory instead of all of them.
        """
        if part in self._xml:
            pieces = self._saved_pieces(part)
            self.parts[part] = data = b"".join(pieces)
            noted = self._kept_deflated.pop(part, None)
            if noted is not None and len(pieces) == 3 and pieces[1] is noted[0]:
                self._spliced[part] = (data, pieces[0], noted[1], pieces[2])
            else:  # the whole part deflated beside the run while the next sheet is built
                self._spliced[part] = (data, b"", _deflate_beside(data), b"")
            del self._xml[part]
            self._pristine.pop(part, None)
            self._rows_text.pop(part, None)
            self._rows_range.pop(part, None)

    def set_xml(self, part: str, root) -> None:
        self._xml[part] = root
        self._pristine.pop(part, None)
        self.parts.setdefault(part, b"")

    def remove_part(self, part: str) -> None:
        self.parts.pop(part, None)
        self._xml.pop(part, None)
        self._pristine.pop(part, None)
        self._rows_text.pop(part, None)

    def _settle_shared_string_count(self) -> None:
        """``count`` of ``sharedStrings.xml`` is the number of cells referring to a shared string (ECMA-376
        18.4.9): lower it by the references edits dropped. ``uniqueCount`` stays true: no string is
        added or removed (new text goes in as inline strings)."""
        found = [t for _, t in self.related(self.workbook_part, NS_REL + "/sharedStrings")]
        if not self.dropped_shared_strings or not found or found[0] not in self.parts:
            return
        part, dropped = found[0], self.dropped_shared_strings
        self.dropped_shared_strings = 0
        if part not in self._xml:  # edit the start tag's text: the strings themselves need no parsing for this
            data = self.parts[part]
            start = _SST_START.search(data)
            if start is not None and (start.group(1) or b"").isdigit():
                self.parts[part] = b"".join((data[:start.start(1)], b"%d" % max(int(start.group(1)) - dropped, 0),
                                             data[start.end(1):]))
                return
        sst = self.xml(part)
        if sst.get("count") is not None:
            sst.set("count", str(max(int(sst.get("count")) - dropped, 0)))

    def save(self, path: Path | str) -> None:
        """Write the package: edited parts re-serialised, every other part as it was.

        Every part we serialise is parsed back first: what we write is well-formed XML, or
        nothing is written (``UnusableWorkbook``; the caller's temporary file is discarded).
        A part that still holds the source's bytes is copied as its *compressed* zip entry
        (:func:`_copy_entry`): no inflate, no deflate — for a large workbook most of the time
        a save used to take. Every source entry has been checked by then (:meth:`open`,
        :meth:`check_rest`), and the source must still be the file that was checked.
        """
        self._settle_shared_string_count()
        lazy = isinstance(self.parts, _Parts)
        if lazy:
            self.parts.check_rest()  # nothing unchecked is copied
            self.parts.check_unchanged()  # and the source is still the file that was checked and read
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=SAVE_COMPRESSLEVEL) as z, \
                (zipfile.ZipFile(self.source) if lazy else _no_source()) as src:
            names = list(self.parts)
            names.sort(key=lambda n: n != "[Content_Types].xml")  # stable: keeps every other part's order
            for name in names:
                edited = self._saved_form(name) if name in self._xml else None
                if edited is not None and edited != self._pristine.get(name):
                    _check_well_formed(edited, self._name(), name)
                    z.writestr(name, edited)  # serialised once: compared and written
                elif lazy and self.parts.as_in_source(name):
                    _copy_entry(src, z, src.getinfo(name))
                elif name in self._spliced and self._spliced[name][0] is self.parts[name]:
                    _append_entry(z, *self._spliced_entry(name))
                else:
                    z.writestr(name, self.parts[name])

    def _saved_form(self, part: str) -> bytes:
        """The bytes of a parsed part, with the rows given as text (:meth:`Worksheet.write_rows`) in its sheetData."""
        return b"".join(self._saved_pieces(part))

    def _spliced_entry(self, part: str) -> tuple[zipfile.ZipInfo, tuple[bytes, ...]]:
        """The zip entry of a serialised part deflated beside the run (:meth:`serialise`): the text before and
        after its kept rows (:meth:`note_rows`; both empty for a part written whole) deflated here, the three
        pieces one deflate stream."""
        data, before, kept, after = self._spliced.pop(part)
        info = zipfile.ZipInfo(part, time.localtime(time.time())[:6])  # as ZipFile.writestr makes it
        info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
        raw = (_deflate(before, False), kept.result(), _deflate(after, True))
        info.file_size, info.CRC, info.compress_size = len(data), zlib.crc32(data), sum(map(len, raw))
        return info, raw

    def _saved_pieces(self, part: str) -> tuple:
        """:meth:`_saved_form` in pieces: the text before the kept rows, the kept rows, the text after them (one
        piece when no row is kept)."""
        data = _serialised(self._xml[part])
        rows = self._rows_text.get(part)
        if rows is None:
            return (data,)
        sheet_data = self._xml[part].find(q("sheetData"))
        tag = (f"{sheet_data.prefix}:" if sheet_data.prefix else "") + "sheetData"
        empty = f"<{tag}/>".encode()
        if data.count(empty) != 1:
            raise ValueError(f"{part}: sheetData tidak kosong atau tidak tunggal")
        before, _, after = data.partition(empty)
        if len(rows) == 3:
            return (before + f"<{tag}>".encode() + rows[0], rows[1], rows[2] + f"</{tag}>".encode() + after)
        return (b"".join((before, f"<{tag}>".encode(), *rows, f"</{tag}>".encode(), after)),)

    def parse_without_rows(self, part: str, keep: tuple[int, int] | None = None) -> None:
        """Parse worksheet ``part`` with its sheetData emptied, the old rows dropped unparsed.

        For a sheet about to be rewritten whole: its rows cost a byte search instead of a tree
        (a Riwayat of many quarters is the largest sheet hitung touches). A part already parsed
        is emptied the ordinary way. ``keep``: rows ``keep[0]..keep[1]`` stay as their XML text
        (:meth:`rows_in_order` must hold), and :meth:`Worksheet.write_rows` writes the other rows
        around them.
        """
        if part in self._xml:
            if keep is not None:
                raise ValueError(f"{part}: baris yang dipertahankan butuh bagian yang belum diurai")
            data_el = self._xml[part].find(q("sheetData"))
            for row in list(data_el if data_el is not None else ()):
                self.dropped_shared_strings += sum(c.get("t") == "s" for c in row.iterfind(q("c")))
                data_el.remove(row)
            return
        data = self.parts[part]
        bounds = sheet_data_bounds(data)
        if bounds is not None:
            open_end, close_start = bounds
            kept: bytes | memoryview = b""
            block = (close_start, close_start)
            if keep is not None:
                block = self._rows_at(part, data, open_end, close_start, *keep)
                if block is None:
                    raise ValueError(f"{part}: baris {keep[0]}..{keep[1]} tidak berurutan")
                noted = self._kept_deflated.get(part)
                kept = memoryview(data)[block[0]:block[1]]  # no copy: the part's bytes stay until it is saved
                if noted is not None and self._located_rows[part][2:] == block:
                    kept = noted[0]
                self._kept_rows[part] = (*keep, kept)
            self.dropped_shared_strings += (data.count(b't="s"', open_end, block[0])
                                            + data.count(b't="s"', block[1], close_start))
            data = data[:open_end] + data[close_start:]
        elif keep is not None:
            raise ValueError(f"{part}: tidak ada baris {keep[0]}..{keep[1]}")
        self._xml[part] = self._parse(part, data)

    def note_rows(self, part: str, first: int, last: int, start: int, end: int) -> None:
        """Rows ``first..last`` of worksheet ``part`` (not parsed yet) are ``parts[part][start:end]``, as a reader
        that checked every row's number found them (:mod:`indeks_opd.files.kept_rows`): :meth:`rows_in_order`
        and :meth:`parse_without_rows` take them from there instead of walking every row again, and
        :meth:`save` writes them as deflated in a thread meanwhile (zlib runs beside the rest of the run)."""
        self._located_rows[part] = (first, last, start, end)
        kept = memoryview(self.parts[part])[start:end]
        self._kept_deflated[part] = (kept, _deflate_beside(kept))  # saved as they are: deflated meanwhile

    def _rows_at(self, part: str, data: bytes, begin: int, end: int, first: int, last: int) -> tuple[int, int] | None:
        """Byte range of rows ``first..last`` in the sheetData text ``data[begin:end]`` (:func:`_rows_block`), from
        :meth:`note_rows` when a reader located them: its row ``first`` starts there and the row after ``last``
        (or ``</sheetData>``) right after them."""
        noted = self._located_rows.get(part)
        if noted is None or noted[:2] != (first, last):
            return _rows_block(data, begin, end, first, last)
        start, stop = noted[2:]
        head = _ROW_TAG.match(data, start)
        number = _ROW_NUMBER.search(head.group(1)) if head else None
        after = _ROW_TAG.match(data, stop) if stop < end else None
        after_number = _ROW_NUMBER.search(after.group(1)) if after else None
        if not (begin <= start < stop <= end and number and int(number.group(1)) == first
                and (stop == end or after_number and int(after_number.group(1)) > last)):
            return None
        return start, stop

    def rows_in_order(self, part: str, first: int, last: int) -> bool:
        """Rows ``first..last`` of worksheet ``part`` (not parsed yet) can be kept as text by
        :meth:`parse_without_rows`: every row element of its sheetData carries its number, row
        ``first`` is there and the rows through ``last`` follow it in order."""
        if part in self._xml or part not in self.parts:
            return False
        data = self.parts[part]
        bounds = sheet_data_bounds(data)
        return bounds is not None and self._rows_at(part, data, *bounds, first, last) is not None

    def _parse(self, part: str, data: bytes):
        """``data`` of ``part`` as a tree; not well-formed, or declaring a DTD: a damaged workbook."""
        try:
            root = etree.fromstring(data, _PARSER)
            if root.getroottree().docinfo.internalDTD is not None:
                raise etree.XMLSyntaxError("DTD", None, 0, 0)
        except PARSE_ERRORS as e:
            raise unusable(damaged(self._name(), e, part)) from None
        return root

    # -- relationships -----------------------------------------------------------------------
    def rels(self, part: str):
        """The relationships tree of ``part`` (``''`` for the package), created empty when missing."""
        name = "_rels/.rels" if part == "" else _rels_name(part)
        if name not in self.parts and name not in self._xml:
            self.set_xml(name, etree.Element(f"{{{NS_PKG_REL}}}Relationships", nsmap={None: NS_PKG_REL}))
        return self.xml(name)

    def related(self, part: str, rel_type: str) -> list[tuple[str, str]]:
        """``(relationship id, target part)`` of ``part``'s internal relationships of ``rel_type``."""
        if _rels_name(part) not in self.parts:
            return []
        return [(r.get("Id"), _resolve(part, r.get("Target"))) for r in self.rels(part)
                if r.get("Type") == rel_type and r.get("TargetMode") != "External"]

    def add_relationship(self, part: str, rel_type: str, target: str, external: bool = False) -> str:
        """A new relationship of ``part`` to another part (``target`` a part name), or to an ``external`` address."""
        rels = self.rels(part)
        used = {r.get("Id") for r in rels}
        n = 1
        while f"rId{n}" in used:
            n += 1
        rel = etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship")
        rel.set("Id", f"rId{n}")
        rel.set("Type", rel_type)
        rel.set("Target", clean_text(target) if external else posixpath.relpath(target, posixpath.dirname(part) or "."))
        if external:
            rel.set("TargetMode", "External")
        return f"rId{n}"

    def remove_relationship(self, part: str, rel_id: str) -> None:
        rels = self.rels(part)
        for r in rels.findall(f"{{{NS_PKG_REL}}}Relationship"):
            if r.get("Id") == rel_id:
                rels.remove(r)

    def _main_part(self) -> str:
        rels = self.xml("_rels/.rels") if "_rels/.rels" in self.parts else []
        for r in rels:
            if r.get("Type", "").endswith("/officeDocument"):
                return _resolve("", r.get("Target"))
        raise UnusableWorkbook([galat("Berkas ini tidak berisi buku kerja Excel (bagian workbook tidak ada).")])

    def set_content_type(self, part: str, content_type: str) -> None:
        types = self.xml("[Content_Types].xml")
        name = "/" + part
        for o in types.findall(f"{{{NS_CT}}}Override"):
            if o.get("PartName") == name:
                o.set("ContentType", content_type)
                return
        o = etree.SubElement(types, f"{{{NS_CT}}}Override")
        o.set("PartName", name)
        o.set("ContentType", content_type)

    # -- sheets ------------------------------------------------------------------------------
    def sheets(self) -> list[SheetRef]:
        wb = self.xml(self.workbook_part)
        targets = {rid: target for rid, target in self.related(self.workbook_part, REL_WORKSHEET)}
        out = []
        for s in wb.find(q("sheets")):
            rid = s.get(f"{{{NS_REL}}}id")
            if rid in targets:
                out.append(SheetRef(s.get("name"), int(s.get("sheetId")), rid, targets[rid]))
        return out

    def find_sheet(self, name: str) -> SheetRef | None:
        """A worksheet by name, ignoring case as Excel does."""
        return next((s for s in self.sheets() if s.name.casefold() == name.casefold()), None)

    def add_sheet(self, name: str) -> SheetRef:
        """Add an empty worksheet ``name`` after the last sheet."""
        wb = self.xml(self.workbook_part)
        sheets = wb.find(q("sheets"))
        if any((s.get("name") or "").casefold() == name.casefold() for s in sheets):
            raise UnusableWorkbook([galat(f"Sheet '{name}' sudah ada tetapi bukan lembar kerja biasa "
                                          "(mis. lembar grafik). Ganti namanya lalu jalankan lagi.", sheet=name)])
        sheet_id = max((int(s.get("sheetId")) for s in sheets), default=0) + 1
        n = 1
        folder = posixpath.join(posixpath.dirname(self.workbook_part), "worksheets")
        while posixpath.join(folder, f"sheet{n}.xml") in self.parts:
            n += 1
        part = posixpath.join(folder, f"sheet{n}.xml")
        self.parts[part] = EMPTY_WORKSHEET
        rid = self.add_relationship(self.workbook_part, REL_WORKSHEET, part)
        el = etree.SubElement(sheets, q("sheet"))
        el.set("name", name)
        el.set("sheetId", str(sheet_id))
        el.set(f"{{{NS_REL}}}id", rid)
        self.set_content_type(part, CT_WORKSHEET)
        return SheetRef(name, sheet_id, rid, part)

    def drop_calc_chain(self, sheet_ids: Iterable[int]) -> None:
        """Remove calc-chain entries of the given sheets (their formulas were rewritten)."""
        chain = self.related(self.workbook_part, REL_CALC_CHAIN)
        if not chain:
            return
        rid, part = chain[0]
        ids = {str(i) for i in sheet_ids}
        root = self.xml(part)
        current = None
        changed = False
        for c in list(root):
            current = c.get("i", current)  # an entry without i belongs to the previous entry's sheet
            if current in ids:
                root.remove(c)
                changed = True
        if changed and len(root) == 0:
            self.remove_part(part)
            rels = self.rels(self.workbook_part)
            for r in rels:
                if r.get("Id") == rid:
                    rels.remove(r)
            types = self.xml("[Content_Types].xml")
            for o in types.findall(f"{{{NS_CT}}}Override"):
                if o.get("PartName") == "/" + part:
                    types.remove(o)


class Styles:
    """Appends cell formats to ``styles.xml``; existing indices never change."""

    def __init__(self, pkg: Package):
        found = [t for _, t in pkg.related(pkg.workbook_part, NS_REL + "/styles")]
        if not found:
            raise UnusableWorkbook([galat("Buku kerja tidak punya bagian gaya (styles.xml). Simpan ulang dari Excel.")])
        self.root = pkg.xml(found[0])
        self._cache: dict = {}

    def _section(self, name: str):
        return ensure_child(self.root, name, STYLESHEET_ORDER)

    def _append(self, section: str, el) -> int:
        sec = self._section(section)
        sec.append(el)
        count = len([c for c in sec if isinstance(c.tag, str)])
        sec.set("count", str(count))
        return count - 1

    def _number_format_id(self, code: str | None) -> int:
        if code is None or code in BUILTIN_NUMBER_FORMATS:
            return BUILTIN_NUMBER_FORMATS.get(code or "General", 0)
        numfmts = self._section("numFmts")
        for nf in numfmts:
            if nf.get("formatCode") == code:
                return int(nf.get("numFmtId"))
        new_id = max([163] + [int(nf.get("numFmtId")) for nf in numfmts]) + 1
        el = etree.SubElement(numfmts, q("numFmt"))
        el.set("numFmtId", str(new_id))
        el.set("formatCode", code)
        numfmts.set("count", str(len(numfmts)))
        return new_id

    def _bold_font(self) -> int:
        if "bold" not in self._cache:
            fonts = self._section("fonts")
            base = next((f for f in fonts if isinstance(f.tag, str)), None)
            font = copy.deepcopy(base) if base is not None else etree.Element(q("font"))
            for b in font.findall(q("b")):
                font.remove(b)
            font.insert(0, etree.Element(q("b")))
            self._cache["bold"] = self._append("fonts", font)
        return self._cache["bold"]

    def _fill(self, colour: str) -> int:
        key = ("fill", colour.upper())
        if key not in self._cache:
            fill = etree.Element(q("fill"))
            pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
            etree.SubElement(pattern, q("fgColor"), rgb="FF" + colour.lstrip("#").upper())
            etree.SubElement(pattern, q("bgColor"), indexed="64")
            self._cache[key] = self._append("fills", fill)
        return self._cache[key]

    def xf(self, number_format: str | None = None, bold: bool = False, fill: str | None = None, wrap: bool = False,
           centred: bool = False) -> int:
        """Index of a cell format with these properties (appended once; 0 for the default look)."""
        key = ("xf", number_format, bold, fill, wrap, centred)
        if key in self._cache:
            return self._cache[key]
        if number_format is None and not bold and fill is None and not wrap and not centred:
            return 0
        el = etree.Element(q("xf"))
        el.set("numFmtId", str(self._number_format_id(number_format)))
        el.set("fontId", str(self._bold_font() if bold else 0))
        el.set("fillId", str(self._fill(fill) if fill else 0))
        el.set("borderId", "0")
        el.set("xfId", "0")
        if number_format:
            el.set("applyNumberFormat", "1")
        if bold:
            el.set("applyFont", "1")
        if fill:
            el.set("applyFill", "1")
        if wrap or centred:
            el.set("applyAlignment", "1")
            align = etree.SubElement(el, q("alignment"))
            if centred:
                align.set("horizontal", "center")
            if wrap:
                align.set("wrapText", "1")
        self._cache[key] = self._append("cellXfs", el)
        return self._cache[key]

    def with_fill(self, s: int, colour: str) -> int:
        """Index of a copy of cell format ``s`` with a solid ``colour`` fill (everything else kept)."""
        key = ("with_fill", s, colour.upper())
        if key not in self._cache:
            xfs = [x for x in self._section("cellXfs") if isinstance(x.tag, str)]
            base = xfs[s] if s < len(xfs) else xfs[0]
            el = copy.deepcopy(base)
            el.set("fillId", str(self._fill(colour)))
            el.set("applyFill", "1")
            self._cache[key] = self._append("cellXfs", el)
        return self._cache[key]


class Worksheet:
    """One worksheet part, edited in place (see the module docstring)."""

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        self.data = ensure_child(self.root, "sheetData", WORKSHEET_ORDER)
        self._by_number: dict[int, object] | None = None
        self._numbers: list[int] = []

    # -- rows and cells ----------------------------------------------------------------------
    def _rows(self) -> dict[int, object]:
        """Row elements by number, indexed once (with the numbers sorted) and kept up to date by ``_row``."""
        if self._by_number is None:
            self._by_number = {int(r.get("r")): r for r in self.data.findall(q("row")) if r.get("r")}
            self._numbers = sorted(self._by_number)
        return self._by_number

    def clear_rows(self, from_row: int = 1) -> None:
        """Remove every row at or below ``from_row`` (rows above are kept as they are)."""
        for r in self.data.findall(q("row")):
            if r.get("r") is None or int(r.get("r")) >= from_row:
                self.pkg.dropped_shared_strings += sum(c.get("t") == "s" for c in r.iterfind(q("c")))
                self.data.remove(r)
        self._by_number = None

    def _row(self, n: int):
        rows = self._rows()
        if n in rows:
            return rows[n]
        el = etree.Element(q("row"), r=str(n))
        i = bisect.bisect_right(self._numbers, n)  # binary search: writing R rows stays linear
        if i < len(self._numbers):
            rows[self._numbers[i]].addprevious(el)
        else:
            self.data.append(el)
        rows[n] = el
        self._numbers.insert(i, n)
        return el

    def _cell(self, row_el, row: int, column: int):
        ref = f"{column_letter(column)}{row}"
        last = row_el[-1] if len(row_el) else None
        if last is None or (last.tag == q("c") and split_ref(last.get("r"))[1] < column):
            return etree.SubElement(row_el, q("c"), r=ref)  # cells written left to right: append
        for c in row_el.findall(q("c")):
            _, col = split_ref(c.get("r"))
            if col == column:
                return c
            if col > column:
                el = etree.Element(q("c"), r=ref)
                c.addprevious(el)
                return el
        return etree.SubElement(row_el, q("c"), r=ref)

    @staticmethod
    def _set_value(c, value, s: int) -> None:
        for child in list(c):
            c.remove(child)
        for attr in ("t", "s", "cm", "vm"):
            c.attrib.pop(attr, None)
        if s:
            c.set("s", str(s))
        if isinstance(value, datetime):
            value = excel_serial(value)
        if value is None:
            return
        if isinstance(value, bool):
            c.set("t", "b")
            etree.SubElement(c, q("v")).text = "1" if value else "0"
        elif isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
            etree.SubElement(c, q("v")).text = repr(float(value)) if isinstance(value, float) and not \
                float(value).is_integer() else str(int(value))
        else:  # text, never a formula: an inline string keeps sharedStrings.xml untouched
            c.set("t", "inlineStr")
            t = etree.SubElement(etree.SubElement(c, q("is")), q("t"))
            text = clean_text(str(value))
            t.text = text
            if text != text.strip() or "\n" in text:
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def write_cells(self, cells: Iterable[tuple[int, int, object, int]]) -> None:
        """Write ``(row, column, value, style index)`` cells (1-based), replacing what was there."""
        rows: dict[int, list] = {}
        for row, column, value, s in cells:
            rows.setdefault(row, []).append((column, value, s))
        for row in sorted(rows):
            row_el = self._row(row)
            for column, value, s in sorted(rows[row], key=lambda x: x[0]):
                c = self._cell(row_el, row, column)
                self.pkg.dropped_shared_strings += c.get("t") == "s"
                self._set_value(c, value, s)
            row_el.attrib.pop("spans", None)

    def write_rows(self, rows: Iterable[tuple[int, list[tuple[int, object, int]]]],
                   heights: dict[int, float] | None = None) -> None:
        """Write ``(row, [(column, value, style index), ...])`` rows, rows and columns ascending, as the sheet's
        only rows; ``heights`` gives rows a fixed height in points (a wrapped header shows every line).

        For a sheet rewritten whole (its sheetData emptied by :meth:`Package.parse_without_rows`):
        the rows go in as XML text, one string per cell, never as a tree (a tree costs about
        1 KB per cell: a Riwayat of 22,000 OPDs over many quarters would take GBs). Each cell is
        written as :meth:`write_cells` writes it. Rows :meth:`Package.parse_without_rows` kept stay
        between the rows before and after them, as they were (the columns they span are taken to
        be within the written rows' columns).
        """
        if len(self.data):
            raise ValueError("write_rows: sheetData harus kosong")
        p = f"{self.data.prefix}:" if self.data.prefix else ""
        out: list[str] = []
        texts: dict[object, str] = {}  # the XML of each distinct text (categories, zones, codes written twice...)
        heads: dict[tuple[int, int], tuple[str, str]] = {}
        number_start, number_end = f"><{p}v>", f"</{p}v></{p}c>"
        previous, first_col, last_col, first_row = 0, None, 0, None
        kept_first, kept_last, kept = self.pkg._kept_rows.pop(self.part, (0, 0, b""))
        split = None  # where the kept rows go in ``out``
        for row, cells in rows:
            if row <= previous or not cells or kept_first <= row <= kept_last:
                raise ValueError("write_rows: baris harus urut naik, berisi sel, di luar baris yang dipertahankan")
            if kept and split is None and row > kept_last:
                split, previous = len(out), kept_last
                first_row = kept_first if first_row is None else first_row
            previous, first_row = row, row if first_row is None else first_row
            first_col = cells[0][0] if first_col is None else min(first_col, cells[0][0])
            last_col = max(last_col, cells[-1][0])
            height = heights.get(row) if heights else None
            out.append(f'<{p}row r="{row}" ht="{height:g}" customHeight="1">' if height else f'<{p}row r="{row}">')
            _letters(cells[-1][0])
            for column, value, s in cells:
                head = heads.get((column, s))
                if head is None:  # '<c r="B' and '" s="3"': the two halves of a cell's start around its row
                    head = heads[column, s] = (f'<{p}c r="{_LETTERS[column - 1]}', f'" s="{s}"' if s else '"')
                if type(value) is float and value - value == 0.0:  # the common case: a finite float
                    number = str(int(value)) if value.is_integer() else float.__repr__(value)
                    out.append(f"{head[0]}{row}{head[1]}{number_start}{number}{number_end}")
                elif type(value) is int:
                    out.append(f"{head[0]}{row}{head[1]}{number_start}{value}{number_end}")
                elif value is None:
                    out.append(f"{head[0]}{row}{head[1]}/>")
                elif type(value) is str or type(value) is datetime:  # each distinct text or moment built once
                    inner = texts.get(value)
                    if inner is None:
                        inner = texts[value] = _cell_text(p, "", value, 0)[len(f'<{p}c r=""'):]
                    out.append(f"{head[0]}{row}{head[1]}{inner}")
                else:
                    out.append(_cell_text(p, f"{_LETTERS[column - 1]}{row}", value, s))
            out.append(f"</{p}row>")
        if kept and split is None:
            split, previous = len(out), kept_last
            first_row = kept_first if first_row is None else first_row
        if split is None:
            self.pkg._rows_text[self.part] = ("".join(out).encode("utf-8"),)
        else:
            self.pkg._rows_text[self.part] = ("".join(out[:split]).encode("utf-8"), kept,
                                              "".join(out[split:]).encode("utf-8"))
        self.pkg._rows_range[self.part] = None if first_row is None else (first_row, first_col or 1, previous,
                                                                         last_col or 1)

    def restyle(self, row: int, first_column: int, last_column: int, fn: Callable[[int], int]) -> None:
        """Set each cell's style index to ``fn(current index)`` over a row span, creating missing cells."""
        row_el = self._row(row)
        for column in range(first_column, last_column + 1):
            c = self._cell(row_el, row, column)
            row_style = row_el.get("s") if row_el.get("customFormat") in ("1", "true") else None
            c.set("s", str(fn(int(c.get("s") or row_style or 0))))
        row_el.attrib.pop("spans", None)

    def cell_values(self, shared_strings: list[str] | None = None) -> dict[tuple[int, int], object]:
        """Values by (row, column): numbers, text (shared or inline), booleans, cached formula results."""
        out = {}
        for c in self.data.iter(q("c")):
            t = c.get("t")
            v = c.find(q("v"))
            if t == "inlineStr":
                value = "".join(x.text or "" for x in c.iter(q("t")))
            elif v is None or v.text is None:
                continue
            elif t == "s":
                value = shared_strings[int(v.text)] if shared_strings else v.text
            elif t in ("str", "e"):
                value = v.text
            elif t == "b":
                value = v.text == "1"
            else:
                value = float(v.text)
                value = int(value) if value.is_integer() else value
            out[split_ref(c.get("r"))] = value
        return out

    def used_range(self) -> tuple[int, int, int, int] | None:
        """(first row, first column, last row, last column) of the cells present, or None."""
        if self.part in self.pkg._rows_text:
            return self.pkg._rows_range[self.part]
        refs = [split_ref(c.get("r")) for c in self.data.iter(q("c")) if c.get("r")]
        if not refs:
            return None
        rows = [r for r, _ in refs]
        cols = [c for _, c in refs]
        return min(rows), min(cols), max(rows), max(cols)

    def update_dimension(self) -> None:
        dim = ensure_child(self.root, "dimension", WORKSHEET_ORDER)
        used = self.used_range()
        dim.set("ref", "A1" if used is None else
                f"{column_letter(used[1])}{used[0]}:{column_letter(used[3])}{used[2]}")

    def set_hyperlinks(self, links: dict[str, str | None]) -> None:
        """Cell hyperlinks to external addresses, by cell (``{"K5": "https://…"}``); ``None`` removes a cell's
        hyperlink. A cell's earlier hyperlink and its relationship are replaced, others are kept."""
        box = self.root.find(q("hyperlinks"))
        if box is not None:
            for h in box.findall(q("hyperlink")):
                if h.get("ref") in links:
                    box.remove(h)
                    if h.get(f"{{{NS_REL}}}id"):
                        self.pkg.remove_relationship(self.part, h.get(f"{{{NS_REL}}}id"))
        new = [(ref, target) for ref, target in links.items() if target]
        if new:
            box = ensure_child(self.root, "hyperlinks", WORKSHEET_ORDER)
            for ref, target in sorted(new, key=lambda x: split_ref(x[0])):
                rel_id = self.pkg.add_relationship(self.part, REL_HYPERLINK, target, external=True)
                etree.SubElement(box, q("hyperlink"), {"ref": ref, f"{{{NS_REL}}}id": rel_id})
        if box is not None and len(box) == 0:
            self.root.remove(box)

    def set_widths(self, widths: Iterable[float]) -> None:
        """Replace the column widths (characters) of columns 1.. with ``widths``."""
        old = self.root.find(q("cols"))
        if old is not None:
            self.root.remove(old)
        cols = insert_in_order(self.root, etree.Element(q("cols")), WORKSHEET_ORDER)
        for j, w in enumerate(widths, start=1):
            etree.SubElement(cols, q("col"), min=str(j), max=str(j), width=f"{w:g}", customWidth="1")
        if len(cols) == 0:
            self.root.remove(cols)

    def set_autofilter(self, ref: str) -> None:
        """Move the sheet's ``autoFilter`` to ``ref`` with the hidden name ``_xlnm._FilterDatabase`` Excel keeps
        beside it (created when missing: Excel writes the two together)."""
        af = self.root.find(q("autoFilter"))
        if af is None:
            return
        # openpyxl's reference helpers, only where a sheet has a filter (not on hitung's usual path)
        from openpyxl.utils.cell import absolute_coordinate, range_boundaries

        range_boundaries(ref)  # validates
        af.set("ref", ref)
        name = self._local_name("_xlnm._FilterDatabase", hidden="1")
        name.text = f"{name.text.rpartition('!')[0]}!{absolute_coordinate(ref)}"  # the sheet part as written

    def _local_name(self, name: str, **attributes: str):
        """The workbook's defined name ``name`` local to this sheet, created when missing (its text then ``Sheet!``)."""
        wb = self.pkg.xml(self.pkg.workbook_part)
        sheet = next(s for s in self.pkg.sheets() if s.part == self.part)
        # localSheetId: the sheet's position among all sheets of the workbook (chart sheets count)
        index = str([s.get(f"{{{NS_REL}}}id") for s in wb.find(q("sheets"))].index(sheet.rel_id))
        names = ensure_child(wb, "definedNames", WORKBOOK_ORDER)
        el = next((d for d in names.iterfind(q("definedName")) if d.get("name") == name
                   and d.get("localSheetId") == index), None)
        if el is None:
            el = etree.SubElement(names, q("definedName"), name=name, localSheetId=index, **attributes)
        if "!" not in (el.text or ""):
            plain = re.fullmatch(r"[A-Za-z_]\w*", sheet.name) and not _CELL_REF.match(sheet.name.upper())
            quoted = "'{}'".format(sheet.name.replace("'", "''"))
            el.text = f"{sheet.name if plain else quoted}!"
        return el

    def freeze_below(self, rows: int) -> None:
        """Keep rows ``1..rows`` on screen while scrolling (0: nothing frozen), in the sheet's first view."""
        views = ensure_child(self.root, "sheetViews", WORKSHEET_ORDER)
        view = views.find(q("sheetView"))
        if view is None:
            view = etree.SubElement(views, q("sheetView"), workbookViewId="0")
        for old in view.findall(q("pane")) + view.findall(q("selection")):
            view.remove(old)
        if rows > 0:
            cell = f"A{rows + 1}"
            view.insert(0, etree.Element(q("pane"), ySplit=str(rows), topLeftCell=cell, activePane="bottomLeft",
                                         state="frozen"))
            view.insert(1, etree.Element(q("selection"), pane="bottomLeft", activeCell=cell, sqref=cell))

    def set_print(self, header: str, title_row: int) -> None:
        """Print on A4 landscape, one page wide, row ``title_row`` repeated on every page, ``header`` centred
        on top of each page and the page number below (an existing printer-settings link is kept)."""
        sheet_pr = ensure_child(self.root, "sheetPr", WORKSHEET_ORDER)
        setup_pr = sheet_pr.find(q("pageSetUpPr"))
        if setup_pr is None:
            setup_pr = insert_in_order(sheet_pr, etree.Element(q("pageSetUpPr")),
                                       ("tabColor", "outlinePr", "pageSetUpPr"))
        setup_pr.set("fitToPage", "1")
        ensure_child(self.root, "pageMargins", WORKSHEET_ORDER).attrib.update(
            {"left": "0.5", "right": "0.5", "top": "0.75", "bottom": "0.75", "header": "0.3", "footer": "0.3"})
        ensure_child(self.root, "pageSetup", WORKSHEET_ORDER).attrib.update(
            {"paperSize": "9", "orientation": "landscape", "fitToWidth": "1", "fitToHeight": "0"})
        self.remove("headerFooter")
        hf = insert_in_order(self.root, etree.Element(q("headerFooter")), WORKSHEET_ORDER)
        etree.SubElement(hf, q("oddHeader")).text = "&C" + header.replace("&", "&&")
        etree.SubElement(hf, q("oddFooter")).text = "&CHalaman &P dari &N"
        name = self._local_name("_xlnm.Print_Titles")
        name.text = f"{name.text.rpartition('!')[0]}!${title_row}:${title_row}"

    def remove(self, name: str) -> None:
        """Remove every child element ``name`` (e.g. ``mergeCells`` of a sheet rewritten whole)."""
        for el in self.root.findall(q(name)):
            self.root.remove(el)

    # -- tables ------------------------------------------------------------------------------
    def tables(self) -> list[str]:
        """Part names of this sheet's tables (ListObjects)."""
        return [t for _, t in self.pkg.related(self.part, REL_TABLE)]

    def table_ref(self, table_part: str) -> str:
        return self.pkg.xml(table_part).get("ref")

    def set_table_ref(self, table_part: str, ref: str) -> None:
        """Move a table to ``ref`` (e.g. after its data rows changed), with its autoFilter."""
        from openpyxl.utils.cell import range_boundaries  # openpyxl only where a table is moved

        range_boundaries(ref)  # validates
        table = self.pkg.xml(table_part)
        table.set("ref", ref)
        af = table.find(q("autoFilter"))
        if af is not None:
            af.set("ref", ref)


def shared_strings(pkg: Package) -> list[str]:
    """The workbook's shared strings (for reading values back)."""
    found = [t for _, t in pkg.related(pkg.workbook_part, NS_REL + "/sharedStrings")]
    if not found or found[0] not in pkg.parts:
        return []
    return ["".join(t.text or "" for t in si.iter(q("t")) if etree.QName(t.getparent()).localname != "rPh")
            for si in pkg.xml(found[0]).findall(q("si"))]


def _validation_ranges(sheet_root) -> list[tuple[str, tuple[int, int, int, int]]]:
    """``(range text, (min col, min row, max col, max row))`` of every range of every data validation of a
    sheet: the main ``dataValidations`` and Excel 2010's ``x14:dataValidations`` in ``extLst``."""
    from openpyxl.utils.cell import range_boundaries  # the build and its tests only

    out = []
    for dv in sheet_root.iter("{*}dataValidation"):
        sqref = dv.get("sqref") or "".join(x.text or "" for x in dv.iter("{*}sqref"))
        out += [(piece, range_boundaries(piece)) for piece in sqref.split()]
    return out


def overlapping_validations(pkg: Package) -> list[str]:
    """Every two data validation ranges of a sheet that share a cell, as ``Sheet!B5:B18 dan Sheet!B12:B26``.

    Excel's own UI never writes overlapping rules and which one applies to a shared cell is
    undefined, so every file we build or write must have none (docs/excel-layer.md)."""
    found = []
    for ref in pkg.sheets():
        ranges = sorted(_validation_ranges(pkg.xml(ref.part)), key=lambda r: r[1][1])
        open_ranges: list = []
        for text, box in ranges:  # sweep down the rows, comparing with the ranges still open
            open_ranges = [o for o in open_ranges if o[1][3] >= box[1]]
            found += [f"{ref.name}!{o_text} dan {ref.name}!{text}" for o_text, o_box in open_ranges
                      if o_box[0] <= box[2] and box[0] <= o_box[2]]
            open_ranges.append((text, box))
    return found
