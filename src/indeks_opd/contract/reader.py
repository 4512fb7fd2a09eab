"""The workbook contract (docs/kontrak.md): from sheets (``Sheet``) to a ``InputData``.

Sheets are found by name and columns by header text; column order is free and extra
columns are ignored. Every cell is read with :mod:`indeks_opd.contract.numbers`; a cell that cannot be
read becomes a problem at its address, never a guessed number. A workbook that cannot be
used at all (a required sheet or column missing, invalid parameters) raises
``BukuTidakBisaDipakai`` with every reason.
"""

from __future__ import annotations

import math
from dataclasses import replace
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd

from indeks_opd.contract.links import read_link
from indeks_opd.contract.numbers import read_date, read_number, read_text
from indeks_opd.contract.schema import (
    ANGKA,
    BULAT,
    INPUT_TABLES,
    NUMERIC,
    PARAMETER_TABLES,
    TANGGAL,
    TAUTAN,
    extra_score,
    fields,
    on_demand_table,
)
from indeks_opd.contract.schema import SINGLE_VALUES as schema_single_values
from indeks_opd.contract.sheets import Sheet, Table, find_header_row, find_small_table, header_key
from indeks_opd.core.inputs import (
    SHEET_INDIKATOR,
    SHEET_OPD,
    SHEET_PARAMETER,
    SHEET_REALISASI,
    InputData,
)
from indeks_opd.core.masalah import Masalah, UnusableWorkbook, galat, peringatan
from indeks_opd.core.parameter import STANDARD_LABELS, Hadiah, Jadwal, Kategori, Parameter, validate_parameter
from indeks_opd.core.period import TAHUN_SALAH, TRIWULAN, TRIWULAN_SALAH, valid_tahun
from indeks_opd.core.pipeline import period_not_openable, period_without_data

HEADERS = {sheet: {f.header: f.name for f in table} for sheet, table in INPUT_TABLES.items()}
"""Contract headers of each data sheet, as users see them, mapped to field names (from the schema)."""

OPTIONAL = {sheet: {f.name for f in table if not f.required} for sheet, table in INPUT_TABLES.items()}

KIND = {f.name: f.kind for table in INPUT_TABLES.values() for f in table if f.kind in NUMERIC}
"""How each numeric field is read; a date field is read as a date; every other field is text.
An extra component's column (headed by its Bobot label) is read as its schema field says (:func:`extra_score`)."""

DATES = {f.name for table in INPUT_TABLES.values() for f in table if f.kind == TANGGAL}
LINKS = {f.name for table in INPUT_TABLES.values() for f in table if f.kind == TAUTAN}


def default_headers(sheet: str) -> dict[str, str]:
    """The headers (→ field) a new workbook, sample or template writes: the schema's fields but the on-demand ones."""
    return {f.header: f.name for f in INPUT_TABLES[sheet] if not f.on_demand}


SINGLE_VALUES = tuple(sv.name for sv in schema_single_values)

_YES_NO = {"ya": True, "y": True, "true": True, "1": True, "aktif": True,
       "tidak": False, "t": False, "false": False, "0": False, "tidakaktif": False, "no": False}


def find_sheet(sheets: dict[str, Sheet], nama: str) -> Sheet | None:
    """A sheet by name, ignoring case and spaces."""
    key = header_key(nama)
    return next((grid for n, grid in sheets.items() if header_key(n) == key), None)


_FIELDS = {sheet: tuple(f.name for f in table) for sheet, table in INPUT_TABLES.items()}


_LOOKS_LIKE_TEMPLATE = (" Berkas ini tampaknya templat OPD (hanya sheet Realisasi dan Indikator), bukan buku kerja induk: "
                        "templat yang sudah diisi dimasukkan ke induk dengan indeks-opd impor BERKAS --ke INDUK.")


def _template_like(sheets: dict[str, Sheet]) -> bool:
    """An OPD template (docs/arsitektur.md, templat): Realisasi and Indikator without OPD and Parameter."""
    return all(find_sheet(sheets, s) is not None for s in (SHEET_REALISASI, SHEET_INDIKATOR)) and \
        all(find_sheet(sheets, s) is None for s in (SHEET_OPD, SHEET_PARAMETER))


def read_contract(sheets: dict[str, Sheet], defined_names: dict | None = None) -> InputData:
    """Parse every contract sheet.

    ``defined_names`` maps a defined name to ``(value, number format, lokasi)`` where
    ``lokasi`` is ``dict(sheet=, baris=, kolom=)`` of the cell it refers to.
    """
    fatal: list[Masalah] = []
    masalah: list[Masalah] = []
    table = {}
    parameter, masalah_param = read_parameter(find_sheet(sheets, SHEET_PARAMETER), defined_names or {})
    extra = {SHEET_REALISASI: parameter.extra_components()}
    for sheet in (SHEET_OPD, SHEET_REALISASI, SHEET_INDIKATOR):
        grid = find_sheet(sheets, sheet)
        if grid is None:
            fatal.append(galat(f"Sheet '{sheet}' tidak ditemukan. Buku kerja harus punya sheet "
                               f"{SHEET_OPD}, {SHEET_REALISASI} dan {SHEET_INDIKATOR} (lihat Petunjuk)."
                               + (_LOOKS_LIKE_TEMPLATE if sheet == SHEET_OPD and _template_like(sheets) else ""),
                               sheet=sheet))
            continue
        try:
            weighted = tuple(k for k in extra.get(sheet, ()) if parameter.bobot[k] > 0)
            table[sheet] = _data_table(grid, sheet, extra.get(sheet, ()), weighted)
        except UnusableWorkbook as e:
            fatal += e.masalah
    fatal += [m for m in masalah_param if m.blocking]
    masalah += [m for m in masalah_param if not m.blocking]
    if fatal:
        raise UnusableWorkbook(fatal)

    frames = {}
    for sheet, t in table.items():
        frames[sheet], found = _read_rows(t, (*_FIELDS[sheet], *extra.get(sheet, ())), sheet)
        masalah += found
    return InputData(
        parameter=parameter, opd=frames[SHEET_OPD], realisasi=frames[SHEET_REALISASI],
        indikator=frames[SHEET_INDIKATOR], masalah=masalah, kolom={s: t.letters() for s, t in table.items()},
        fields={s: fields(s) for s in INPUT_TABLES},
    )


def read_table(grid: Sheet, sheet: str, skip_if_only: tuple[str, ...] = (), extra: tuple[str, ...] = ()
               ) -> tuple[pd.DataFrame, list[Masalah], dict[str, str]]:
    """One data table of the contract (``sheet`` is OPD, Realisasi or Indikator) from any grid.

    Returns the records, the reading problems and each field's column letter. Used on its
    own by the UDFs, which receive a single table range instead of a workbook, and by the
    template import. Rows whose only filled fields are in ``skip_if_only`` are skipped like
    blank rows (OPD templates prefill Tahun, Triwulan and Kode OPD on rows left for new
    indicators). ``extra`` are extra components' score columns that must be there (headed by
    their Bobot label). Raises ``UnusableWorkbook`` when a required column is missing.
    """
    t = _data_table(grid, sheet, extra, extra)
    df, masalah = _read_rows(t, (*_FIELDS[sheet], *extra), sheet, skip_if_only)
    return df, masalah, t.letters()


def _data_table(grid: Sheet, sheet: str, extra: tuple[str, ...] = (), weighted: tuple[str, ...] = ()) -> Table:
    """Locate a data table; ``extra`` are extra components' columns (headed by their label), ``weighted`` required."""
    headers = {**HEADERS[sheet], **{label: label for label in extra}}
    header = {header_key(h): f for h, f in headers.items()}
    i, mapping, duplicates = find_header_row(grid, header)
    required = [h for h, f in HEADERS[sheet].items() if f not in OPTIONAL[sheet]] + list(weighted)
    missing = [h for h in required if headers[h] not in mapping]
    if i < 0 or missing:
        where = f" (baris judul yang paling cocok: baris {grid.row_number(i)})" if i >= 0 else ""
        raise UnusableWorkbook([galat(
            f"Kolom {', '.join(repr(h) for h in missing)} tidak ditemukan di sheet '{sheet}'{where}. "
            f"Judul kolom yang diperlukan: {', '.join(required)}.", sheet=sheet, baris=grid.row_number(i) if i >= 0 else None)])
    if duplicates:
        label = {f: h for h, f in headers.items()}
        raise UnusableWorkbook([galat(
            f"Kolom {', '.join(repr(label[f]) for f in duplicates)} muncul lebih dari sekali di sheet '{sheet}'. "
            "Hapus atau ganti nama salah satunya.", sheet=sheet, baris=grid.row_number(i))])
    return Table(grid, i, mapping)


def _number_cell(f: str, kind: str, v, number_format) -> tuple[float, str | None]:
    """One numeric cell of field ``f``: (value, NaN when unreadable or blank; problem or None)."""
    x, error = read_number(v, kind, number_format)
    if error is None and f == "triwulan" and x is not None and x not in TRIWULAN:
        x, error = None, f"Triwulan {x:g} {TRIWULAN_SALAH}"
    if error is None and f == "tahun" and x is not None and not valid_tahun(x):
        x, error = None, f"Tahun {x:g} {TAHUN_SALAH}"
    return math.nan if x is None else x, error


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _filled_rows(columns: list[list], height: int) -> list[int]:
    """Positions of the rows with a value that is not blank (None or spaces) in any of ``columns``.

    Blank rows in the middle are skipped, not the end of the table. A column filled in every row
    (Tahun or Kode OPD, as a rule) settles it at once; else rows are counted column-wise with
    numpy when no column holds a text of spaces only (the usual case), row by row otherwise."""
    if not columns:
        return []
    if any(None not in c and not any(map(_is_blank_text, set(c))) for c in columns):
        return list(range(height))
    if any(any(map(_is_blank_text, set(c))) for c in columns):
        n = len(columns)
        return [k for k, vals in enumerate(zip(*columns)) if vals.count(None) != n and not all(map(_is_blank, vals))]
    empty = np.zeros(height, dtype=np.int64)
    none = np.array(None, dtype=object)
    for c in columns:
        empty += np.equal(np.array(c, dtype=object), none)
    return np.flatnonzero(empty < len(columns)).tolist()


def _is_blank_text(v) -> bool:
    return isinstance(v, str) and not v.strip()


def _whole_column(f: str, kind: str, values: list, types: set) -> np.ndarray | None:
    """The column as floats (blank NaN) when every cell is blank or a float that reads as itself without a
    problem — finite, and for Tahun/Triwulan each distinct value passing its checks; else None."""
    if not types <= {float, type(None)}:
        return None
    numbers = np.array(values, dtype=float)
    if kind != BULAT:
        not_finite = int((~np.isfinite(numbers)).sum())  # NaN where a blank was, and any NaN or infinity typed
        return numbers if not_finite == values.count(None) else None
    answers = [_number_cell(f, kind, v, None) for v in set(values) if v is not None]
    return numbers if all(error is None for _, error in answers) else None


def _read_column(f: str, kind: str | None, values: list, formats: list | None,
                 problems: dict[int, list]) -> list | np.ndarray:
    """Read one field's cells (``kind`` from :func:`_kind`), column-wise; problems go to
    ``problems[row position]`` in field order.

    A column of finite floats and blanks without percent formats (the millions of cells of a
    large workbook) is taken as it is, once each distinct Tahun/Triwulan value passed its
    checks; text columns are read once per distinct value (codes, names and units repeat on
    every indicator row). Every other column goes cell by cell through the readers of
    :mod:`indeks_opd.contract.numbers` — numbers once per distinct (value, format).
    """
    types = set(map(type, values))
    number_kind = kind if f not in DATES else None
    numbers = _whole_column(f, number_kind, values, types) if number_kind is not None and formats is None else None
    if numbers is not None:
        return numbers
    if kind is None and f not in DATES and f != "aktif" and bool not in types:  # True would share a key with 1.0
        if f in LINKS:
            return _read_links(f, values, problems)
        texts = {v: read_text(v) for v in set(values)}
        if all(v is t for v, t in texts.items()):  # every text already tidy (the usual column): kept as it is
            return values
        return list(map(texts.__getitem__, values))
    out = []
    seen: dict = {}
    for k, v in enumerate(values):
        if number_kind is not None:
            fmt = formats[k] if formats is not None else None
            if type(v) is float and number_kind != BULAT and v - v == 0.0 and (fmt is None or "%" not in fmt):
                out.append(v)
                continue
            key = (type(v), v, fmt)
            got = seen.get(key)
            if got is None:
                got = seen[key] = _number_cell(f, number_kind, v, fmt)
            x, error = got
        elif f in DATES:
            x, error = read_date(v)
        elif f == "aktif":
            x, error = _read_aktif(v)
        elif f in LINKS:
            x, error = read_link(v)
        else:
            x, error = read_text(v), None
        out.append(x)
        if error:
            problems.setdefault(k, []).append((f, error))
    return out


def _read_links(f: str, values: list, problems: dict[int, list]) -> list:
    """Evidence links (:func:`~indeks_opd.contract.links.read_link`), once per distinct value; a refused link
    is blank in the record and a problem at its cell."""
    answers = {v: read_link(v) for v in set(values)}
    for k, v in enumerate(values):
        if answers[v][1]:
            problems.setdefault(k, []).append((f, answers[v][1]))
    return [answers[v][0] for v in values]


def _read_rows(t: Table, kolom: tuple[str, ...], sheet: str,
               skip_if_only: tuple[str, ...] = ()) -> tuple[pd.DataFrame, list[Masalah]]:
    """Read every non-blank row under the header into one record per row, with its problems.

    Column by column (:func:`_read_column`); the problems are reported row by row, each row's
    in field order, with the row's period and kode."""
    grid = t.sheet
    start = t.header_row + 1
    body = grid.values[start:]
    fmt_rows = grid.format[start:] if grid.format is not None else None

    shortest = min(map(len, body), default=0)

    def column(rows, j):
        if not rows or (shortest if rows is body else min(map(len, rows))) > j:
            return list(map(itemgetter(j), rows))
        return [r[j] if j < len(r) else None for r in rows]

    cells = {f: column(body, j) for f, j in t.kolom.items()}
    checked = [cells[f] for f in t.kolom if f not in skip_if_only]
    keep = _filled_rows(checked, len(body))
    if len(keep) != len(body):
        cells = {f: [c[k] for k in keep] for f, c in cells.items()}
    problems: dict[int, list] = {}
    data: dict[str, list[Any] | np.ndarray] = {}
    for f in kolom:
        kind = _kind(sheet, f)
        if f not in t.kolom:
            data[f] = [None if kind is None else math.nan] * len(keep)
            continue
        formats = None
        if fmt_rows is not None and kind is not None and any(fmt_rows):
            formats = column(fmt_rows, t.kolom[f])
            formats = [formats[k] for k in keep] if len(keep) != len(body) else formats
        data[f] = _read_column(f, kind, cells[f], formats, problems)
    first = grid.row_number(start)
    data["baris"] = [first + k for k in keep]
    masalah: list[Masalah] = []
    for k in sorted(problems):
        record = {f: data[f][k] for f in data}
        periode = None
        if "tahun" in record and not math.isnan(record["tahun"]) and not math.isnan(record["triwulan"]):
            periode = (int(record["tahun"]), int(record["triwulan"]))
        for f, error in problems[k]:
            make = peringatan if f == "aktif" and record[f] is True else galat
            masalah.append(make(f"Nilai {_label(sheet, f)} {error}.", sheet=sheet, baris=record["baris"],
                                kolom=grid.column_letter(t.kolom[f]), kode=record.get("kode"), periode=periode))
    columns = {f: _typed(f, data[f], _kind(sheet, f)) for f in kolom}
    return pd.DataFrame({**columns, "baris": pd.Series(data["baris"], dtype=np.int64)}, copy=False), masalah


def _typed(f: str, values: list | np.ndarray, kind: str | None) -> pd.Series:
    """A column of a record frame, built straight from the values: numbers as float (blank NaN), text and
    Aktif as Python objects (blank None). A date column is what pandas makes of its values, as Python
    objects: ``Timestamp`` and ``NaT`` for date-times with blanks — the form every fingerprint of a
    Tanggal Diterima has hashed since that column exists (docs/alur.md, "Sidik")."""
    if f in DATES:
        return pd.Series(values).astype(object)
    dtype = float if kind is not None else object
    return pd.Series(np.asarray(values, dtype=dtype), dtype=dtype, copy=False)


def _kind(sheet: str, f: str) -> str | None:
    """How a field is read: :data:`KIND`, text (None) for the other contract fields, a score for an extra component."""
    return KIND.get(f, None if f in HEADERS[sheet].values() else extra_score(f).kind)


def _label(sheet: str, f: str) -> str:
    return fields(sheet)[f].label if f in fields(sheet) else f  # an extra component's field is its label


def _read_aktif(v):
    text = read_text(v)
    if text is None:
        return True, "kosong; dianggap Ya (aktif). Isi Ya atau Tidak"
    hasil = _YES_NO.get(header_key(text))
    if hasil is None:
        return None, f"'{text}' tidak dikenal; isi Ya atau Tidak"
    return hasil, None


def choose_period(data, tahun: int | None, triwulan: int | None) -> tuple[int, int]:
    """The period to compute: the given one, else TahunAktif/TriwulanAktif of the workbook's Parameter sheet."""
    tahun = tahun if tahun is not None else data.parameter.tahun_aktif
    triwulan = triwulan if triwulan is not None else data.parameter.triwulan_aktif
    if tahun is None or triwulan is None:
        missing = "TahunAktif" if tahun is None else "TriwulanAktif"
        raise UnusableWorkbook([galat(
            f"{missing} tidak ada di sheet Parameter. Isi di buku kerja (atau, di baris perintah, pakai --tahun dan --triwulan).",
            sheet="Parameter")])
    return tahun, triwulan


def require_data(data, tahun: int, triwulan: int) -> None:
    """Refuse a period with no data at all (a mistyped year or quarter; docs/metode.md, Problems).

    Computing it would rank nobody and write an empty SEMENTARA result over the real one, so
    ``hitung``, ``rapor`` and the buttons stop here: exit 2, nothing written.
    """
    masalah = period_without_data(data, tahun, triwulan)
    if masalah is not None:
        raise UnusableWorkbook([masalah])


def require_openable(data, tahun: int, triwulan: int) -> None:
    """Refuse opening a period no one reports for (:func:`indeks_opd.core.pipeline.period_not_openable`):
    ``templat`` and the workflow commands stop before anything is written (exit 2)."""
    masalah = period_not_openable(data, tahun, triwulan)
    if masalah is not None:
        raise UnusableWorkbook([masalah])


# --- Parameter sheet -------------------------------------------------------------------------

def read_parameter(grid: Sheet | None, defined_names: dict) -> tuple[Parameter, list[Masalah]]:
    """Parameter tables (found by headers) and single values (defined names, else a Nama | Nilai block).

    A missing sheet or table falls back to the defaults of docs/metode.md with a warning;
    an unreadable or invalid value is a blocking problem.
    """
    defaults = Parameter()
    masalah: list[Masalah] = []
    if grid is None:
        masalah.append(peringatan("Sheet 'Parameter' tidak ada; dipakai parameter bawaan (bobot 20/20/50/10, "
                                  "kategori Permendagri 86/2017, hadiah 5/3/1 juta).", sheet=SHEET_PARAMETER))
        grid = Sheet(SHEET_PARAMETER, [])
    changes = {}
    changes.update(_read_bobot(grid, masalah))
    changes.update(_read_kategori(grid, masalah))
    changes.update(_read_hadiah(grid, masalah))
    changes.update(_read_jadwal(grid, masalah))
    changes.update(_read_single_values(grid, defined_names, masalah))
    p = replace(defaults, **changes)
    if not any(m.blocking for m in masalah):
        masalah += validate_parameter(p)
    return p, masalah


_PARAMETER_KIND = {(t, f.name): f.kind for t, table in PARAMETER_TABLES.items() for f in table}


def _parameter_table(grid: Sheet, name: str, judul: str, masalah: list[Masalah]) -> Table | None:
    """A Parameter table found by its schema headers; a warning (defaults are used) when it is not there,
    unless only some Pemda have it (:func:`~indeks_opd.contract.schema.on_demand_table`)."""
    required = [f for f in PARAMETER_TABLES[name] if f.required]
    t = find_small_table(grid, [header_key(f.header) for f in required],
                         optional=tuple(header_key(f.header) for f in PARAMETER_TABLES[name] if not f.required))
    if t is None and grid.values and not on_demand_table(name):
        masalah.append(peringatan(f"Tabel {judul} ({' | '.join(f.header for f in required)}) tidak ditemukan di sheet "
                                  "Parameter; dipakai nilai bawaan.", sheet=SHEET_PARAMETER))
    return t


def _rows_of(t: Table):
    """Rows of a small table until its first column is blank: (row index, {header: (value, format, lokasi)})."""
    grid = t.sheet
    key = next(iter(t.kolom))
    i = t.header_row + 1
    while i < len(grid.values) and grid.cell(i, t.kolom[key]) not in (None, ""):
        yield i, {h: (grid.cell(i, j), grid.cell_format(i, j),
                      dict(sheet=grid.nama, baris=grid.row_number(i), kolom=grid.column_letter(j)))
                  for h, j in t.kolom.items()}
        i += 1


def _parameter_number(cell, kind, nama, masalah) -> float | None:
    v, fmt, lokasi = cell
    x, error = read_number(v, kind, fmt)
    if error or x is None:
        masalah.append(galat(f"{nama}: nilai {error or 'kosong'}.", **lokasi))
    return x


def _read_bobot(grid: Sheet, masalah: list[Masalah]) -> dict:
    t = _parameter_table(grid, "tblBobot", "Bobot", masalah)
    if t is None:
        return {}
    label = {header_key(v): k for k, v in STANDARD_LABELS.items()}
    taken = {header_key(h) for h in (*HEADERS[SHEET_REALISASI], *STANDARD_LABELS, "baris")}
    bobot = {}
    for i, cell in _rows_of(t):
        nama = read_text(cell["komponen"][0])
        k = label.get(header_key(nama))
        if k is None and header_key(nama) in taken:
            masalah.append(galat(f"Komponen '{nama}' di tabel Bobot bernama sama dengan kolom Realisasi atau komponen "
                                 "baku. Beri komponen tambahan nama lain (nama itu juga judul kolom nilainya di sheet "
                                 "Realisasi).", sheet=grid.nama, baris=grid.row_number(i),
                                 kolom=grid.column_letter(t.kolom['komponen'])))
            continue
        k = k or nama  # any other label is an extra component, keyed by its label (docs/metode.md)
        if k in bobot:
            masalah.append(galat(f"Komponen {nama} tertulis dua kali di tabel Bobot.", sheet=grid.nama,
                                 baris=grid.row_number(i), kolom=grid.column_letter(t.kolom['komponen'])))
        x = _parameter_number(cell["bobot"], _PARAMETER_KIND["tblBobot", "bobot"], f"Bobot {nama}", masalah)
        if x is not None:
            bobot[k] = x
    return {"bobot": bobot}


def _read_kategori(grid: Sheet, masalah: list[Masalah]) -> dict:
    t = _parameter_table(grid, "tblKategori", "Kategori", masalah)
    if t is None:
        return {}
    kategori = []
    for _, cell in _rows_of(t):
        nama = read_text(cell["kategori"][0])
        batas: float | None
        if cell["batasbawah"][0] in (None, "", "-", "−"):
            batas = -math.inf
        else:
            batas = _parameter_number(cell["batasbawah"], _PARAMETER_KIND["tblKategori", "batas_bawah"],
                                      f"Batas Bawah {nama}", masalah)
        warna = (read_text(cell["warna"][0]) or "").upper()
        if warna and not warna.startswith("#"):
            warna = "#" + warna
        kategori.append(Kategori(nama or "", -math.inf if batas is None else batas, warna, read_text(cell["zona"][0]) or ""))
    return {"kategori": tuple(kategori)}


def _read_hadiah(grid: Sheet, masalah: list[Masalah]) -> dict:
    t = _parameter_table(grid, "tblHadiah", "Hadiah", masalah)
    if t is None:
        return {}
    hadiah = []
    for _, cell in _rows_of(t):
        r = _parameter_number(cell["peringkat"], _PARAMETER_KIND["tblHadiah", "peringkat"], "Peringkat hadiah", masalah)
        x = _parameter_number(cell["hadiah"], _PARAMETER_KIND["tblHadiah", "hadiah"], "Hadiah", masalah)
        if r is not None and x is not None:
            if x != int(x):
                masalah.append(galat(f"Hadiah peringkat {r:g} harus rupiah bulat.", sheet=grid.nama))
            kelompok = read_text(cell["kelompok"][0]) if "kelompok" in cell else None
            hadiah.append(Hadiah(int(r), int(x), read_text(cell["sumber"][0]) or "", kelompok))
    return {"hadiah": tuple(hadiah)}


def _read_jadwal(grid: Sheet, masalah: list[Masalah]) -> dict:
    """The optional Jadwal table (Tahun | Triwulan | Batas Pengumpulan): deadlines for Ketepatan Waktu."""
    t = _parameter_table(grid, "tblJadwal", "Jadwal", masalah)
    if t is None:
        return {}
    jadwal = []
    for _, cell in _rows_of(t):
        tahun = _parameter_number(cell["tahun"], _PARAMETER_KIND["tblJadwal", "tahun"], "Tahun di tabel Jadwal",
                                  masalah)
        tw = _parameter_number(cell["triwulan"], _PARAMETER_KIND["tblJadwal", "triwulan"], "Triwulan di tabel Jadwal",
                               masalah)
        v, _, lokasi = cell["bataspengumpulan"]
        batas, error = read_date(v)
        if error or batas is None:
            masalah.append(galat(f"Batas Pengumpulan: nilai {error or 'kosong'}.", **lokasi))
        elif tw is not None and tw not in TRIWULAN:
            masalah.append(galat(f"Triwulan {tw:g} di tabel Jadwal {TRIWULAN_SALAH}.",
                                 **cell["triwulan"][2]))
        elif tahun is not None and tw is not None:
            jadwal.append(Jadwal(int(tahun), int(tw), batas.date()))
    return {"jadwal": tuple(jadwal)}


def _read_single_values(grid: Sheet, defined_names: dict, masalah: list[Masalah]) -> dict:
    block = {}
    t = find_small_table(grid, ["nama", "nilai"])
    if t is not None:
        for _, cell in _rows_of(t):
            block[header_key(read_text(cell["nama"][0]))] = cell["nilai"]
    defined = {header_key(k): v for k, v in defined_names.items()}
    hasil: dict[str, Any] = {}
    for sv in schema_single_values:
        nama, field = sv.name, sv.field.name
        key = header_key(nama)
        if key in defined:
            v, fmt, lokasi = defined[key]
            other = block.get(key)
            if other is not None and other[2] != lokasi and read_text(other[0]) != read_text(v):
                masalah.append(peringatan(
                    f"{nama} di blok Nama | Nilai ({read_text(other[0])}) berbeda dengan nama terdefinisi {nama} "
                    f"({read_text(v)}); yang dipakai nama terdefinisi. Samakan keduanya.", **other[2]))
        elif key in block:
            v, fmt, lokasi = block[key]
        else:
            continue
        if sv.field.kind == BULAT:
            x, error = read_number(v, BULAT, fmt)
            if nama == "TriwulanAktif" and x is not None and x not in TRIWULAN:
                error = f"{x:g} {TRIWULAN_SALAH}"
            if error or x is None:
                masalah.append(galat(f"{nama}: nilai {error or 'kosong'}.", **lokasi))
                continue
            hasil[field] = int(x)
        elif sv.field.kind == ANGKA:
            x, error = read_number(v, ANGKA, None)
            if error or x is None:
                masalah.append(galat(f"{nama}: nilai {error or 'kosong'}.", **lokasi))
                continue
            hasil[field] = x
        elif nama == "IzinkanHadiahSementara":
            ya = _YES_NO.get(header_key(read_text(v) or ""))
            if ya is None:
                masalah.append(galat(f"IzinkanHadiahSementara: '{v}' tidak dikenal; isi Ya atau Tidak.", **lokasi))
                continue
            hasil["izinkan_hadiah_sementara"] = ya
        elif nama == "AturanTahunan":
            text = read_text(v) or ""
            choices = {"twiv": "TW IV", "tw4": "TW IV", "rata-rata": "Rata-rata", "ratarata": "Rata-rata"}
            hasil["aturan_tahunan"] = choices.get(header_key(text), text)
    return hasil
