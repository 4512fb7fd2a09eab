"""File shell, reading side: a contract workbook on disk (.xlsx/.xlsm) to a ``DataMasukan``.

openpyxl in read-only mode with cached values (``data_only``): formulas are never evaluated
and macros are never run. Any reason the file cannot be opened is an Indonesian message
(``BukuTidakBisaDipakai``), never a traceback.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from indeks_opd.core.masukan import DataMasukan
from indeks_opd.kontrak import NAMA_TUNGGAL, baca_kontrak
from indeks_opd.lembar import Lembar, normal
from indeks_opd.masalah import BukuTidakBisaDipakai, galat

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def buka_buku(path: Path | str, read_only: bool = True, data_only: bool = True):
    """Open a workbook with openpyxl, turning every failure into ``BukuTidakBisaDipakai``."""
    path = Path(path)
    if not path.exists():
        raise BukuTidakBisaDipakai([galat(f"Berkas '{path}' tidak ditemukan. Periksa nama dan foldernya.",
                                          sheet=None)])
    if path.is_dir():
        raise BukuTidakBisaDipakai([galat(f"'{path}' adalah folder, bukan berkas buku kerja.")])
    with open(path, "rb") as f:
        awal = f.read(8)
    if awal == _OLE:
        raise BukuTidakBisaDipakai([galat(
            f"Berkas '{path.name}' terkunci kata sandi atau berformat .xls lama. Buka di Excel, hapus kata "
            "sandinya, lalu simpan sebagai .xlsx atau .xlsm.")])
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise BukuTidakBisaDipakai([galat(
            f"Berkas '{path.name}' tidak dapat dibaca sebagai buku kerja Excel (.xlsx/.xlsm): {e}. "
            "Simpan ulang dari Excel sebagai .xlsx.")]) from None


def lembar_openpyxl(ws) -> Lembar:
    """All values and number formats of a worksheet (read-only or normal) as a ``Lembar``."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # files written by other tools may declare a wrong size
    nilai, fmt = [], []
    for baris in ws.iter_rows():
        nilai.append([c.value for c in baris])
        fmt.append([getattr(c, "number_format", None) for c in baris])
    return Lembar(ws.title, nilai, fmt)


def nama_terdefinisi(wb, lembar: dict[str, Lembar]) -> dict:
    """Global defined names of the single parameters, resolved to (value, format, lokasi)."""
    hasil = {}
    dicari = {normal(n) for n in NAMA_TUNGGAL}
    for nama, dn in wb.defined_names.items():
        if normal(nama) not in dicari:
            continue
        tujuan = list(dn.destinations) if dn.attr_text and "!" in dn.attr_text else []
        if not tujuan:
            hasil[nama] = (dn.attr_text.lstrip("="), None, dict(sheet="Parameter"))
            continue
        sheet, ref = tujuan[0]
        ls = next((l for n, l in lembar.items() if n == sheet), None)
        if ls is None:
            continue
        kolom, baris, _, _ = range_boundaries(ref.replace("$", "").split(":")[0])
        i, j = baris - ls.baris_awal, kolom - ls.kolom_awal
        huruf, _ = coordinate_from_string(ref.replace("$", "").split(":")[0])
        hasil[nama] = (ls.sel(i, j), ls.format_sel(i, j), dict(sheet=sheet, baris=baris, kolom=huruf))
    return hasil


def baca_berkas(path: Path | str) -> DataMasukan:
    """Read a contract workbook from disk."""
    wb = buka_buku(path)
    try:
        lembar = {ws.title: lembar_openpyxl(ws) for ws in wb.worksheets
                  if normal(ws.title) in {"parameter", "opd", "realisasi", "indikator"}}
        names = nama_terdefinisi(wb, lembar)
    finally:
        wb.close()
    return baca_kontrak(lembar, names)
