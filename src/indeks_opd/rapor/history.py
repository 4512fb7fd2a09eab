"""History of the quarterly results: the workbook's ``Riwayat`` sheet, or the core on every period.

``Riwayat`` (written by *Hitung Indeks*, docs/kontrak.md) is
the published record, so the reports take the quarters it holds from it as they are. Every
earlier quarter the data holds that ``Riwayat`` lacks (an empty sheet in a fresh master, a
quarter imported but never computed) is computed with the core, and the source says so.
The period being reported is always the fresh core result (it replaces that period's
Riwayat rows, exactly as *Hitung Indeks* would).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from indeks_opd.contract.numbers import NUMBER, WHOLE, read_number, read_text
from indeks_opd.contract.output_sheets import RIWAYAT_HEADERS as _SHEET_HEADERS
from indeks_opd.contract.output_sheets import SHEET_RIWAYAT
from indeks_opd.contract.sheets import find_header_row, header_key
from indeks_opd.core import InputData, PeriodResult, compute_period
from indeks_opd.core.masalah import Masalah, peringatan
from indeks_opd.files.reader import opened, sheet_from_openpyxl
from indeks_opd.present import fmt

HISTORY_COLUMNS = ("tahun", "triwulan", "kode", "nama", "serapan", "fisik", "cakin", "p3dn", "indeks", "peringkat",
                   "kategori", "zona", "hadiah", "terendah", "sementara", "kelompok")
RIWAYAT_HEADERS = {**dict(zip(_SHEET_HEADERS[:15], HISTORY_COLUMNS)), "Kelompok": "kelompok"}
"""Riwayat headers as *Hitung Indeks* writes them (:mod:`indeks_opd.contract.output_sheets`, without ``Dihitung Pada``;
``Kelompok`` only with peer groups) → history fields."""
_NUMBERS = {"tahun": WHOLE, "triwulan": WHOLE, "serapan": NUMBER, "fisik": NUMBER, "cakin": NUMBER, "p3dn": NUMBER,
            "indeks": NUMBER, "peringkat": WHOLE, "hadiah": NUMBER}
_REQUIRED = ("tahun", "triwulan", "kode", "indeks", "peringkat")
SOURCE_RIWAYAT = "sheet Riwayat"
SOURCE_COMPUTED = "dihitung ulang dari data"


def rows_of_result(hasil: PeriodResult) -> pd.DataFrame:
    """One history row per ranked OPD of a period result."""
    df = hasil.hasil.copy()
    df.insert(0, "triwulan", hasil.triwulan)
    df.insert(0, "tahun", hasil.tahun)
    df["sementara"] = hasil.sementara
    return df[list(HISTORY_COLUMNS)]


def read_riwayat(path: Path | str) -> tuple[pd.DataFrame | None, list[Masalah]]:
    """The Riwayat sheet of a workbook as history rows; ``None`` when there is no usable Riwayat sheet.

    A row that cannot be read is left out with a warning at its cell.
    """
    with opened(path) as wb:
        ws = next((w for w in wb.worksheets if header_key(w.title) == header_key(SHEET_RIWAYAT)), None)
        sheet = sheet_from_openpyxl(ws) if ws is not None else None
    if sheet is None:
        return None, []
    i, peta, _ = find_header_row(sheet, {header_key(h): f for h, f in RIWAYAT_HEADERS.items()})
    if i < 0 or any(f not in peta for f in _REQUIRED):
        return None, [peringatan("Sheet Riwayat tidak memuat judul kolom yang diperlukan (Tahun, Triwulan, Kode OPD, "
                                 "Indeks, Peringkat); riwayat dihitung ulang dari data.", sheet=SHEET_RIWAYAT)]
    masalah: list[Masalah] = []
    rows = []
    for r in range(i + 1, len(sheet.values)):
        rec, salah = {}, None
        if all(sheet.cell(r, j) in (None, "") for j in peta.values()):
            continue
        for f in HISTORY_COLUMNS:
            v = sheet.cell(r, peta[f]) if f in peta else None
            if f in _NUMBERS:
                x, pesan = read_number(v, _NUMBERS[f], sheet.cell_format(r, peta[f]) if f in peta else None)
                if pesan or (x is None and f in _REQUIRED):
                    salah = salah or (f, pesan or "kosong")
                rec[f] = math.nan if x is None else x
            elif f in ("terendah", "sementara"):
                rec[f] = header_key(read_text(v) or "") == "ya"
            else:
                rec[f] = read_text(v)
        if salah or not rec["kode"]:
            f, pesan = salah or ("kode", "kosong")
            label = next(h for h, g in RIWAYAT_HEADERS.items() if g == f)
            masalah.append(peringatan(f"Baris Riwayat dilewati: {label} {pesan}.", sheet=SHEET_RIWAYAT,
                                      baris=sheet.row_number(r), kolom=sheet.column_letter(peta.get(f, 0))))
            continue
        rows.append(rec)
    df = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    for f in ("tahun", "triwulan", "peringkat"):
        df[f] = df[f].astype(int)
    df["hadiah"] = df["hadiah"].fillna(0).astype(int)
    return df, masalah


def history_source(from_riwayat: bool, computed: list[tuple[int, int]]) -> str:
    """Where the history came from, as the reports' notes say it."""
    if not from_riwayat:
        return SOURCE_COMPUTED
    if not computed:
        return SOURCE_RIWAYAT
    periode = ", ".join(fmt.periode_pendek(t, w) for t, w in computed)
    return f"{SOURCE_RIWAYAT}; {periode} tidak ada di Riwayat, {SOURCE_COMPUTED}"


def load_history(path: Path | str, data: InputData, current: PeriodResult) -> tuple[pd.DataFrame, str, list[Masalah]]:
    """History up to ``current``'s period, sorted by tahun, triwulan, peringkat, nama; its source; warnings.

    Quarters from Riwayat where it has them, computed from the data where it does not.
    """
    riwayat, masalah = read_riwayat(path)
    sekarang = (current.tahun, current.triwulan)
    tercatat = set() if riwayat is None else set(zip(riwayat["tahun"], riwayat["triwulan"])) - {sekarang}
    dihitung = [p for p in data.periods() if p < sekarang and p not in tercatat]
    bagian = [rows_of_result(compute_period(data, t, w)) for t, w in dihitung] + [rows_of_result(current)]
    if riwayat is not None:
        bagian.insert(0, riwayat[(riwayat["tahun"] != current.tahun) | (riwayat["triwulan"] != current.triwulan)])
    semua = pd.concat([d for d in bagian if not d.empty], ignore_index=True)
    semua = semua.sort_values(["tahun", "triwulan", "peringkat", "nama"], kind="stable").reset_index(drop=True)
    return semua, history_source(riwayat is not None, dihitung), masalah
