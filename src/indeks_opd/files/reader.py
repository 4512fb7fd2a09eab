"""File shell, reading side: a contract workbook on disk (.xlsx/.xlsm) to a ``InputData``.

Cached values only: formulas are never evaluated and macros are never run. The file passes
:func:`indeks_opd.files.package_check.check_package` first (regular file, sizes, every part's
deflate stream, no DTD, not Strict OOXML). :func:`read_sheets` (the contract, hitung, impor,
rapor) reads values with python-calamine plus one byte scan per sheet, in the same pass as
that sheet's package check, for percent formats, cached errors and formulas saved without a
value (docs/arsitektur.md, "Reading the master"); :func:`open_workbook` and
:func:`sheet_from_openpyxl` are the per-cell openpyxl reader, for a sheet whose cells carry no
address and for other sheets' readers. Any reason the file cannot be read is an Indonesian
message (``UnusableWorkbook``), never a traceback.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from indeks_opd.contract import SINGLE_VALUES, read_contract
from indeks_opd.contract.numbers import UNCALCULATED, is_percent_format
from indeks_opd.contract.sheets import Sheet, column_index, header_key
from indeks_opd.core.inputs import InputData
from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.files.package_check import PARSE_ERRORS, check_master, damaged, unusable
from indeks_opd.files.xlsx_package import NS_REL, Package, q

CONTRACT_SHEETS = {"parameter", "opd", "realisasi", "indikator"}
"""Names (as :func:`header_key`) of the sheets the contract reads."""

def open_workbook(path: Path | str, read_only: bool = True, data_only: bool = True):
    """Open a workbook with openpyxl after :func:`check_master`, turning every failure into ``UnusableWorkbook``."""
    import openpyxl  # the per-cell reader: not on hitung's path
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    check_master(path)
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only, keep_links=False)
    except PARSE_ERRORS as e:
        raise unusable(damaged(path, e)) from None
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as e:
        raise UnusableWorkbook([galat(
            f"Berkas '{path.name}' rusak: bagian dalamnya tidak terbaca sebagai buku kerja Excel (rincian untuk "
            f"petugas TI: {type(e).__name__}). Buka di Excel; bila terbuka, simpan ulang sebagai .xlsx/.xlsm, "
            "bila tidak, pakai salinan yang utuh (misalnya berkas cadangannya).")]) from None


@contextlib.contextmanager
def opened(path: Path | str) -> Iterator:
    """An open workbook (:func:`open_workbook`) whose sheets may be read inside the block.

    openpyxl parses a read-only sheet while it is iterated: a part damaged past the
    package check (a truncated sheet) fails there, and becomes the same damaged-file message.
    """
    wb = open_workbook(path)
    try:
        yield wb
    except PARSE_ERRORS as e:
        raise unusable(damaged(Path(path), e)) from None
    finally:
        wb.close()


def sheet_from_openpyxl(ws) -> Sheet:
    """All values and number formats of a worksheet (read-only or normal) as a ``Sheet``."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # files written by other tools may declare a wrong size
    values, fmt = [], []
    already = None
    per_style: dict[int, str] = {}

    def number_format(c):
        # A read-only cell looks its format up through two tables on every access; a
        # workbook has a handful of styles, so remember each one's format.
        sid = getattr(c, "_style_id", None)
        if sid is None:
            return getattr(c, "number_format", None)
        f = per_style.get(sid)
        if f is None:
            f = per_style[sid] = c.number_format
        return f

    for row in ws.iter_rows():
        values.append([c.value for c in row])
        f = [number_format(c) for c in row]
        if f == already:
            f = already  # rows formatted alike share one list (a 22,000-OPD sheet: ~60 MB less)
        fmt.append(f)
        already = f
    return Sheet(ws.title, values, fmt)


_PERCENT_BUILTIN = {9: "0%", 10: "0.00%"}
"""The built-in number formats (ECMA-376 18.8.30) that show a value in percent."""


def _percent_styles(pkg: Package) -> dict[int, str]:
    """Cell style index (``s``) → number format, for the styles whose format shows a value in percent.

    Of a cell's number format the contract needs only this (0.75 in a percent cell is 75,
    docs/metode.md); dates are told by calamine, which reads the same styles."""
    found = [t for _, t in pkg.related(pkg.workbook_part, NS_REL + "/styles")]
    if not found or found[0] not in pkg.parts:
        return {}
    root = pkg.xml(found[0])
    custom = {int(n.get("numFmtId")): n.get("formatCode") or "" for n in root.iterfind(f"{q('numFmts')}/{q('numFmt')}")}
    xfs = root.find(q("cellXfs"))
    hasil = {}
    for i, xf in enumerate(xf for xf in (xfs if xfs is not None else ()) if isinstance(xf.tag, str)):
        code = custom.get(int(xf.get("numFmtId") or 0)) or _PERCENT_BUILTIN.get(int(xf.get("numFmtId") or 0))
        if code and is_percent_format(code):
            hasil[i] = code
    return hasil


_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_NO_VALUE_MARKS = (b"</f></c>", b"/></c>", b"<v></v></c>")
"""How a formula cell without a cached value ends; Excel-saved sheets contain none of these."""
_NO_VALUE_CELL = re.compile(rb"<c\b([^>]*)>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_REF_ATTRIBUTE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')


@dataclass
class CellFacts:
    """What calamine does not tell about a sheet's cells, by 0-based (row, column)."""

    formats: dict = field(default_factory=dict)
    """Number format of each cell whose style shows a value in percent."""
    errors: dict = field(default_factory=dict)
    """Cached error value (``#DIV/0!``) of each error cell."""
    uncalculated: list = field(default_factory=list)
    """Cells holding a formula saved without a value (openpyxl and calamine read them as blank)."""
    addressed: bool = True
    """False when a percent or error cell carries no ``r`` address (legal; no spreadsheet program writes it)."""


def cell_facts(blocks: Iterable[bytes], percent: dict[int, str]) -> CellFacts:
    """One streamed byte scan of a sheet's XML for the facts calamine lacks (:class:`CellFacts`).

    Only the cells carrying a percent style or ``t="e"``, and the ends of formula cells without
    a value, are matched (regular expressions run in C over the bytes, on whole rows), so a
    sheet of millions of plain cells costs little more than inflating it. ``blocks`` are the
    part's bytes as the package check streams them (:meth:`Package.blocks`): the part is
    inflated once for the check and this scan.
    """
    styles = [b's="%d"' % i for i in percent]
    tags = re.compile(rb'<(?:\w+:)?c\s[^>]*?\b(?:' + b"|".join([b't="e"', *styles]) + rb')[^>]*>')
    facts = CellFacts()
    carry = b""
    for block in _then_empty(blocks):
        data = carry + block
        cut = len(data)
        if block:  # whole rows only; the rest waits for the next block
            end = data.rfind(b"row>")
            cut = end + 4 if end >= 0 else 0
        chunk, carry = data[:cut], data[cut:]
        # A search for a rare single byte runs at memory speed, one for a longer mark ~20 times slower:
        # every cached error value begins with "#" and every formula tag holds "f", both absent from
        # the rows of a sheet saved by Excel (its texts are in the shared strings) unless it has them.
        errors = b"#" in chunk and b't="e"' in chunk
        for m in tags.finditer(chunk) if errors or any(n in chunk for n in styles) else ():
            attrs = dict(_ATTR.findall(m.group(0)))
            s, t = attrs.get(b"s"), attrs.get(b"t")
            style = percent.get(int(s)) if s and s.isdigit() else None
            if style is None and t != b"e":
                continue
            if b"r" not in attrs:
                facts.addressed = False
                continue
            row, column = _split_ref(attrs[b"r"].decode("ascii"))
            if style is not None:
                facts.formats[row - 1, column - 1] = style
            if t == b"e" and not m.group(0).endswith(b"/>"):
                close = _CELL_END.search(chunk, m.end())
                v = _VALUE.search(chunk, m.end(), close.start() if close else len(chunk))
                facts.errors[row - 1, column - 1] = v.group(1).decode("utf-8").strip() if v else "#N/A"
        if b"f" in chunk and b"<f" in chunk and any(tanda in chunk for tanda in _NO_VALUE_MARKS):
            for m in _NO_VALUE_CELL.finditer(chunk):
                ref = _REF_ATTRIBUTE.search(m.group(1))
                if ref:
                    facts.uncalculated.append((int(ref.group(2)) - 1, column_index(ref.group(1).decode()) - 1))
    return facts


def _then_empty(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """``blocks`` and then an empty block, which marks the end."""
    yield from blocks
    yield b""


def _calamine_grid(sheet) -> list[list]:
    """A calamine sheet's values from A1 (as ``to_python(skip_empty_area=False)``), blanks as None.

    Rows are built one at a time from calamine's rows, each distinct text kept once (codes,
    names, units and categories repeat on every row: a 22,000-OPD Indikator sheet takes about
    120 MB less), so the full grid of Python objects never sits beside a second copy."""
    texts: dict = {"": None}
    keep = texts.setdefault
    pad = [None] * (sheet.start[1] if sheet.start else 0)
    return [pad + [keep(v, v) if v.__class__ is str else v for v in row] for row in sheet.iter_rows()]


def _apply(values: list[list], facts: CellFacts, uncalculated: bool) -> list:
    """Put the cached error values (and, for contract sheets, :data:`UNCALCULATED`) into ``values``; the format
    rows (percent cells only; rows without one share an empty row, read as None by ``Sheet.cell_format``)."""
    for (i, j), text in facts.errors.items():
        if i < len(values) and j < len(values[i]):
            values[i][j] = text
    for i, j in facts.uncalculated if uncalculated else ():
        if i < len(values) and j < len(values[i]) and values[i][j] is None:
            values[i][j] = UNCALCULATED
    fmt: list = [()] * len(values)
    for (i, j), code in facts.formats.items():
        if i < len(fmt):
            if not fmt[i]:
                fmt[i] = [None] * len(values[i])
            if j < len(fmt[i]):
                fmt[i][j] = code
    return fmt


def _defined_names(pkg: Package, sheets: dict[str, Sheet]) -> dict:
    """Global defined names of the single parameters, resolved to (value, format, lokasi)."""
    hasil = {}
    wanted = {header_key(n) for n in SINGLE_VALUES}
    names = pkg.xml(pkg.workbook_part).find(q("definedNames"))
    for dn in names if names is not None else ():
        nama, text = dn.get("name") or "", (dn.text or "").strip()
        if not isinstance(dn.tag, str) or dn.get("localSheetId") is not None or header_key(nama) not in wanted:
            continue
        if "!" not in text:
            hasil[nama] = (text.lstrip("="), None, dict(sheet="Parameter"))
            continue
        sheet, _, ref = text.split(",")[0].lstrip("=").rpartition("!")
        sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") and sheet.endswith("'") else sheet
        grid = sheets.get(sheet) if header_key(sheet) in CONTRACT_SHEETS else None
        try:
            baris, kolom = _split_ref(ref.split(":")[0])
        except ValueError:
            continue
        if grid is None:
            continue
        i, j = baris - grid.first_row, kolom - grid.first_column
        hasil[nama] = (grid.cell(i, j), grid.cell_format(i, j), dict(sheet=sheet, baris=baris, kolom=grid.column_letter(j)))
    return hasil


def read_sheets(path: Path | str, keys: set[str]) -> tuple[dict[str, Sheet], dict]:
    """The sheets whose name (as :func:`header_key`) is in ``keys``, as grids, and the single-value defined names."""
    _, sheets, names = read_package(path, keys)
    return sheets, names


class DeferredSheet(Sheet):
    """A sheet read as a grid only when its values are first used (:func:`read_package`'s ``deferred``).

    Riwayat grows by every OPD every quarter; hitung decides from its bytes which rows it keeps
    (:mod:`indeks_opd.files.kept_rows`) and needs its grid only to rewrite it or to hash a locked
    period's rows (docs/alur.md), so a run costs the same after years of history."""

    def __init__(self, nama: str, load: Callable[[], Sheet]):  # not the dataclass's: values come from ``load``
        self.nama, self.first_row, self.first_column = nama, 1, 1
        self._load: Callable[[], Sheet] | None = load
        self._sheet: Sheet | None = None

    def _read(self) -> Sheet:
        if self._sheet is None:
            assert self._load is not None
            self._sheet, self._load = self._load(), None
        return self._sheet

    @property  # type: ignore[override]
    def values(self) -> list[list]:
        return self._read().values

    @property  # type: ignore[override]
    def format(self) -> list[list] | None:
        return self._read().format


def read_package(path: Path | str, keys: set[str],
                 deferred: frozenset[str] = frozenset()) -> tuple[Package, dict[str, Sheet], dict]:
    """The checked package (for a writer to save from without checking it again), the sheets whose name (as
    :func:`header_key`) is in ``keys`` as grids, and the single-value defined names.

    The file passes :func:`check_master` first (through :meth:`Package.open`); each sheet read is
    inflated once for its package check and the byte scan (:func:`cell_facts`) before calamine
    parses it, and every other part is checked before this returns. Values come from
    python-calamine (Rust) with cached formula results; the scan adds what calamine lacks and
    the contract needs: percent formats, cached error values, formulas saved without a value.
    A sheet where the scan cannot locate a cell is read with openpyxl instead
    (:func:`sheet_from_openpyxl`, the per-cell reader). A sheet whose key is in ``deferred`` is
    checked and its bytes kept in the package (``pkg.parts``), and it is a :class:`DeferredSheet`:
    read the same way, from the same file, when its values are first used. calamine parses without
    holding Python's lock, so the other sheets, once checked, are parsed and made grids on a second
    thread while the largest (Indikator, as a rule) is checked, then parsed, on this one.
    """
    path = Path(path)
    pkg = Package.open(path)
    try:
        refs = [s for s in pkg.sheets() if header_key(s.name) in keys]
        percent = _percent_styles(pkg)
        later = [ref for ref in refs if header_key(ref.name) in deferred]
        now = [ref for ref in refs if ref not in later]
        largest = max(now, key=lambda ref: pkg.size(ref.part), default=None)
        facts = {ref.name: cell_facts(pkg.blocks(ref.part), percent) for ref in now if ref is not largest}
        with ThreadPoolExecutor(max_workers=1) as worker:
            # calamine parses without holding Python's lock: the other sheets, checked, are parsed and made
            # grids there while the largest is checked, then parsed and made a grid, here
            others = worker.submit(_grids, path, facts)
            largest_facts = {} if largest is None else {largest.name: cell_facts(pkg.blocks(largest.part), percent)}
            for ref in later:
                pkg.parts[ref.part]  # noqa: B018 - checked now, its bytes kept for the writer and for a later read
            pkg.check_rest()
            grids = _grids(path, largest_facts)
            grids.update(others.result())
        sheets: dict[str, Sheet] = {ref.name: grids[ref.name] for ref in now}
        for ref in later:
            sheets[ref.name] = DeferredSheet(ref.name, lambda ref=ref: _read_later(path, pkg, ref, percent))
        return pkg, sheets, _defined_names(pkg, sheets)
    except (*PARSE_ERRORS, python_calamine.CalamineError) as e:
        raise unusable(damaged(path, e)) from None


def _grids(path: Path, facts: dict[str, CellFacts]) -> dict[str, Sheet]:
    """The sheets named in ``facts`` (each checked and scanned) as grids, read with a calamine workbook of
    their own (one is never shared between threads)."""
    if not facts:
        return {}
    cal = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return {name: _grid(path, cal, name, f) for name, f in facts.items()}
    finally:
        cal.close()


def _grid(path: Path, cal, name: str, f: CellFacts) -> Sheet:
    """Sheet ``name`` of the open calamine workbook ``cal`` with its :class:`CellFacts` applied."""
    contract = header_key(name) in CONTRACT_SHEETS
    if f.addressed:
        values = _calamine_grid(cal.get_sheet_by_name(name))
        return Sheet(name, values, _apply(values, f, contract))
    sheet = _read_one_with_openpyxl(path, name)
    _apply(sheet.values, CellFacts(uncalculated=f.uncalculated), contract)
    return sheet


def _read_later(path: Path, pkg: Package, ref, percent: dict[int, str]) -> Sheet:
    """A :class:`DeferredSheet`'s grid, as :func:`read_package` would have read it (the file must be unchanged)."""
    pkg.check_unchanged()
    try:
        return _grids(path, {ref.name: cell_facts(iter((pkg.parts[ref.part],)), percent)})[ref.name]
    except (*PARSE_ERRORS, python_calamine.CalamineError) as e:
        raise unusable(damaged(path, e)) from None


def _read_one_with_openpyxl(path: Path, name: str) -> Sheet:
    with opened(path) as wb:
        return sheet_from_openpyxl(wb[name])


def _split_ref(ref: str) -> tuple[int, int]:
    """``'C12'`` (``$`` allowed) → (row 12, column 3)."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?([0-9]+)", ref.strip())
    if m is None:
        raise ValueError(f"bukan alamat sel: {ref}")
    return int(m.group(2)), column_index(m.group(1))


def read_contract_sheets(path: Path | str) -> tuple[dict[str, Sheet], dict]:
    """The contract sheets of a workbook on disk as grids, and its single-value defined names."""
    return read_sheets(path, CONTRACT_SHEETS)


def read_workbook(path: Path | str) -> InputData:
    """Read a contract workbook from disk."""
    return read_contract(*read_contract_sheets(path))
