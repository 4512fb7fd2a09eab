"""Excel custom functions (UDFs) of Indeks Kinerja OPD, registered through xlwings.

The same module serves classic xlwings on Windows (add ``indeks_opd.udfs`` to "UDF Modules"
and click *Import Functions*) and xlwings Server (``XLWINGS_ON_SERVER=true``, where
``custom_functions_meta``/``custom_functions_call`` read the decorators). Every rule comes
from the core (:mod:`indeks_opd.core`), the contract reader (:mod:`indeks_opd.contract`) and
:mod:`indeks_opd.contract.numbers`; this module only adapts cells to it.

Shapes: every argument may be a single cell or a range. Equal-shaped ranges (or single
cells, which are repeated) are computed cell by cell and the result has the same shape, so
one formula can fill a Rekap column on Excel 365; on Excel 2016/2019 write one formula per
row. A 1×1 result is returned as a plain value.

Errors (docs/excel-layer.md): bad input never raises into Excel (classic xlwings would put a
whole traceback into the cell) and never becomes a plausible number. The cell shows one line
of text ``#GALAT: <Indonesian reason>``; in a vectorised call only the affected cells do. A
``#GALAT`` text fed into another UDF gives ``#GALAT`` again, and arithmetic on it gives Excel's
own ``#VALUE!``.

The function descriptions and argument help below are user-facing, hence in Indonesian.

Public contract — keep this module path (``indeks_opd.udfs``) and the function names in
``__all__``: the workbook's ``xlwings.conf`` sheet names this module as its UDF module, the
built VBA wrappers (``indeks-opd bangun``) and every ``Rekap`` formula call these functions.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import math
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import xlwings as xw
from xlwings import utils

from indeks_opd.contract import HEADERS, read_parameter, read_table
from indeks_opd.contract.numbers import NUMBER, PERCENT, WHOLE, read_number, read_text
from indeks_opd.contract.schema import fields
from indeks_opd.contract.sheets import Sheet, find_small_table, header_key
from indeks_opd.core import checks
from indeks_opd.core.aggregate import cakin_per_opd, index_value
from indeks_opd.core.capaian import capaian_indikator, capaian_score, normalise_arah
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_PARAMETER, SHEET_REALISASI
from indeks_opd.core.masalah import GALAT, UnusableWorkbook
from indeks_opd.core.parameter import (
    COMPONENT_LABELS,
    COMPONENTS,
    KETEPATAN,
    Parameter,
    component_label,
    group_key,
    prizes_for_group,
    validate_parameter,
)
from indeks_opd.core.period import TAHUN_MAX, TAHUN_MIN, TRIWULAN, TRIWULAN_SALAH
from indeks_opd.core.pipeline import component_capaian, indikator_capaian, other_capaian, select_period
from indeks_opd.core.prizes import allocate_prizes
from indeks_opd.core.ranking import category_of, competition_rank, round_excel


def _record_that_pyodide_is_absent() -> None:
    """Make xlwings' per-cell Pyodide probe cheap outside the browser.

    xlwings (0.37) converts every argument cell with ``xlwings.utils.is_jsnull``, which runs
    ``from pyodide.ffi import JsNull`` each time; outside Pyodide that failing import searches
    ``sys.path`` again for every cell (about 0.25 ms, most of a 1,000-row INDEKS_OPD call;
    benchmarks/RESULTS.md). ``None`` in ``sys.modules`` is Python's own way to say "this module
    does not exist": the import then fails at once (no search, no import lock), with the same
    ImportError xlwings expects.
    """
    if "pyodide" not in sys.modules and importlib.util.find_spec("pyodide") is None:
        sys.modules["pyodide"] = sys.modules["pyodide.ffi"] = None


_record_that_pyodide_is_absent()

__all__ = ["CAKIN_OPD", "CAPAIAN", "HADIAH_OPD", "INDEKS_OPD", "KATEGORI_KINERJA", "KOMPONEN_LAIN", "KOMPONEN_OPD",
           "PERINGKAT_OPD", "ZONA_OPD"]

CATEGORY = "Indeks Kinerja OPD"
"""Function category in Excel's function wizard (classic xlwings)."""

GALAT_PREFIX = "#GALAT: "
"""Start of every error text a UDF returns."""

COMPONENT_FIELDS = {
    "serapan": ("pagu", "target_keuangan", "realisasi_keuangan"),
    "fisik": ("target_fisik", "realisasi_fisik"),
    "p3dn": ("target_p3dn", "realisasi_p3dn"),
}
"""Realisasi fields each component of KOMPONEN_OPD is computed from (their problems block it)."""

_ROW_FIELDS = (None, "kode", "tahun", "triwulan")
"""Problems of these fields (or of the whole row) block every component of the row."""


class UdfGalat(Exception):
    """A problem with the input of a UDF; shown in the cell as ``#GALAT: <message>``."""


def galat_text(pesan) -> str:
    """The one-line cell text of an error."""
    return GALAT_PREFIX + " ".join(str(pesan).split())


def _cells(fn):
    """Turn every failure of a UDF into a ``#GALAT`` text and a 1×1 result into a plain value."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            hasil = fn(*args)
        except UdfGalat as e:
            return galat_text(e)
        except UnusableWorkbook as e:
            return galat_text(e.masalah[0].pesan)
        except Exception as e:  # noqa: BLE001 - a cell must never show a traceback
            return galat_text(f"kesalahan tak terduga di {fn.__name__.upper()} ({type(e).__name__}: {e}). "
                              "Laporkan ke pengelola buku kerja.")
        if isinstance(hasil, list) and len(hasil) == 1 and len(hasil[0]) == 1:
            return hasil[0][0]
        return hasil

    return wrapper


# --- cells and shapes ----------------------------------------------------------------------------

def _grid(x) -> list[list]:
    """A value or range as a 2-D list (xlwings gives 2-D lists with ``ndim=2``; scripts may pass less)."""
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        if not x:
            return [[None]]
        if isinstance(x[0], (list, tuple)):
            return [list(r) for r in x]
        return [[v] for v in x]
    return [[x]]


def _shape(g: list[list]) -> tuple[int, int]:
    return len(g), max((len(r) for r in g), default=0)


def _map(element, **ranges):
    """Apply ``element(**values)`` cell by cell over equal-shaped ranges (1×1 ranges repeat).

    A ``UdfGalat`` from one cell becomes that cell's ``#GALAT`` text; unequal shapes are one
    error for the whole call.
    """
    grids = {nama: _grid(v) for nama, v in ranges.items()}
    bentuk = {nama: _shape(g) for nama, g in grids.items()}
    besar = {b for b in bentuk.values() if b != (1, 1)}
    if len(besar) > 1:
        rincian = ", ".join(f"{nama} {r}×{k}" for nama, (r, k) in bentuk.items())
        raise UdfGalat(f"ukuran range tidak sama ({rincian}); pakai range dengan jumlah baris dan kolom yang sama "
                       "atau satu sel")
    rows, cols = besar.pop() if besar else (1, 1)
    tetap = {nama: g[0][0] for nama, g in grids.items() if bentuk[nama] == (1, 1)}  # repeated single cells
    berubah = [(nama, g) for nama, g in grids.items() if nama not in tetap]
    hasil = []
    for i in range(rows):
        baris = []
        for j in range(cols):
            nilai = dict(tetap)
            for nama, g in berubah:
                nilai[nama] = g[i][j] if j < len(g[i]) else None
            try:
                baris.append(_plain(element(**nilai)))
            except UdfGalat as e:
                baris.append(galat_text(e))
        hasil.append(baris)
    return hasil


def _plain(v):
    """numpy scalars to Python values; NaN never reaches a cell."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        raise UdfGalat("hasil tidak dapat dihitung dari data ini")
    return v


def _is_galat(v) -> bool:
    return isinstance(v, str) and v.strip().startswith("#GALAT")


def _number(v, nama: str, jenis: str = NUMBER) -> float | None:
    """A cell read as a number the way the contract reads it; ``None`` for blank."""
    if _is_galat(v):
        raise UdfGalat(f"{nama} berisi galat dari sel lain; perbaiki sel itu dulu")
    x, salah = read_number(v, jenis)
    if salah:
        raise UdfGalat(f"{nama} {salah}")
    return x


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _values_key(x) -> tuple:
    """A hashable copy of a range, so parsed tables can be cached between recalculations."""
    return tuple(tuple(r) for r in _grid(x))


# --- parameters ------------------------------------------------------------------------------------

def _batas(batas) -> float:
    """``BatasCapaian`` (default 100), validated by the parameter rules."""
    g = _grid(batas)
    if _shape(g) != (1, 1):
        raise UdfGalat("batas harus satu sel")
    x = _number(g[0][0], "batas")
    p = Parameter() if x is None else replace(Parameter(), batas_capaian=x)
    _raise_first(validate_parameter(p))
    return p.batas_capaian


def _bobot(bobot, lain: int = 0) -> dict:
    """Weights in percent in the order serapan, fisik, cakin, p3dn, then one per column of ``lain``
    (Ketepatan Waktu and extra components, keyed ``komponen lain 1`` …); default 20/20/50/10."""
    if bobot is None and not lain:
        return dict(Parameter().bobot)
    sel = [v for r in _grid(bobot) for v in r]
    keys = [*COMPONENTS, *(f"komponen lain {i}" for i in range(1, lain + 1))]
    if len(sel) > len(keys) and not lain:
        raise UdfGalat(f"bobot berisi {len(sel)} sel: komponen selain keempat komponen baku perlu capaiannya di "
                       "argumen lain (satu kolom per komponen). Indeks lengkap ada di sheet Peringkat setelah Hitung "
                       "Indeks")
    if len(sel) != len(keys):
        raise UdfGalat(f"bobot harus range {len(keys)} sel ({', '.join(COMPONENT_LABELS.values())}"
                       + (f", lalu satu untuk tiap kolom lain ({lain})" if lain else "") + f"), bukan {len(sel)} sel")
    nilai = {}
    for k, v in zip(keys, sel):
        x = _number(v, f"bobot {component_label(k)}", PERCENT)
        if x is None:
            raise UdfGalat(f"bobot {component_label(k)} kosong; isi semua bobot")
        nilai[k] = x
    _raise_first(validate_parameter(replace(Parameter(), bobot=nilai)))
    return nilai


def _raise_first(masalah) -> None:
    galat = [m for m in masalah if m.tingkat == GALAT]
    if galat:
        raise UdfGalat(galat[0].pesan)


@functools.lru_cache(maxsize=32)
def _parameter_table(values: tuple, headers: tuple) -> Parameter:
    ls = Sheet(SHEET_PARAMETER, [list(r) for r in values])
    if find_small_table(ls, list(headers)) is None:
        raise UdfGalat(f"tabel tidak dikenali: baris judulnya harus memuat {' | '.join(_HEADER_LABELS[headers])}")
    p, masalah = read_parameter(ls, {})
    _raise_first(masalah)
    return p


_KATEGORI_HEADERS = ("kategori", "batasbawah", "warna", "zona")
_HADIAH_HEADERS = ("peringkat", "hadiah", "sumber")
_BOBOT_HEADERS = ("komponen", "bobot")
_HEADER_LABELS = {_KATEGORI_HEADERS: ("Kategori", "Batas Bawah", "Warna", "Zona"),
                  _HADIAH_HEADERS: ("Peringkat", "Hadiah", "Sumber"), _BOBOT_HEADERS: ("Komponen", "Bobot")}


def _is_bobot_table(bobot) -> bool:
    """Whether a ``bobot`` argument is the Bobot table with its header row (a ``Komponen`` cell)."""
    return bobot is not None and any(header_key(v) == "komponen" for r in _grid(bobot) for v in r)


def _bobot_table(tabel) -> dict:
    """Every weight of the Bobot table (``Komponen | Bobot`` with headers), keyed like :meth:`Parameter.weights`."""
    return _parameter_table(_values_key(tabel), _BOBOT_HEADERS).weights()


def _weighted_others(w: dict) -> list[str]:
    """Keys of the components beyond the four standard ones with a weight > 0, in Bobot table order."""
    return [k for k, x in w.items() if k not in COMPONENTS and x > 0]


def _kategori(tabel) -> tuple:
    if tabel is None:
        return Parameter().kategori
    return _parameter_table(_values_key(tabel), _KATEGORI_HEADERS).kategori


def _hadiah(tabel) -> tuple:
    if tabel is None:
        return Parameter().hadiah
    return _parameter_table(_values_key(tabel), _HADIAH_HEADERS).hadiah


# --- data tables -------------------------------------------------------------------------------------

_SERIAL_MIN, _SERIAL_MAX = (utils.datetime_to_xlserial(dt.datetime(y, 1, 1)) for y in (TAHUN_MIN, TAHUN_MAX + 1))


def _serial_dates(values: tuple, key: str) -> list[list]:
    """The rows of a range with the numbers under the header ``key`` that are dates of the years
    the contract knows read as those dates.

    xlwings Server (Office.js) passes a date cell to a UDF as its serial number, classic xlwings
    as a date; any other number stays a number, which the contract refuses as a date.
    """
    rows = [list(r) for r in values]
    for i, baris in enumerate(rows):
        for j, v in enumerate(baris):
            if header_key(v) != key:
                continue
            for r in rows[i + 1:]:
                x = r[j] if j < len(r) else None
                if isinstance(x, (int, float)) and not isinstance(x, bool) and _SERIAL_MIN <= x < _SERIAL_MAX:
                    r[j] = utils.xlserial_to_datetime(x)
    return rows


@functools.lru_cache(maxsize=8)
def _data_table(values: tuple, sheet: str, extra: tuple = ()):
    """A Realisasi or Indikator range (header row included) read by the contract reader, with the
    score columns of the extra components ``extra``."""
    return read_table(Sheet(sheet, _serial_dates(values, "tanggalditerima")), sheet, extra=extra)


@functools.lru_cache(maxsize=8)
def _jadwal_parameter(values: tuple) -> Parameter:
    """What Ketepatan Waktu needs from a range of the Parameter sheet: the Jadwal table and
    PenguranganPerHari (from its ``Nama | Nilai`` block), as the contract reads them."""
    p, masalah = read_parameter(Sheet(SHEET_PARAMETER, _serial_dates(values, "bataspengumpulan")), {})
    _raise_first(masalah)
    return Parameter(bobot={KETEPATAN: 100.0}, jadwal=p.jadwal, pengurangan_per_hari=p.pengurangan_per_hari)


def _period_rows(kode, tahun, triwulan, tabel, sheet: str, extra: tuple = ()):
    """The table's rows of one OPD and period, with its reading problems and column letters."""
    kode = read_text(kode)
    if kode is None:
        raise UdfGalat("kode OPD kosong")
    if _is_galat(kode):
        raise UdfGalat("kode OPD berisi galat dari sel lain; perbaiki sel itu dulu")
    th = _number(tahun, "tahun", WHOLE)
    tw = _number(triwulan, "triwulan", WHOLE)
    if th is None or tw is None:
        raise UdfGalat("tahun dan triwulan wajib diisi")
    if tw not in TRIWULAN:
        raise UdfGalat(f"triwulan {tw:g} {TRIWULAN_SALAH}")
    if tabel is None:
        raise UdfGalat(f"range tabel {sheet} wajib diisi (termasuk baris judulnya)")
    df, masalah, kolom = _data_table(_values_key(tabel), sheet, extra)
    periode = (int(th), int(tw))
    rows = select_period(df, *periode)
    rows = rows[rows["kode"] == kode]
    dibaca = [m for m in masalah if m.kode == kode and m.periode == periode]
    return kode, periode, rows, dibaca, kolom


def _block_on(masalah, kolom: dict[str, str], fields=None) -> None:
    """Raise the first blocking problem (of ``fields`` and of the whole row, when given)."""
    huruf = {v: k for k, v in kolom.items()}
    for m in masalah:
        if m.tingkat != GALAT:
            continue
        field = huruf.get(m.kolom)
        if fields is None or field in fields or field in _ROW_FIELDS:
            tempat = f"{m.lokasi}: " if m.baris is not None else ""
            raise UdfGalat(f"{tempat}{m.pesan}")


_REALISASI_KEYS = {header_key(h) for h in (*HEADERS[SHEET_REALISASI], "baris")}


def _komponen(komponen) -> str:
    """``serapan``, ``fisik``, ``p3dn``, :data:`KETEPATAN`, or an extra component's label (docs/metode.md)."""
    nama = read_text(komponen) or ""
    teks = header_key(nama)
    for k in (*COMPONENT_FIELDS, KETEPATAN):
        if teks in (k, header_key(component_label(k))):
            return k
    if teks in ("cakin", header_key(COMPONENT_LABELS["cakin"])):
        raise UdfGalat(f"komponen '{nama}': capaian kinerja program dihitung oleh CAKIN_OPD dari tabel Indikator")
    if not teks or teks in _REALISASI_KEYS:
        raise UdfGalat(f"komponen '{nama}' tidak dikenal; isi \"serapan\", \"fisik\", \"p3dn\", \"Ketepatan Waktu\" "
                       "atau nama komponen tambahan di tabel Bobot")
    return nama


# --- the UDFs ----------------------------------------------------------------------------------------

_RANGE = dict(ndim=2, err_to_str=True)
"""Every argument arrives as a 2-D list; Excel error values arrive as their text, never as a blank."""


_BATAS_DOC = "Opsional: batas atas capaian dalam persen (BatasCapaian, bawaan 100)."


def _period_args(f):
    """The documented kode, tahun and triwulan arguments of KOMPONEN_OPD and CAKIN_OPD."""
    f = xw.arg("triwulan", doc="Triwulan 1–4 (biasanya sel TriwulanAktif).", **_RANGE)(f)
    f = xw.arg("tahun", doc="Tahun periode, mis. 2024 (biasanya sel TahunAktif).", **_RANGE)(f)
    return xw.arg("kode", doc="Kode OPD, mis. \"2.15\"; satu sel atau range (satu hasil per kode).", **_RANGE)(f)


@xw.func(category=CATEGORY)
@xw.arg("serapan", doc="Capaian serapan anggaran dalam persen (0–100); satu sel atau range.", **_RANGE)
@xw.arg("fisik", doc="Capaian realisasi fisik dalam persen (0–100); satu sel atau range seukuran.", **_RANGE)
@xw.arg("cakin", doc="Capaian kinerja program dalam persen (0–100); satu sel atau range seukuran.", **_RANGE)
@xw.arg("p3dn", doc="Capaian P3DN dalam persen; KOSONGKAN bila OPD tidak punya target P3DN "
                    "(bobotnya dibagi ke komponen lain).", **_RANGE)
@xw.arg("bobot", doc="Opsional: range bobot Serapan, Fisik, Capaian Kinerja, P3DN (lalu satu per kolom lain) dalam "
                     "persen, jumlah 100 (bawaan 20, 20, 50, 10); atau seluruh tabel Bobot (Komponen | Bobot) "
                     "termasuk judulnya.", **_RANGE)
@xw.arg("lain", doc="Opsional: capaian komponen lain (Ketepatan Waktu, komponen tambahan), satu kolom per komponen, "
                    "baris seperti serapan; bobotnya menyusul di range bobot, atau urut tabel Bobot (yang berbobot "
                    "> 0; kolom sisanya kosong).", **_RANGE)
@_cells
def INDEKS_OPD(serapan, fisik, cakin, p3dn, bobot=None, lain=None):
    """Indeks Kinerja OPD: rata-rata berbobot capaian komponen (bawaan 20/20/50/10); P3DN kosong = tidak berlaku."""
    kolom_lain = _columns(lain)
    if _is_bobot_table(bobot):
        w = _bobot_table(bobot)
        extra = _weighted_others(w)
        if len(kolom_lain) < len(extra):
            raise UdfGalat(f"tabel Bobot memuat {len(extra)} komponen lain berbobot "
                           f"({', '.join(map(component_label, extra))}); argumen lain baru {len(kolom_lain)} kolom. "
                           "Beri satu kolom capaian per komponen, urut tabel Bobot")
        extra += [f"kolom lain ke-{i}" for i in range(len(extra) + 1, len(kolom_lain) + 1)]  # must stay blank
    else:
        w = _bobot(bobot, len(kolom_lain))
        extra = [k for k in w if k not in COMPONENTS]

    def satu(serapan, fisik, cakin, p3dn, **lain):
        """One row's capaian, checked (the index itself is computed for all rows at once)."""
        nilai = (serapan, fisik, cakin, p3dn, *(lain[k] for k in extra))
        if all(_blank(v) for v in nilai):
            return None
        for k in extra:
            if k not in w and not _blank(lain[k]):
                raise UdfGalat(f"{k} berisi nilai, padahal tabel Bobot tidak punya komponen lain berbobot sebanyak itu")
        angka = [_number(v, component_label(nama), PERCENT) for v, nama in zip(nilai, (*_INDEKS_ARG_NAMES, *extra))]
        for k, x in zip((*COMPONENTS, *extra), angka):
            if x is None and k != "p3dn" and w.get(k, 0) > 0:
                raise UdfGalat(f"capaian {component_label(k)} kosong; komponen ini wajib ada")
            if x is not None and x < 0:
                raise UdfGalat(f"capaian {component_label(k)} negatif ({x:g}); capaian bernilai 0 atau lebih")
        return _Komponen(*(math.nan if x is None else x for x in angka))

    hasil = _map(satu, serapan=serapan, fisik=fisik, cakin=cakin, p3dn=p3dn,
                 **{k: g for k, g in zip(extra, kolom_lain)})
    sel = [(i, j) for i, baris in enumerate(hasil) for j, v in enumerate(baris) if isinstance(v, _Komponen)]
    if sel:
        semua = list(zip(*(hasil[i][j] for i, j in sel)))
        indeks = index_value(*semua[:4], w, dict(zip(extra, semua[4:])))  # one vectorised call over every row
        for (i, j), x in zip(sel, indeks):
            try:
                hasil[i][j] = _plain(float(x))
            except UdfGalat as e:
                hasil[i][j] = galat_text(e)
    return hasil


_INDEKS_ARG_NAMES = tuple(f"nilai {COMPONENT_LABELS[k]}" for k in COMPONENTS)
"""How INDEKS_OPD's messages name its four arguments (in the order of COMPONENTS)."""


def _columns(lain) -> list[list[list]]:
    """The columns of INDEKS_OPD's ``lain`` range, each as an n×1 grid (none when not given)."""
    if lain is None:
        return []
    g = _grid(lain)
    return [[[r[c] if c < len(r) else None] for r in g] for c in range(_shape(g)[1])]


class _Komponen(tuple):
    """The checked capaian (serapan, fisik, cakin, p3dn, then the other components; NaN = blank) of one cell."""

    def __new__(cls, *nilai):
        return super().__new__(cls, nilai)


@xw.func(category=CATEGORY)
@xw.arg("target", doc="Target (angka ≥ 0); satu sel atau range.", **_RANGE)
@xw.arg("realisasi", doc="Realisasi (angka ≥ 0); satu sel atau range seukuran.", **_RANGE)
@xw.arg("arah", doc="Opsional: \"Naik\" (makin tinggi makin baik, bawaan) atau \"Turun\" (makin rendah makin baik).",
        **_RANGE)
@xw.arg("batas", doc=_BATAS_DOC, **_RANGE)
@_cells
def CAPAIAN(target, realisasi, arah=None, batas=None):
    """Capaian dalam persen: Realisasi/Target×100 (Naik) atau (2×Target−Realisasi)/Target×100 (Turun), dibatasi 0–batas."""
    b = _batas(batas)

    def satu(target, realisasi, arah):
        if _blank(target) and _blank(realisasi):
            return None
        arah_teks = normalise_arah(read_text(arah))
        baris = {f: None for f in fields(SHEET_INDIKATOR)}
        baris.update(kode="-", arah=arah_teks, target=_number(target, "target"),
                     realisasi=_number(realisasi, "realisasi"), bobot=math.nan, baris=None)
        df = pd.DataFrame([baris])
        for f in ("tahun", "triwulan", "target", "realisasi", "bobot"):
            df[f] = df[f].astype(float)
        _block_on(checks.check_indikator(df, {"-"}, {"-"}, {}, (0, 0), fields(SHEET_INDIKATOR)), {})
        return float(capaian_indikator(df["target"], df["realisasi"], df["arah"], b)[0])

    return _map(satu, target=target, realisasi=realisasi, arah=arah)


@xw.func(category=CATEGORY)
@_period_args
@xw.arg("tabel_realisasi", doc="Seluruh tabel Realisasi TERMASUK baris judulnya, mis. Realisasi!A1:J500; "
                               "kolom dikenali dari judulnya.", **_RANGE)
@xw.arg("komponen", doc="\"serapan\", \"fisik\", \"p3dn\", \"Ketepatan Waktu\" atau nama komponen tambahan di "
                        "tabel Bobot (nilainya dari kolom Realisasi berjudul nama itu).", **_RANGE)
@xw.arg("batas", doc=_BATAS_DOC, **_RANGE)
@xw.arg("tabel_parameter", doc="Untuk Ketepatan Waktu: range sheet Parameter yang memuat tabel Jadwal (Tahun | "
                               "Triwulan | Batas Pengumpulan) dan, bila diubah, PenguranganPerHari di blok Nama | "
                               "Nilai.", **_RANGE)
@_cells
def KOMPONEN_OPD(kode, tahun, triwulan, tabel_realisasi, komponen, batas=None, tabel_parameter=None):
    """Capaian satu komponen (serapan, fisik, p3dn, Ketepatan Waktu, komponen tambahan) sebuah OPD pada satu periode dari tabel Realisasi; P3DN kosong bila tidak berlaku."""  # noqa: E501 - shown whole in Excel's function dialog
    b = _batas(batas)

    def satu(kode, tahun, triwulan, komponen):
        if _blank(kode):
            return None
        k = _komponen(komponen)
        baku = k in COMPONENT_FIELDS or k == KETEPATAN
        kode, periode, rows, dibaca, kolom = _period_rows(kode, tahun, triwulan, tabel_realisasi, SHEET_REALISASI,
                                                          () if baku else (k,))
        dipakai = COMPONENT_FIELDS.get(k) or (("tanggal_diterima",) if k == KETEPATAN else (k,))
        _block_on(dibaca, kolom, dipakai)
        _block_on(checks.check_realisasi(rows, {kode}, {kode}, kolom, periode, fields(SHEET_REALISASI)), kolom,
                  dipakai)
        if k == KETEPATAN:
            if tabel_parameter is None:
                raise UdfGalat("Ketepatan Waktu perlu tabel_parameter: range sheet Parameter yang memuat tabel Jadwal "
                               "(Tahun | Triwulan | Batas Pengumpulan)")
            p = _jadwal_parameter(_values_key(tabel_parameter))
            _block_on(checks.check_components(rows, {kode}, kolom, periode, p), kolom, dipakai)
            return float(other_capaian(rows, p, *periode).loc[kode, KETEPATAN])
        if k not in COMPONENT_FIELDS:
            return _extra_score(rows, k, kolom, b)
        nilai = component_capaian(rows, b).loc[kode, k]
        if k == "p3dn" and math.isnan(nilai):
            return None  # no P3DN target: not applicable
        return float(nilai)

    return _map(satu, kode=kode, tahun=tahun, triwulan=triwulan, komponen=komponen)


def _extra_score(rows: pd.DataFrame, label: str, kolom: dict, batas: float) -> float:
    """An extra component's score of the OPD's one row, clamped to ``[0, batas]`` (docs/metode.md)."""
    x = float(rows[label].iloc[0])
    sel = f"{SHEET_REALISASI}!{kolom[label]}{rows['baris'].iloc[0]}"
    if math.isnan(x):
        raise UdfGalat(f"{sel}: {label} kosong. Isi skor 0–100 dari Bappeda untuk OPD ini")
    if x < 0:
        raise UdfGalat(f"{sel}: {label} negatif. Isi skor 0–100")
    return float(capaian_score(x, batas))


@xw.func(category=CATEGORY)
@xw.arg("tabel_bobot", doc="Seluruh tabel Bobot (Komponen | Bobot) termasuk judulnya (sheet Parameter).", **_RANGE)
@xw.arg("nomor", doc="1 untuk komponen lain yang pertama, 2 untuk yang kedua, dst.; satu sel atau range.", **_RANGE)
@_cells
def KOMPONEN_LAIN(tabel_bobot, nomor):
    """Nama komponen lain ke-n (Ketepatan Waktu atau komponen tambahan, di luar keempat komponen baku) yang berbobot lebih dari 0, urut tabel Bobot; kosong bila tidak ada."""  # noqa: E501 - shown whole in Excel's function dialog
    lain = _weighted_others(_bobot_table(tabel_bobot))

    def satu(nomor):
        n = _number(nomor, "nomor", WHOLE)
        if n is None or n < 1:
            raise UdfGalat("nomor harus bilangan bulat 1 atau lebih")
        return component_label(lain[int(n) - 1]) if n <= len(lain) else None

    return _map(satu, nomor=nomor)


@xw.func(category=CATEGORY)
@_period_args
@xw.arg("tabel_indikator", doc="Seluruh tabel Indikator TERMASUK baris judulnya, mis. Indikator!A1:J2000; "
                               "kolom dikenali dari judulnya.", **_RANGE)
@xw.arg("batas", doc=_BATAS_DOC, **_RANGE)
@_cells
def CAKIN_OPD(kode, tahun, triwulan, tabel_indikator, batas=None):
    """Capaian kinerja program sebuah OPD pada satu periode: rata-rata (berbobot bila kolom Bobot terisi) capaian indikatornya."""
    b = _batas(batas)

    def satu(kode, tahun, triwulan):
        if _blank(kode):
            return None
        kode, periode, rows, dibaca, kolom = _period_rows(kode, tahun, triwulan, tabel_indikator, SHEET_INDIKATOR)
        _block_on(dibaca, kolom)
        _block_on(checks.check_indikator(rows, {kode}, {kode}, kolom, periode, fields(SHEET_INDIKATOR)), kolom)
        return float(cakin_per_opd(indikator_capaian(rows, b)).loc[kode])

    return _map(satu, kode=kode, tahun=tahun, triwulan=triwulan)


_TABEL_KATEGORI_DOC = ("Opsional: tabel Kategori | Batas Bawah | Warna | Zona termasuk judulnya (sheet Parameter); "
                       "bawaan kategori Permendagri 86/2017.")


def _category_field(indeks, tabel, field: str):
    """``field`` (nama or zona) of the category of each index, rounded as Excel shows it."""
    kategori = _kategori(tabel)

    def satu(indeks):
        x = _number(indeks, "indeks")
        if x is None:
            return None
        k = category_of([round_excel(x)], kategori)[0]
        if k is None:
            raise UdfGalat(f"indeks {x:g} di bawah batas bawah semua kategori")
        return getattr(k, field)

    return _map(satu, indeks=indeks)


def _kategori_args(f):
    """The two documented arguments of KATEGORI_KINERJA and ZONA_OPD."""
    f = xw.arg("tabel_kategori", doc=_TABEL_KATEGORI_DOC, **_RANGE)(f)
    return xw.arg("indeks", doc="Indeks Kinerja OPD; satu sel atau range.", **_RANGE)(f)


@xw.func(category=CATEGORY)
@_kategori_args
@_cells
def KATEGORI_KINERJA(indeks, tabel_kategori=None):
    """Kategori kinerja (Sangat Tinggi … Sangat Rendah) dari indeks yang dibulatkan 2 desimal."""
    return _category_field(indeks, tabel_kategori, "nama")


@xw.func(category=CATEGORY)
@_kategori_args
@_cells
def ZONA_OPD(indeks, tabel_kategori=None):
    """Zona warna (Hijau, Kuning, Merah) dari indeks yang dibulatkan 2 desimal."""
    return _category_field(indeks, tabel_kategori, "zona")


def _all_indices(semua_indeks, semua_kelompok=None) -> tuple[np.ndarray, list]:
    """The rounded indices of every OPD and each one's peer group (:func:`group_key`; None without
    ``semua_kelompok``); blanks and error cells (OPDs not scored) are left out."""
    g = _grid(semua_indeks)
    grup = _grid(semua_kelompok) if semua_kelompok is not None else None
    if grup is not None and _shape(grup) != _shape(g):
        raise UdfGalat(f"semua_kelompok harus seukuran semua_indeks ({_shape(g)[0]}×{_shape(g)[1]})")
    hasil, keys = [], []
    for i, r in enumerate(g):
        for j, v in enumerate(r):
            if _blank(v) or (isinstance(v, str) and v.strip().startswith("#")):
                continue
            hasil.append(round_excel(_number(v, "semua_indeks")))
            keys.append(group_key(read_text(grup[i][j])) if grup is not None else None)
    if not hasil:
        raise UdfGalat("semua_indeks tidak berisi angka indeks")
    return np.array(hasil, dtype=float), keys


def _of_group(semua: np.ndarray, keys: list, kelompok) -> tuple[np.ndarray, str | None]:
    """The indices of the peer group ``kelompok`` (all of them without groups) and its key."""
    if all(k is None for k in keys):
        return semua, None
    key = group_key(read_text(kelompok))
    if key is None:
        raise UdfGalat("kelompok kosong; isi kelompok OPD ini (kolom Kelompok di sheet OPD)")
    sama = np.array([k == key for k in keys])
    if not sama.any():
        raise UdfGalat(f"kelompok '{read_text(kelompok)}' tidak ada di semua_kelompok")
    return semua[sama], key


_SEMUA_DOC = "Range indeks semua OPD yang diperingkat (mis. kolom Indeks di Rekap); sel kosong/galat dilewati."
_KELOMPOK_DOC = "Opsional, dengan kelompok OPD: kelompok OPD ini (satu sel atau range seukuran indeks)."
_SEMUA_KELOMPOK_DOC = "Opsional: range kelompok semua OPD, seukuran semua_indeks; peringkat dihitung di dalam kelompok."


@xw.func(category=CATEGORY)
@xw.arg("indeks", doc="Indeks OPD yang dicari peringkatnya; satu sel atau range.", **_RANGE)
@xw.arg("semua_indeks", doc=_SEMUA_DOC, **_RANGE)
@xw.arg("kelompok", doc=_KELOMPOK_DOC, **_RANGE)
@xw.arg("semua_kelompok", doc=_SEMUA_KELOMPOK_DOC, **_RANGE)
@_cells
def PERINGKAT_OPD(indeks, semua_indeks, kelompok=None, semua_kelompok=None):
    """Peringkat (1 = terbaik) menurut indeks dibulatkan 2 desimal; nilai sama berbagi peringkat (1, 2, 2, 4). Dengan kelompok: peringkat di dalam kelompok."""  # noqa: E501 - shown whole in Excel's function dialog
    semua, keys = _all_indices(semua_indeks, semua_kelompok)

    def satu(indeks, kelompok):
        x = _number(indeks, "indeks")
        if x is None:
            return None
        sekelompok, _ = _of_group(semua, keys, kelompok)
        return int(competition_rank(np.append(sekelompok, round_excel(x)))[-1])

    return _map(satu, indeks=indeks, kelompok=kelompok)


@xw.func(category=CATEGORY)
@xw.arg("indeks", doc="Indeks OPD yang dicari hadiahnya; satu sel atau range.", **_RANGE)
@xw.arg("semua_indeks", doc=_SEMUA_DOC, **_RANGE)
@xw.arg("tabel_hadiah", doc="Opsional: tabel Peringkat | Hadiah | Sumber (| Kelompok) termasuk judulnya (sheet "
                            "Parameter); bawaan 5, 3 dan 1 juta.", **_RANGE)
@xw.arg("kelompok", doc=_KELOMPOK_DOC, **_RANGE)
@xw.arg("semua_kelompok", doc=_SEMUA_KELOMPOK_DOC, **_RANGE)
@_cells
def HADIAH_OPD(indeks, semua_indeks, tabel_hadiah=None, kelompok=None, semua_kelompok=None):
    """Hadiah (rupiah) menurut peringkat (di dalam kelompok bila diberi); OPD yang seri berbagi rata. Tidak memperhitungkan penahanan hadiah saat hasil SEMENTARA."""  # noqa: E501 - shown whole in Excel's function dialog
    hadiah = _hadiah(tabel_hadiah)
    semua, keys = _all_indices(semua_indeks, semua_kelompok)
    prizes: dict = {}  # per group: its prize of every index, computed once

    def satu(indeks, kelompok):
        x = _number(indeks, "indeks")
        if x is None:
            return None
        sekelompok, key = _of_group(semua, keys, kelompok)
        sama = np.flatnonzero(sekelompok == round_excel(x))
        if sama.size == 0:
            raise UdfGalat(f"indeks {x:g} tidak ada di semua_indeks; sertakan indeks OPD ini di range semua_indeks")
        if key not in prizes:
            prizes[key] = allocate_prizes(competition_rank(sekelompok), prizes_for_group(hadiah, key))
        return int(prizes[key][sama[0]])

    return _map(satu, indeks=indeks, kelompok=kelompok)


UDFS = (INDEKS_OPD, CAPAIAN, KOMPONEN_OPD, KOMPONEN_LAIN, CAKIN_OPD, KATEGORI_KINERJA, ZONA_OPD, PERINGKAT_OPD,
        HADIAH_OPD)
"""Every custom function of this module, in the order the user guide lists them."""
