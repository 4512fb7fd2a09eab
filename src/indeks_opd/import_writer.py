"""Write imported rows into the master by editing its OOXML package, touching nothing else.

The master (.xlsx/.xlsm) is rewritten part by part: only the sheet XML of ``Realisasi``,
``Indikator`` and ``Masalah`` (and, when a data sheet grows, the ref of the Excel table
on it) changes; every other part — the VBA project, buttons (drawings, ctrlProps),
defined names, styles, validations, conditional formats, other sheets — is copied with
the same bytes. Inside a data sheet only the contract cells of the replaced rows are
rewritten: other rows keep their cells, and the replaced rows keep their other columns and
every cell's style. Text is written as an inline string, so a value starting with
= + - @ stays text (DESIGN.md §6). Rows of an OPD and period are written where that OPD's
old rows were; extra rows are appended after the last data row; surplus old rows have
their contract cells emptied (blank rows are skipped by every reader).

The write itself goes through :mod:`indeks_opd.safe_write` (lock refusal, temporary file,
backup, atomic replace).
"""

from __future__ import annotations

import bisect
import math
import posixpath
import re
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

from indeks_opd.masalah import Masalah
from indeks_opd.output_sheets import MASALAH_HEADERS, SHEET_MASALAH
from indeks_opd.safe_write import replace_atomically

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
TABLE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


class Package:
    """The parts of a zip package, read once; changed parts are replaced on save."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.infos = z.infolist()
            self.raw = {i.filename: z.read(i.filename) for i in self.infos}
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()

    def xml(self, part: str):
        return etree.fromstring(self.changed[part] if part in self.changed else self.raw[part], _PARSER)

    def put(self, part: str, root) -> None:
        self.changed[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def save(self, path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                if info.filename in self.removed:
                    continue
                out.writestr(info, self.changed.get(info.filename, self.raw[info.filename]))
            for part, data in self.changed.items():
                if part not in self.raw:
                    out.writestr(part, data)

    def rels_of(self, part: str) -> str:
        p = PurePosixPath(part)
        return str(p.parent / "_rels" / f"{p.name}.rels")

    def sheet_parts(self) -> dict[str, str]:
        wb = self.xml("xl/workbook.xml")
        rels = self.xml("xl/_rels/workbook.xml.rels")
        target = {r.get("Id"): r.get("Target") for r in rels}
        hasil = {}
        for s in wb.iter(_q("sheet")):
            t = target[s.get(f"{{{REL_NS}}}id")]
            hasil[s.get("name")] = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        return hasil

    def add_sheet(self, name: str) -> str:
        """A new empty worksheet part, registered in the workbook, its rels and the content types."""
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in self.raw or f"xl/worksheets/sheet{n}.xml" in self.changed:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        rels = self.xml("xl/_rels/workbook.xml.rels")
        ids = {r.get("Id") for r in rels}
        rid = next(f"rId{i}" for i in range(1, len(ids) + 2) if f"rId{i}" not in ids)
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=WORKSHEET_TYPE,
                         Target=f"worksheets/sheet{n}.xml")
        self.put("xl/_rels/workbook.xml.rels", rels)
        wb = self.xml("xl/workbook.xml")
        sheets = wb.find(_q("sheets"))
        sheet_id = max([int(s.get("sheetId")) for s in sheets] + [0]) + 1
        el = etree.SubElement(sheets, _q("sheet"), name=name, sheetId=str(sheet_id))
        el.set(f"{{{REL_NS}}}id", rid)
        self.put("xl/workbook.xml", wb)
        ct = self.xml("[Content_Types].xml")
        etree.SubElement(ct, f"{{{CT_NS}}}Override", PartName=f"/{part}", ContentType=WORKSHEET_CT)
        self.put("[Content_Types].xml", ct)
        root = etree.fromstring(f'<worksheet xmlns="{NS}" xmlns:r="{REL_NS}"><sheetData/></worksheet>'.encode())
        self.put(part, root)
        return part


# --- cells ---------------------------------------------------------------------------------------

class _Rows:
    """The ``<row>`` elements of a sheet by number, with the numbers kept sorted.

    Finding the row just above a number is a binary search, so writing thousands of rows
    stays linear instead of scanning every row for every cell.
    """

    def __init__(self, sheet_data):
        self.sheet_data = sheet_data
        self.by_number = {int(r.get("r")): r for r in sheet_data.iter(_q("row"))}
        self.numbers = sorted(self.by_number)

    def get(self, n: int):
        return self.by_number.get(n)

    def above(self, n: int):
        """The existing row with the largest number below ``n`` (None when there is none)."""
        i = bisect.bisect_left(self.numbers, n)
        return self.by_number[self.numbers[i - 1]] if i else None

    def row(self, n: int):
        """Row ``n``, created in its place when missing."""
        if n in self.by_number:
            return self.by_number[n]
        el = etree.Element(_q("row"), r=str(n))
        before = self.above(n)
        if before is not None:
            before.addnext(el)
        else:
            self.sheet_data.insert(0, el)
        self.by_number[n] = el
        bisect.insort(self.numbers, n)
        return el


def _cell(row, ref: str, style: str | None):
    col = column_index_from_string(_CELL_REF.match(ref).group(1))
    sebelum = None
    for c in row.iter(_q("c")):
        if c.get("r") == ref:
            return c
        if column_index_from_string(_CELL_REF.match(c.get("r")).group(1)) < col:
            sebelum = c
    el = etree.Element(_q("c"), r=ref)
    if style:
        el.set("s", style)
    if sebelum is not None:
        sebelum.addnext(el)
    else:
        row.insert(0, el)
    return el


def set_cell(c, value) -> bool:
    """Write a value into a cell element (number, inline text, or empty); True when a formula was removed."""
    had_formula = c.find(_q("f")) is not None
    for child in list(c):
        c.remove(child)
    c.attrib.pop("t", None)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return had_formula
    if isinstance(value, bool):
        c.set("t", "b")
        etree.SubElement(c, _q("v")).text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        x = float(value)
        etree.SubElement(c, _q("v")).text = str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    else:
        c.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(c, _q("is")), _q("t"))
        t.text = str(value)
        t.set(_XML_SPACE, "preserve")
    return had_formula


def _style_above(rows: _Rows, n: int, letter: str) -> str | None:
    """Style of column ``letter`` in the row just above row ``n`` (None when that cell is absent)."""
    row = rows.above(n)
    if row is None:
        return None
    ref = f"{letter}{row.get('r')}"
    for c in row.iter(_q("c")):
        if c.get("r") == ref:
            return c.get("s")
    return None


# --- data sheets ---------------------------------------------------------------------------------

def replace_rows(pkg: Package, part: str, kolom: dict[str, str], header_row: int, old_rows: list[int],
                 last_row: int, records: list[dict]) -> bool:
    """Write ``records`` (field → value) over ``old_rows``, append the rest, empty the surplus.

    Returns True when a formula was overwritten (the calculation chain must then be dropped).
    """
    root = pkg.xml(part)
    sheet_data = root.find(_q("sheetData"))
    rows = _Rows(sheet_data)
    old_rows = sorted(old_rows)
    end = max(last_row, header_row)
    targets = old_rows[:len(records)] + list(range(end + 1, end + 1 + max(0, len(records) - len(old_rows))))
    formula = False
    for n, rec in zip(targets, records):
        row = rows.row(n)
        row.attrib.pop("spans", None)
        for f, letter in kolom.items():
            formula |= set_cell(_cell(row, f"{letter}{n}", _style_above(rows, n, letter)), rec.get(f))
    for n in old_rows[len(records):]:
        row = rows.get(n)
        if row is not None:
            for f, letter in kolom.items():
                formula |= set_cell(_cell(row, f"{letter}{n}", None), None)
    new_last = max([end] + targets)
    _grow_dimension(root, new_last)
    _grow_tables(pkg, part, header_row, new_last)
    pkg.put(part, root)
    return formula


def _grow_dimension(root, last: int) -> None:
    dim = root.find(_q("dimension"))
    if dim is None:
        return
    ref = dim.get("ref", "A1")
    a, _, b = ref.partition(":")
    b = b or a
    m = _CELL_REF.match(b)
    if m and int(m.group(2)) < last:
        dim.set("ref", f"{a}:{m.group(1)}{last}")


def _grow_tables(pkg: Package, part: str, header_row: int, last: int) -> None:
    """Excel tables whose header is the data header grow to the last written row."""
    rels_part = pkg.rels_of(part)
    if rels_part not in pkg.raw:
        return
    for rel in pkg.xml(rels_part):
        if rel.get("Type") != TABLE_TYPE:
            continue
        target = rel.get("Target")
        tpart = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(part), target))
        if tpart not in pkg.raw:
            continue
        table = pkg.xml(tpart)
        c0, r0, c1, r1 = range_boundaries(table.get("ref"))
        if r0 != header_row or r1 >= last:
            continue
        ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{last}"
        table.set("ref", ref)
        af = table.find(_q("autoFilter"))
        if af is not None:
            af.set("ref", ref)
        pkg.put(tpart, table)


def drop_calc_chain(pkg: Package) -> None:
    """Remove calcChain.xml (Excel rebuilds it) after formulas were overwritten."""
    part = "xl/calcChain.xml"
    if part not in pkg.raw:
        return
    pkg.removed.add(part)
    rels = pkg.xml("xl/_rels/workbook.xml.rels")
    for r in list(rels):
        if r.get("Target", "").endswith("calcChain.xml"):
            rels.remove(r)
    pkg.put("xl/_rels/workbook.xml.rels", rels)
    ct = pkg.xml("[Content_Types].xml")
    for o in list(ct):
        if o.get("PartName") == "/xl/calcChain.xml":
            ct.remove(o)
    pkg.put("[Content_Types].xml", ct)


def write_masalah_sheet(pkg: Package, masalah: list[Masalah]) -> None:
    """Replace the rows of the Masalah sheet (created when missing) with the import's problems."""
    parts = pkg.sheet_parts()
    nama = next((n for n in parts if n.strip().lower() == SHEET_MASALAH.lower()), None)
    part = parts[nama] if nama else pkg.add_sheet(SHEET_MASALAH)
    root = pkg.xml(part)
    sheet_data = root.find(_q("sheetData"))
    for row in list(sheet_data):
        sheet_data.remove(row)
    rows = [list(MASALAH_HEADERS)] + [[m.tingkat, m.lokasi, m.kode, m.pesan,
                                       m.periode[0] if m.periode else None, m.periode[1] if m.periode else None]
                                      for m in masalah]
    for i, values in enumerate(rows, start=1):
        row = etree.SubElement(sheet_data, _q("row"), r=str(i))
        for j, v in enumerate(values, start=1):
            set_cell(etree.SubElement(row, _q("c"), r=f"{get_column_letter(j)}{i}"), v)
    dim = root.find(_q("dimension"))
    if dim is not None:
        dim.set("ref", f"A1:{get_column_letter(len(MASALAH_HEADERS))}{len(rows)}")
    pkg.put(part, root)


def write_master(path: Path, edits, masalah: list[Masalah]) -> None:
    """Apply ``edits(pkg)`` and the Masalah rows to the master safely (temp file, backup, atomic swap).

    The caller holds :func:`indeks_opd.safe_write.workbook_lock` for the whole read-check-write run.
    """
    pkg = Package(path)
    if edits(pkg):
        drop_calc_chain(pkg)
    write_masalah_sheet(pkg, masalah)
    with replace_atomically(path) as tmp:
        pkg.save(tmp)
