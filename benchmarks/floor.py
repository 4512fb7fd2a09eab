"""The physical floor of a job: the least work any program must do to produce the same file.

Used by ``tasks.py`` (jobs ``lantai`` and ``baca_tulis``); independent of the product's code.

- **Read**: python-calamine (Rust) values of the sheets the job needs, converted to Python
  objects — the fastest way to get cell values out of an .xlsx from Python.
- **Write**: the rows the job writes, as raw SpreadsheetML text (one f-string per cell:
  inline strings, numbers, a style index), deflated at zlib level 1 — the level the product's
  package editor writes at (``xlsx_package.SAVE_COMPRESSLEVEL``), so that the floor never does
  more work than the product chose to.
- **Everything else**: every zip entry that does not change is copied as its *compressed*
  bytes (no inflate, no deflate); the three small parts that register new sheets
  (``workbook.xml``, its relationships, ``[Content_Types].xml``) are edited as text.

Python's cycle collector is paused while a floor runs (``hitung`` pauses it too): its passes over the
millions of cell objects are no work a program must do, and left on they cost the floor 7 % at 5,000 OPDs
and 14 % at 22,000.

The zip writer here is a minimal one (no zip64: packages here are far below 4 GB); it
exists only so that the floor does not pay for recompression the product might avoid.
"""

from __future__ import annotations

import contextlib
import gc
import struct
import time
import zipfile
import zlib
from xml.sax.saxutils import escape

OUTPUT_SHEETS = ("Peringkat", "Riwayat", "Masalah", "Log")
INPUT_SHEETS = ("Parameter", "OPD", "Realisasi", "Indikator")
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
REL_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheetData>')
TAIL = "</sheetData></worksheet>"


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


COLUMNS = [_letters(j) for j in range(1, 64)]


def sheet_xml(rows) -> bytes:
    """Raw SpreadsheetML of ``rows`` (tuples of str/int/float/None) from A1."""
    out = [HEAD]
    for i, row in enumerate(rows, start=1):
        cells = []
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, str):
                cells.append(f'<c r="{COLUMNS[j]}{i}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
            else:
                cells.append(f'<c r="{COLUMNS[j]}{i}" s="1"><v>{v!r}</v></c>')
        out.append(f'<row r="{i}">{"".join(cells)}</row>')
    out.append(TAIL)
    return "".join(out).encode("utf-8")


class RawZip:
    """Write a zip whose entries are either copied compressed or deflated here."""

    def __init__(self, path: str):
        self.f = open(path, "wb")  # noqa: SIM115 - closed by close(), like zipfile.ZipFile
        self.central: list[bytes] = []

    def _entry(self, name: str, method: int, crc: int, csize: int, usize: int, dostime: tuple[int, int],
               data: bytes) -> None:
        raw_name = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        offset = self.f.tell()
        self.f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, dostime[1], dostime[0], crc, csize,
                                 usize, len(raw_name), 0) + raw_name)
        self.f.write(data)
        self.central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, dostime[1],
                                        dostime[0], crc, csize, usize, len(raw_name), 0, 0, 0, 0, 0, offset)
                            + raw_name)

    def copy(self, src: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Copy an entry's compressed bytes as they are."""
        src.fp.seek(info.header_offset)
        header = src.fp.read(30)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        src.fp.seek(info.header_offset + 30 + name_len + extra_len)
        raw = src.fp.read(info.compress_size)
        y, mo, d, h, mi, s = info.date_time
        dostime = ((y - 1980) << 9 | mo << 5 | d, h << 11 | mi << 5 | s // 2)
        self._entry(info.filename, info.compress_type, info.CRC, info.compress_size, info.file_size, dostime, raw)

    def add(self, name: str, data: bytes) -> None:
        """Deflate ``data`` (zlib level 1, see the module docstring) and add it."""
        c = zlib.compressobj(1, zlib.DEFLATED, -15)
        packed = c.compress(data) + c.flush()
        t = time.localtime()
        dostime = ((t.tm_year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday, t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2)
        self._entry(name, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(packed), len(data), dostime, packed)

    def close(self) -> None:
        start = self.f.tell()
        directory = b"".join(self.central)
        self.f.write(directory)
        self.f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.central), len(self.central),
                                 len(directory), start, 0))
        self.f.close()


def read_values(path: str, wanted) -> dict[str, list[list]]:
    """python-calamine values of the ``wanted`` sheets present (as Python objects)."""
    import python_calamine

    cal = python_calamine.CalamineWorkbook.from_path(path)
    try:
        return {n: cal.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in cal.sheet_names if n in wanted}
    finally:
        cal.close()


def _sheet_parts(z: zipfile.ZipFile) -> tuple[str, str, dict[str, str]]:
    """workbook.xml text, its rels text, and sheet name → part (by plain text search: the floor parses nothing)."""
    import re

    wb = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    target = dict(re.findall(r'<Relationship[^>]*?Id="(\w+)"[^>]*?Target="([^"]+)"', rels))
    target.update({k: v for v, k in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="(\w+)"', rels)})
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="(\w+)"', wb):
        t = target.get(rid, "")
        parts[name] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    return wb, rels, parts


def write_package(source: str, target: str, sheets: dict[str, bytes]) -> None:
    """``source`` with the sheets named in ``sheets`` replaced (or added) and every other entry copied raw."""
    with zipfile.ZipFile(source) as z:
        wb, rels, parts = _sheet_parts(z)
        edited: dict[str, bytes] = {}
        replace = {parts[n]: data for n, data in sheets.items() if n in parts}
        new = [n for n in sheets if n not in parts]
        if new:
            ct = z.read("[Content_Types].xml").decode("utf-8")
            next_id = max([int(x) for x in __import__("re").findall(r'sheetId="(\d+)"', wb)] + [0]) + 1
            for k, n in enumerate(new):
                part = f"xl/worksheets/lantai{k + 1}.xml"
                replace[part] = sheets[n]
                wb = wb.replace("</sheets>", f'<sheet name="{n}" sheetId="{next_id + k}" r:id="rIdL{k}"/></sheets>')
                rels = rels.replace("</Relationships>", f'<Relationship Id="rIdL{k}" Type="{REL_SHEET}" '
                                                        f'Target="worksheets/lantai{k + 1}.xml"/></Relationships>')
                ct = ct.replace("</Types>", f'<Override PartName="/{part}" ContentType="{CT_SHEET}"/></Types>')
            edited = {"xl/workbook.xml": wb.encode("utf-8"), "xl/_rels/workbook.xml.rels": rels.encode("utf-8"),
                      "[Content_Types].xml": ct.encode("utf-8")}
        out = RawZip(target)
        for info in z.infolist():
            if info.filename in replace:
                out.add(info.filename, replace.pop(info.filename))
            elif info.filename in edited:
                out.add(info.filename, edited[info.filename])
            else:
                out.copy(z, info)
        for part, data in replace.items():
            out.add(part, data)
        out.close()


@contextlib.contextmanager
def _cycle_collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_cycle_collector_paused()
def hitung_floor(induk: str, keluaran: str) -> int:
    """Read what hitung reads, write rows of the size hitung writes; returns the number of cells written.

    Values are taken from the input (no computation): per OPD a Peringkat row of 13 cells and
    a Riwayat row of 16 (the types and widths hitung writes: codes, names, floats, ranks), the
    Riwayat and Log rows already in the workbook written back, a Masalah header and one Log row.
    """
    values = read_values(induk, (*INPUT_SHEETS, "Riwayat", "Log", "Rekap"))
    opd = values["OPD"][1:]
    real = values["Realisasi"][1:]
    peringkat = [("Peringkat Indeks Kinerja OPD",), ("Dihitung",), (None,), (), tuple(f"Judul {j}" for j in range(13))]
    riwayat = [tuple(f"Judul {j}" for j in range(16))]
    riwayat += [tuple(None if v == "" else v for v in r) for r in values.get("Riwayat", [[]])[1:]]
    for i, (o, r) in enumerate(zip(opd, real), start=1):
        kode, nama, singkatan = o[0], o[1], o[2]
        x = [r[5] / r[4] * 100 if r[4] else 0.0, r[7] / r[6] * 100 if r[6] else 0.0, 93.0 + i / 7.0,
             r[9] / r[8] * 100 if r[8] else None, 80.0 + i / 13.0]
        peringkat.append((i, kode, nama, singkatan, *x, "Sangat Tinggi", "Hijau", 5_000_000 if i < 4 else 0, None))
        riwayat.append((2024, 1, kode, nama, *x, i, "Sangat Tinggi", "Hijau", 0, "Tidak", "Tidak",
                        "2024-04-02T10:00:00"))
    log = [tuple(f"Judul {j}" for j in range(10))]
    log += [tuple(None if v == "" else v for v in r) for r in values.get("Log", [[]])[1:]]
    log.append(("2024-04-02T10:00:00", 2024, 1, "Tidak", len(opd), 0, 0, "0" * 64, "{}", "0.1.0"))
    masalah = [tuple(f"Judul {j}" for j in range(6))]
    write_package(induk, keluaran, {"Peringkat": sheet_xml(peringkat), "Riwayat": sheet_xml(riwayat),
                                    "Masalah": sheet_xml(masalah), "Log": sheet_xml(log)})
    return sum(len(r) for rows in (peringkat, riwayat, log) for r in rows)


@_cycle_collector_paused()
def impor_floor(induk: str, templates: list[str], keluaran: str, header_row: int) -> int:
    """Read the master and every template (values), write the master's Realisasi and Indikator rows
    (the old rows plus every template's rows below its ``header_row``) as raw XML; returns the rows written."""
    master = read_values(induk, INPUT_SHEETS)
    rows = {s: [tuple(None if v == "" else v for v in r) for r in master[s]] for s in ("Realisasi", "Indikator")}
    for p in templates:
        got = read_values(p, ("Realisasi", "Indikator"))
        for s in rows:
            rows[s] += [tuple(None if v == "" else v for v in r[:10]) for r in got.get(s, [])[header_row:] if any(r)]
    write_package(induk, keluaran, {s: sheet_xml(r) for s, r in rows.items()})
    return sum(len(r) for r in rows.values())
