"""Which Riwayat rows a run keeps, decided from the sheet's bytes instead of its grid.

hitung keeps the Riwayat rows of earlier periods as their XML text when the sheet is exactly what
a rewrite would give (:func:`indeks_opd.contract.output_sheets.riwayat_kept_rows`). Deciding that
from a grid meant parsing the whole sheet, the largest one after years of history, on every run.
:func:`riwayat_kept_in_bytes` decides it from the bytes the package check inflated, with one
regular expression over the rows that accepts only plain SpreadsheetML as Excel, LibreOffice,
XlsxWriter and our writer save it, and takes the keys the decision needs
(:func:`~indeks_opd.contract.output_sheets.riwayat_kept_from_keys`):

- every row numbered: row 1 the header (text cells), then rows 2, 3, … without a gap;
- Tahun and Triwulan whole numbers in A and B and Peringkat a number in J, each in a number
  format that is not a date (python-calamine reads a date-formatted number as a date); Nama OPD
  in D text or blank;
- no cell right of the header, no formula, no rich text; only cell types and values that
  python-calamine reads without an error (a shared string that exists, a boolean 0 or 1); text
  escaped only by the five XML entities and the tab, line-feed and carriage-return references;
  valid UTF-8 — so the rows are well-formed XML, as parsing them would have checked.

Any other sheet (sorted or edited by hand, another program's XML, an earlier quarter recomputed)
gets None and is read as a grid and decided as before; both give the same answer
(tests/test_kept_rows.py). docs/arsitektur.md, "Reading the master".
"""

from __future__ import annotations

import re
from itertools import accumulate

import numpy as np

from indeks_opd.contract.output_sheets import SHEET_RIWAYAT, riwayat_header_width, riwayat_kept_from_keys
from indeks_opd.contract.sheets import Sheet, column_index, column_letter
from indeks_opd.core import PeriodResult
from indeks_opd.files.xlsx_package import NS_REL, Package, q, sheet_data_bounds

_TEXT = (rb'[^<>&\x00-\x08\x0b-\x1f]*(?:&(?:amp|lt|gt|quot|apos|#9|#10|#13|#x9|#xA|#xD);'
         rb'[^<>&\x00-\x08\x0b-\x1f]*)*')
"""Character data: no markup, no control character, only the references every XML reader knows."""
_NUMBER = rb'-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?'
_WHOLE = rb'(?:0|[1-9][0-9]*)'
_SMALL_WHOLE = rb'(?:0|[1-9][0-9]{0,8})'
"""A Tahun or Triwulan the decision reads as a 64-bit integer (a longer one is decided from the grid)."""
_ERROR = rb'(?:#NULL!|#DIV/0!|#VALUE!|#REF!|#NAME\?|#NUM!|#N/A)'
"""The cached error values python-calamine reads (it refuses any other, and so the sheet)."""
_ROW_ATTRIBUTES = b"".join(rb'(?: %s="[^"<&]*")?' % name for name in (
    b"spans", b"s", b"customFormat", b"ht", b"hidden", b"customHeight", b"outlineLevel", b"collapsed",
    b"thickTop", b"thickBot", b"ph"))
"""A row's attributes in the schema's order (ECMA-376 18.3.1.73), each at most once."""
_EMPTY = rb'(?: t="(?:n|s|b|e|str|inlineStr)")?/>'
_INLINE = rb' t="inlineStr"><is><t(?: xml:space="preserve")?>'


def _values(index: bytes) -> dict[bytes, bytes]:
    """What follows a cell's ``r`` and ``s`` for each of its ``t`` attributes: a number, a shared string's
    ``index``, inline text, a boolean, an error or a formula's text without the formula."""
    return {b"": rb'><v>' + _NUMBER + rb'</v></c>', b' t="n"': rb'><v>' + _NUMBER + rb'</v></c>',
            b' t="s"': rb'><v>' + index + rb'</v></c>',
            b' t="inlineStr"': rb'><is><t(?: xml:space="preserve")?>' + _TEXT + rb'</t></is></c>',
            b' t="b"': rb'><v>[01]</v></c>', b' t="e"': rb'><v>' + _ERROR + rb'</v></c>',
            b' t="str"': rb'><v>' + _TEXT + rb'</v></c>'}


def _cell_rest(index: bytes) -> bytes:
    """Any cell after its ``r`` and ``s`` (:func:`_values`, or nothing), the most frequent first."""
    values = _values(index)
    return (rb'(?:' + b"|".join(t + values[t] for t in values) +
            rb'|(?: t="(?:n|s|b|e|str|inlineStr)")?/>)')


_SAMPLE_CELL = re.compile(rb'<c r="([A-Z]{1,3})[0-9]+"( s="[0-9]+")?( t="(?:n|s|b|e|str|inlineStr)")?(/?)>')


def _shapes(sample: bytes, first: int, last: int, index: bytes) -> bytes:
    """Columns ``first..last`` of a row as ``sample`` (Riwayat's row 2) holds them — each cell's style and type as
    there, its value by :func:`_values` — as a regular expression. Rows of a sheet share their shapes, and a
    shape is matched far faster than any cell (the pattern allows any cell where a row differs)."""
    values = _values(index)
    out = []
    for letters, style, t, empty in _SAMPLE_CELL.findall(sample):
        if first <= column_index(letters.decode()) <= last:
            out.append(rb'<c r="' + letters + rb'(?P=r)"' + style + t + (b"/>" if empty else values[t]))
    return b"".join(out)


def _at_most(m: int) -> bytes:
    """A regular expression for the whole numbers 0..m written without leading zeros (none when m < 0)."""
    if m < 0:
        return rb"(?!)"
    digits = str(m).encode()
    shorter = [rb"[0-9]"] + [rb"[1-9][0-9]{%d}" % k for k in range(1, len(digits) - 1)] if len(digits) > 1 else []
    same = []  # as many digits as m: equal to m up to position i, smaller there, anything after
    for i in range(len(digits)):
        low = ord("1") if i == 0 and len(digits) > 1 else ord("0")
        if digits[i] > low:
            same.append(digits[:i] + b"[%c-%c]" % (low, digits[i] - 1) + rb"[0-9]" * (len(digits) - i - 1))
    return rb"(?:" + b"|".join([*shorter, *same, digits]) + rb")"


_HEADER_CELL = re.compile(rb'(<c r="([A-Z]{1,3})1"(?: s="[0-9]+")?(?:' + _EMPTY + rb'| t="s"><v>(' + _WHOLE + rb')</v></c>'
                rb'| t="str"><v>(' + _TEXT + rb')</v></c>|' + _INLINE + rb'(' + _TEXT + rb')</t></is></c>))')
_PLAIN_ITEM = re.compile(rb'<t(?: xml:space="preserve")?>(' + _TEXT + rb')</t></si>|<t/></si>')
_ENTITIES = {b"amp": b"&", b"lt": b"<", b"gt": b">", b"quot": b'"', b"apos": b"'", b"#9": b"\t", b"#10": b"\n",
             b"#13": b"\r", b"#x9": b"\t", b"#xA": b"\n", b"#xD": b"\r"}
_REFERENCE = re.compile(rb"&(#?x?\w+);")
_NOT_DATE_PARTS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|[Gg][Ee][Nn][Ee][Rr][Aa][Ll]|[Ee][-+]')
"""What a number format may hold besides digit placeholders without showing a date or time: quoted text, escaped
characters, spaces and fills, [colours and conditions], General, an exponent; any other letter may be a date part."""
_SAFE_BUILTIN = {*range(0, 14), *range(37, 45), 48, 49}
"""Built-in number formats that show a number, not a date or time (ECMA-376 18.8.30)."""


def riwayat_kept_in_bytes(pkg: Package, part: str, result: PeriodResult) -> tuple[tuple[int, int], Sheet] | None:
    """The Riwayat rows ``(2, k)`` a run keeps and the header row as a one-row sheet, decided from the bytes of
    worksheet ``part``; None when the bytes are not plain enough to decide from, or no row is kept (then the
    grid decides, :func:`~indeks_opd.contract.output_sheets.riwayat_kept_rows`). The kept rows' place in the
    part is noted in ``pkg`` (:meth:`Package.note_rows`)."""
    data = pkg.parts[part]
    bounds = sheet_data_bounds(data)
    if bounds is None or not _utf8(data):
        return None
    begin, end = bounds
    attributes = _ROW_ATTRIBUTES + (rb'(?: x14ac:dyDescent="[^"<&]*")?' if b"xmlns:x14ac=" in data[:begin] else b"")
    strings = _Strings(pkg)
    head = re.compile(rb'<row r="1"' + attributes + rb'>([^<]*(?:<(?!/row>)[^<]*)*)</row>').match(data, begin)
    header = _header(head.group(1), strings) if head else None
    width = riwayat_header_width(result, header) if header is not None else 0
    if not width:
        return None
    sample = re.match(rb'<row r="2"[^>]*>(.*?)</row>', data[head.end():head.end() + 65536], re.DOTALL)
    pattern = _row_pattern(attributes, width, _at_most(strings.count() - 1), sample.group(1) if sample else b"")
    found = pattern.findall(data, head.end(), end)
    if not found:
        return None
    rows, numbers, s_a, tahun, s_b, triwulan, s_j, peringkat = zip(*found)
    starts = list(accumulate(map(len, rows), initial=head.end()))  # where rows 2, 3, ... start, then their end
    styles = {int(s or 0) for s in {*s_a, *s_b, *s_j}}
    if starts[-1] != end or list(map(int, numbers)) != list(range(2, 2 + len(rows))) or \
            not styles <= _number_styles(pkg):
        return None
    tahun_, triwulan_, peringkat_ = (np.array(c, dtype="S").astype(t) for c, t in
                                     ((tahun, np.int64), (triwulan, np.int64), (peringkat, float)))

    def name_of(i: int) -> str:  # asked only for rows whose other keys equal a neighbour's
        name = _name(rows[i], numbers[i], strings)
        if name is None:
            raise _Undecided
        return name

    try:
        kept = riwayat_kept_from_keys(result, tahun_, triwulan_, peringkat_, np.zeros(len(rows), dtype=bool),
                                      name_of)
    except _Undecided:
        return None
    if kept is None:
        return None
    pkg.note_rows(part, *kept, starts[0], starts[kept[1] - 1])
    return kept, Sheet(SHEET_RIWAYAT, [header])


class _Undecided(Exception):
    """A Nama OPD the bytes cannot tell as python-calamine would read it (the grid decides)."""


def _row_pattern(attributes: bytes, width: int, index: bytes, sample: bytes) -> re.Pattern:
    """One data row of a Riwayat ``width`` columns wide whose shared string indices match ``index``, capturing the
    whole row, its number, A's style and Tahun, B's style and Triwulan, J's style and Peringkat; columns C-I and
    K on shaped as in ``sample`` (:func:`_shapes`) or else any cells of theirs."""
    def cells(first: int, last: int) -> bytes:
        letters = bytes(range(64 + first, 64 + min(last, 26) + 1))
        columns = [b"[" + letters + b"]"] if letters else []
        columns += [column_letter(c).encode() for c in range(max(first, 27), last + 1)]
        any_cells = rb'(?:<c r="(?:' + b"|".join(columns) + rb')(?P=r)"(?: s="[0-9]+")?' + _cell_rest(index) + rb')*'
        return rb'(?:' + _shapes(sample, first, last, index) + b"|" + any_cells + rb')'

    def number(column: bytes, value: bytes) -> bytes:
        return rb'<c r="' + column + rb'(?P=r)"(?: s="([0-9]+)")?(?: t="n")?><v>(' + value + rb')</v></c>'

    return re.compile(
        rb'(<row r="(?P<r>[1-9][0-9]*)"' + attributes + rb'>' + number(b"A", _SMALL_WHOLE) + number(b"B", _SMALL_WHOLE) +
        cells(3, 9) + number(b"J", _NUMBER) + cells(11, width) + rb'</row>)')


def _name(row: bytes, number: bytes, strings: _Strings) -> str | None:
    """Nama OPD (column D) of one row matched by :func:`_row_pattern` as python-calamine reads it ("" when blank);
    None unless it is text."""
    cell = re.search(rb'<c r="D' + number + rb'"(?: s="[0-9]+")?(?:(?: t="\w+")?(/)>| t="s"><v>([0-9]+)</v></c>'
                     rb'| t="(?:str"><v>|inlineStr"><is><t(?: xml:space="preserve")?>)(' + _TEXT + rb')<)', row)
    if cell is None or row.count(b'<c r="D') > 1:
        return None if b'<c r="D' in row else ""
    empty, index, text = cell.groups()
    return "" if empty else strings.text(index) if index else _unescape(text)


def _header(cells: bytes, strings: _Strings) -> list | None:
    """Row 1's values as python-calamine reads them (text; None where a cell is blank or missing); None unless
    every cell is text or blank, each once and left to right."""
    found = _HEADER_CELL.findall(cells)
    if sum(len(c[0]) for c in found) != len(cells):
        return None
    values: list = []
    for whole, letters, index, text, inline in found:
        column = column_index(letters.decode())
        if column <= len(values):
            return None
        values += [None] * (column - 1 - len(values))
        value = None
        if index or text or inline or b"<v>" in whole or b"<is>" in whole:
            value = strings.text(index) if index else _unescape(text or inline)
            if not value:  # an empty text, or one python-calamine might read otherwise
                return None
        values.append(value)
    return values


class _Strings:
    """The workbook's shared strings as items of ``sharedStrings.xml``, split out the first time one is asked for."""

    def __init__(self, pkg: Package):
        found = [t for _, t in pkg.related(pkg.workbook_part, NS_REL + "/sharedStrings")]
        self.data = pkg.parts[found[0]] if found and found[0] in pkg.parts else b""
        self._items: list[bytes] | None = None

    def count(self) -> int:
        """How many there are (an index at or past it is an error for python-calamine)."""
        return self.data.count(b"<si>") + self.data.count(b"<si ")

    def text(self, index: bytes) -> str | None:
        """String ``index`` (digits); None unless it is plain text (no rich text, no ``_x000D_`` escape)."""
        if self._items is None:
            # a split runs at memory speed (a 22,000-OPD table holds MBs); an item with attributes would shift it
            self._items = [] if b"<si " in self.data else self.data.split(b"<si>")[1:]
        i = int(index)
        item = _PLAIN_ITEM.match(self._items[i]) if i < len(self._items) else None
        return _unescape(item.group(1)) if item else None


def _unescape(text: bytes | None) -> str | None:
    """Character data matched by ``_TEXT`` as the text it stands for (None when a reader might read it otherwise)."""
    value = _REFERENCE.sub(lambda m: _ENTITIES[m.group(1)], text or b"").decode("utf-8")
    return None if "_x" in value or "\r" in value else value


def _utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _number_styles(pkg: Package) -> set[int]:
    """Cell style indices (``s``) whose number format python-calamine reads as a number, never as a date."""
    found = [t for _, t in pkg.related(pkg.workbook_part, NS_REL + "/styles")]
    if not found or found[0] not in pkg.parts:
        return {0}
    root = pkg.xml(found[0])
    custom = {int(n.get("numFmtId")): n.get("formatCode") or "" for n in root.iterfind(f"{q('numFmts')}/{q('numFmt')}")}
    xfs = root.find(q("cellXfs"))
    safe = set()
    for i, xf in enumerate(xf for xf in (xfs if xfs is not None else ()) if isinstance(xf.tag, str)):
        n = int(xf.get("numFmtId") or 0)
        code = custom.get(n)
        plain = code is None or not re.search("[A-Za-z]", _NOT_DATE_PARTS.sub("", code))
        if plain and (n in _SAFE_BUILTIN if n < 164 else code is not None):
            safe.add(i)
    return safe
