"""Layout of the Bappeda master workbook ``xlsm/IndeksKinerjaOPD.xlsm`` (issue 4), with XlsxWriter.

Sheets: ``Petunjuk`` (how-to), ``Parameter`` (tables Bobot / Kategori / Hadiah and the single
values as defined names and a Nama | Nilai block), the input tables ``OPD``, ``Realisasi``,
``Indikator`` (Excel tables with data validation and Indonesian messages), ``Rekap`` (every
active OPD of the active period computed live by the Python UDFs, per-row formulas that
Excel 2016 understands, category colours by conditional formatting), the output sheets
``Peringkat``, ``Riwayat``, ``Masalah``, ``Log`` (headers of the output contract, filled by
*Hitung Indeks*) and ``xlwings.conf``.

The sample rows (CONTOH) come from :func:`indeks_opd.files.sample.sample_rows`. Formula cells of
``Rekap`` carry cached results computed by the core for the sample, so that a reader that
does not evaluate formulas (openpyxl, LibreOffice, a preview) shows what Excel will show.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from indeks_opd import __version__
from indeks_opd.artefacts import document_properties
from indeks_opd.artefacts.package import refuse_overlapping_validations, set_main_content_type
from indeks_opd.contract import default_headers
from indeks_opd.contract.output_sheets import (
    FORMAT_DECIMAL,
    FORMAT_RUPIAH,
    LOG_HEADERS,
    MASALAH_HEADERS,
    PERINGKAT_HEADER_ROW,
    PERINGKAT_HEADERS,
    RIWAYAT_HEADERS,
    SHEET_LOG,
    SHEET_MASALAH,
    SHEET_PERINGKAT,
    SHEET_RIWAYAT,
)
from indeks_opd.core.parameter import COMPONENT_LABELS, COMPONENTS, Parameter
from indeks_opd.core.period import Period
from indeks_opd.files.sample import YEAR, sample_rows
from indeks_opd.present import style

WORKBOOK_NAME = "IndeksKinerjaOPD.xlsm"
SAMPLE_PERIOD = (YEAR, 4)
MACRO_HITUNG = "HitungIndeks"
"""The VBA macro behind every *Hitung Indeks* button."""

SHEETS = ("Petunjuk", "Parameter", "OPD", "Realisasi", "Indikator", "Rekap", "Peringkat", "Riwayat", "Masalah",
          "Log", "xlwings.conf")

OUTPUT_HEADERS = {SHEET_PERINGKAT: PERINGKAT_HEADERS, SHEET_RIWAYAT: RIWAYAT_HEADERS, SHEET_MASALAH: MASALAH_HEADERS,
                  SHEET_LOG: LOG_HEADERS}
"""Headers of the output sheets (the output contract of :mod:`indeks_opd.contract.output_sheets`)."""

XLWINGS_CONF = [
    ("UDF Modules", "indeks_opd.udfs"),
    ("Debug UDFs", False),
    ("Use UDF Server", False),
    ("Show Console", False),
    ("ADD_WORKBOOK_TO_PYTHONPATH", False),
]
"""Settings of the ``xlwings.conf`` sheet (read by the xlwings add-in from A1 down to the first blank row).

``ADD_WORKBOOK_TO_PYTHONPATH`` is off because the code is an installed package, not a file next
to the workbook: this keeps a workbook on OneDrive/SharePoint (whose path is a URL) working.
The interpreter is deliberately not set here: ``xlwings addin install`` writes it to the
user's own ``.xlwings/xlwings.conf``, and a value here would override it on every PC.
"""

NUMBER_FORMATS = {"code": "@", "money": FORMAT_RUPIAH, "fisik": FORMAT_DECIMAL, "capaian": FORMAT_DECIMAL,
                  "number": "General", "whole": "0", "year": "0", "triwulan": "0"}
"""Number format of each kind of cell; Excel shows them with the PC's separators (Rp1.250.000 in Indonesian)."""
INPUT_FILL, COMPUTED_FILL, HEADER_FILL, SAMPLE_FILL = f"#{style.INPUT}", "#DDEBF7", f"#{style.HEADER}", "#F8CBAD"
GRID, NOTE = f"#{style.GRID}", f"#{style.NOTE}"
DATA_VALIDATION_LAST_ROW = 5000
"""Validations cover the table rows and the rows below, so a table that grows keeps them."""

REKAP_FIRST_ROW = 6  # Excel row of the first OPD in Rekap (headers in row 5)
REKAP_ROWS = 80
"""Slots in Rekap: more active OPDs than this and Rekap says so in row 3."""

CF_PALETTE = ("00B050", "92D050", "FFFF00", "FFC000", "FF0000", "C00000", "00B0F0", "0070C0", "002060", "7030A0",
              "A6A6A6", "FFFFFF")
"""Category colours Rekap can show by conditional formatting (defaults first, then Excel's standard colours).

A category colour outside this palette is left to the fill that *Hitung Indeks* writes.
"""
_DARK = {"C00000", "0070C0", "002060", "7030A0"}


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text, code, money, fisik, number, whole, year, triwulan
    validation: dict | None = None


def _whole(minimum, maximum, judul, pesan) -> dict:
    return {"validate": "integer", "criteria": "between", "minimum": minimum, "maximum": maximum,
            "input_title": judul, "input_message": pesan, "error_title": "Nilai tidak sah",
            "error_message": pesan}


def _decimal(criteria, pesan, judul, **batas) -> dict:
    return {"validate": "decimal", "criteria": criteria, **batas, "input_title": judul, "input_message": pesan,
            "error_title": "Nilai tidak sah", "error_message": pesan}


def _list(source, judul, pesan) -> dict:
    return {"validate": "list", "source": source, "input_title": judul, "input_message": pesan,
            "error_title": "Pilihan tidak sah", "error_message": pesan}


TAHUN = _whole(2000, 2100, "Tahun", "Isi tahun empat angka, mis. 2024.")
TRIWULAN = _whole(1, 4, "Triwulan", "Isi 1, 2, 3 atau 4 (triwulan I–IV).")
KODE_LIST = _list("=DaftarKodeOPD", "Kode OPD", "Pilih Kode OPD yang ada di sheet OPD. OPD baru: tambahkan dulu "
                                                "di sheet OPD.")


def _money(judul):
    return _decimal(">=", "Isi rupiah sebagai angka ≥ 0 (tanpa 'Rp' dan titik), kumulatif s.d. triwulan.",
                    judul, value=0)


def _fisik(judul):
    return _decimal("between", "Isi persen 0–100 (mis. 75,5), kumulatif s.d. triwulan.", judul, minimum=0,
                    maximum=100)


ANY_NUMBER = dict(minimum=-1e15, maximum=1e15)

INPUT_COLUMNS = {
    "OPD": [
        Column("Kode OPD", 11, "code", {
            "validate": "custom", "value": "=COUNTIF($A:$A,$A4)=1", "input_title": "Kode OPD",
            "input_message": "Kode unik OPD, mis. 2.15. Ditulis sebagai teks.", "error_title": "Kode ganda",
            "error_message": "Kode OPD ini sudah dipakai OPD lain. Setiap OPD harus punya kode sendiri."}),
        Column("Nama OPD", 52),
        Column("Singkatan", 14),
        Column("Aktif", 9, validation=_list(["Ya", "Tidak"], "Aktif", "Pilih Ya (dinilai) atau Tidak (tidak dinilai).")),
    ],
    "Realisasi": [
        Column("Tahun", 8, "year", TAHUN), Column("Triwulan", 9, "triwulan", TRIWULAN),
        Column("Kode OPD", 10, "code", KODE_LIST),
        Column("Pagu Anggaran", 19, "money", _money("Pagu Anggaran")),
        Column("Target Keuangan", 19, "money", _money("Target Keuangan")),
        Column("Realisasi Keuangan", 19, "money", _money("Realisasi Keuangan")),
        Column("Target Fisik", 11, "fisik", _fisik("Target Fisik")),
        Column("Realisasi Fisik", 11, "fisik", _fisik("Realisasi Fisik")),
        Column("Target P3DN", 19, "money", _decimal(
            ">=", "Rupiah ≥ 0. Kosongkan bila OPD tidak punya target belanja produk dalam negeri (P3DN tidak "
                  "dinilai, bobotnya dibagi ke komponen lain).", "Target P3DN", value=0)),
        Column("Realisasi P3DN", 19, "money", _money("Realisasi P3DN")),
    ],
    "Indikator": [
        Column("Tahun", 8, "year", TAHUN), Column("Triwulan", 9, "triwulan", TRIWULAN),
        Column("Kode OPD", 10, "code", KODE_LIST),
        Column("Program", 45), Column("Indikator", 45), Column("Satuan", 12),
        Column("Arah", 8, validation=_list(["Naik", "Turun"], "Arah", "Naik: makin tinggi makin baik. Turun: makin "
                                                                      "rendah makin baik (mis. angka kecelakaan).")),
        Column("Target", 11, "number", _decimal("between", "Isi angka target indikator.", "Target", **ANY_NUMBER)),
        Column("Realisasi", 11, "number", _decimal("between", "Isi angka realisasi indikator.", "Realisasi",
                                                   **ANY_NUMBER)),
        Column("Bobot", 8, "number", _decimal(">=", "Opsional: bobot indikator ≥ 0. Kosong semua = rata-rata biasa.",
                                              "Bobot", value=0)),
    ],
}
"""Input tables: contract headers (in contract order), widths, number kinds and validations."""
for _sheet, _cols in INPUT_COLUMNS.items():
    assert [c.header for c in _cols] == list(default_headers(_sheet)), _sheet

DATA_TITLES = {
    "OPD": "Daftar OPD (Organisasi Perangkat Daerah)",
    "Realisasi": "Realisasi anggaran, fisik dan P3DN per triwulan (kumulatif s.d. triwulan)",
    "Indikator": "Indikator kinerja program per triwulan",
}
DATA_HEADER_ROW = 3  # Excel row of the table headers on OPD/Realisasi/Indikator
CONTOH_TEXT = ("CONTOH — semua angka di sheet ini fiktif, untuk peragaan. Ganti dengan data OPD Anda "
               "(baris bertanda CONTOH di kolom Keterangan).")

TABLE_NAMES = {"OPD": "tblOPD", "Realisasi": "tblRealisasi", "Indikator": "tblIndikator"}


# --- Rekap -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RekapColumn:
    header: str
    width: float
    formula: str  # for row {r}; columns by letter below
    kind: str = "text"  # a key of NUMBER_FORMATS, as for Column
    hidden: bool = False


_GUARD = 'IF($B{r}="","",{f})'
REKAP_COLUMNS = [
    RekapColumn("No", 5, 'IF($B{r}="","",ROWS($B${first}:$B{r}))', "whole"),
    RekapColumn("Kode OPD", 10, 'IF($N{r}="","",""&INDEX(tblOPD[Kode OPD],$N{r}))'),
    RekapColumn("Nama OPD", 48, 'IF($N{r}="","",""&INDEX(tblOPD[Nama OPD],$N{r}))'),
    RekapColumn("Singkatan", 13, 'IF($N{r}="","",""&INDEX(tblOPD[Singkatan],$N{r}))'),
    RekapColumn("Serapan Anggaran", 11, _GUARD.replace(
        "{f}", 'KOMPONEN_OPD($B{r},TahunAktif,TriwulanAktif,tblRealisasi[#All],"serapan",BatasCapaian)'), "capaian"),
    RekapColumn("Realisasi Fisik", 11, _GUARD.replace(
        "{f}", 'KOMPONEN_OPD($B{r},TahunAktif,TriwulanAktif,tblRealisasi[#All],"fisik",BatasCapaian)'), "capaian"),
    RekapColumn("Capaian Kinerja Program", 12, _GUARD.replace(
        "{f}", "CAKIN_OPD($B{r},TahunAktif,TriwulanAktif,tblIndikator[#All],BatasCapaian)"), "capaian"),
    RekapColumn("P3DN", 11, _GUARD.replace(
        "{f}", 'KOMPONEN_OPD($B{r},TahunAktif,TriwulanAktif,tblRealisasi[#All],"p3dn",BatasCapaian)'), "capaian"),
    RekapColumn("Indeks", 10, _GUARD.replace("{f}", "INDEKS_OPD($E{r},$F{r},$G{r},$H{r},tblBobot[Bobot])"), "capaian"),
    RekapColumn("Kategori", 14, _GUARD.replace("{f}", "KATEGORI_KINERJA($I{r},tblKategori[#All])")),
    RekapColumn("Zona", 9, _GUARD.replace("{f}", "ZONA_OPD($I{r},tblKategori[#All])")),
    RekapColumn("Peringkat", 10, _GUARD.replace("{f}", "PERINGKAT_OPD($I{r},$I${first}:$I${last})"), "whole"),
    RekapColumn("Perkiraan Hadiah", 15, _GUARD.replace(
        "{f}", "HADIAH_OPD($I{r},$I${first}:$I${last},tblHadiah[#All])"), "money"),
    RekapColumn("Baris OPD", 9, 'IFERROR(_xlfn.AGGREGATE(15,6,ROW(tblOPD[Kode OPD])/((tblOPD[Aktif]<>"Tidak")*'
                                '(tblOPD[Kode OPD]<>"")),ROWS($N${first}:$N{r}))-ROW(INDEX(tblOPD[Kode OPD],1))+1,"")',
                "whole", hidden=True),
    RekapColumn("Warna", 9, 'IF($J{r}="","",IFERROR(SUBSTITUTE(UPPER(INDEX(tblKategori[Warna],'
                            'MATCH($J{r},tblKategori[Kategori],0))),"#",""),""))', hidden=True),
]
"""Rekap columns A..O: per-row formulas (no dynamic arrays). N finds the row of the n-th active OPD
in ``tblOPD`` (AGGREGATE ignores the division-by-zero of inactive rows); O is the category colour
that the conditional formats match."""
assert [xl_col_to_name(i) for i, c in enumerate(REKAP_COLUMNS) if c.hidden] == ["N", "O"]
UDF_NAMES = ("INDEKS_OPD", "KOMPONEN_OPD", "CAKIN_OPD", "KATEGORI_KINERJA", "ZONA_OPD", "PERINGKAT_OPD", "HADIAH_OPD")


def rekap_formula(column: RekapColumn, row: int) -> str:
    last = REKAP_FIRST_ROW + REKAP_ROWS - 1
    return "=" + column.formula.format(r=row, first=REKAP_FIRST_ROW, last=last)


# --- Parameter -------------------------------------------------------------------------------

PARAMETER_TABLES = {"tblBobot": (4, 0), "tblKategori": (11, 0), "tblHadiah": (19, 0), "tblNilai": (4, 5)}
"""(header row, first column) of each Parameter table, Excel rows 1-based, columns 0-based."""

SINGLE_VALUE_HELP = {
    "TahunAktif": ("Tahun yang dihitung di Rekap dan oleh Hitung Indeks.", TAHUN),
    "TriwulanAktif": ("Triwulan yang dihitung (1–4).", TRIWULAN),
    "BatasCapaian": ("Batas atas setiap capaian (persen), bawaan 100.",
                     _decimal(">=", "Isi angka ≥ 100 (bawaan 100).", "BatasCapaian", value=100)),
    "JumlahTerendah": ("Berapa OPD terendah yang disebut (seri ikut).",
                       _whole(0, 100, "JumlahTerendah", "Isi bilangan bulat ≥ 0 (bawaan 3).")),
    "IzinkanHadiahSementara": ("Ya: hadiah tetap dibagi walau hasil SEMENTARA (ada galat data).",
                               _list(["Ya", "Tidak"], "IzinkanHadiahSementara", "Pilih Ya atau Tidak.")),
    "AturanTahunan": ("Nilai tahunan: TW IV atau Rata-rata keempat triwulan.",
                      _list(["TW IV", "Rata-rata"], "AturanTahunan", "Pilih TW IV atau Rata-rata.")),
}


def single_values(p: Parameter, tahun: int, triwulan: int) -> list[tuple[str, object]]:
    return [("TahunAktif", tahun), ("TriwulanAktif", triwulan), ("BatasCapaian", p.batas_capaian),
            ("JumlahTerendah", p.jumlah_terendah),
            ("IzinkanHadiahSementara", "Ya" if p.izinkan_hadiah_sementara else "Tidak"),
            ("AturanTahunan", p.aturan_tahunan)]


# --- building --------------------------------------------------------------------------------

class _Formats:
    """The workbook's cell formats, created once."""

    FONT = {"font_name": "Calibri", "font_size": 10}

    def __init__(self, wb):
        base = {**self.FONT, "valign": "top"}
        self.wb = wb
        self.header = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL,
                                     "text_wrap": True, "valign": "vcenter", "border": 1, "border_color": GRID})
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "font_color": HEADER_FILL})
        self.note = wb.add_format({**base, "italic": True, "font_color": NOTE})
        self.contoh = wb.add_format({**base, "bold": True, "bg_color": SAMPLE_FILL, "font_color": "#833C0B"})
        self.text = wb.add_format({**base, "text_wrap": True})
        self.bold = wb.add_format({**base, "bold": True})
        self._cache: dict = {}

    def _numbered(self, key: tuple, kind: str, spec: dict):
        """The format of ``spec`` with the number format of ``kind``, created on first use."""
        if key not in self._cache:
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            self._cache[key] = self.wb.add_format(spec)
        return self._cache[key]

    def cell(self, kind: str, role: str):
        """Format of an input (``role='input'``) or computed (``'computed'``) cell of a kind."""
        return self._numbered((kind, role), kind, {
            **self.FONT, "border": 1, "border_color": GRID, "valign": "top", "locked": role != "input",
            "bg_color": INPUT_FILL if role == "input" else COMPUTED_FILL,
            **{"triwulan": {"align": "center"}, "text": {"text_wrap": True}}.get(kind, {})})

    def column(self, kind: str):
        """Column-wide format below a table: the number format, unlocked, no fill."""
        return self._numbered((kind, "column"), kind, {"locked": False, **self.FONT})


def _validate(ws, first_row: int, col: int, last_row: int, validation: dict) -> None:
    ws.data_validation(first_row, col, last_row, col, dict(validation))


def _print_setup(ws, header_row: int, landscape: bool = True) -> None:
    """A4, one page wide, the header row (1-based) repeated on every page, sheet name in the page header."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row - 1)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header('&L&"Calibri,Bold"Indeks Kinerja OPD&R&A')
    ws.set_footer("&LDicetak &D&RHalaman &P dari &N")


def _write_input_sheet(wb, fmt: _Formats, nama: str, rows: list[list]) -> None:
    ws = wb.add_worksheet(nama)
    ws.set_tab_color(INPUT_FILL)
    cols = INPUT_COLUMNS[nama]
    header_row = DATA_HEADER_ROW - 1  # 0-based
    ws.write_string(0, 0, DATA_TITLES[nama], fmt.title)
    ws.write_string(1, 0, CONTOH_TEXT, fmt.contoh)
    ws.set_row(0, 22)
    ws.set_row(header_row, 30)
    data = [list(r) + ["CONTOH"] for r in rows[1:]]
    assert rows[0] == [c.header for c in cols], nama
    last_row = header_row + max(len(data), 1)
    for j, c in enumerate(cols):
        ws.set_column(j, j, c.width, fmt.column(c.kind))
    ws.set_column(len(cols), len(cols), 13, fmt.column("text"))
    columns = [{"header": c.header, "header_format": fmt.header, "format": fmt.cell(c.kind, "input")} for c in cols]
    columns.append({"header": "Keterangan", "header_format": fmt.header, "format": fmt.cell("text", "input")})
    ws.add_table(header_row, 0, last_row, len(cols), {
        "name": TABLE_NAMES[nama], "columns": columns, "data": data or None, "style": "Table Style Light 9",
        "autofilter": True})
    for j, c in enumerate(cols):
        if c.validation:
            _validate(ws, header_row + 1, j, DATA_VALIDATION_LAST_ROW, c.validation)
    ws.freeze_panes(DATA_HEADER_ROW, 0)
    _print_setup(ws, DATA_HEADER_ROW)


def _write_parameter(wb, fmt: _Formats, p: Parameter, tahun: int, triwulan: int) -> None:
    ws = wb.add_worksheet("Parameter")
    ws.set_tab_color(INPUT_FILL)
    ws.write_string(0, 0, "Parameter Indeks Kinerja OPD", fmt.title)
    ws.write_string(1, 0, "Sel kuning boleh diubah. Bobot harus berjumlah 100; batas bawah kategori menurun dari "
                          "atas ke bawah (kategori terbawah: kosong). Nama tabel dan judul kolom jangan diubah.",
                    fmt.note)
    for j, w in enumerate((28, 14, 12, 12, 3, 24, 12, 62)):
        ws.set_column(j, j, w)
    inp = fmt.cell

    def table(name, columns, data, validations=()):
        r, c = PARAMETER_TABLES[name]
        ws.add_table(r - 1, c, r - 1 + len(data), c + len(columns) - 1, {
            "name": name, "style": "Table Style Light 9", "autofilter": False, "data": data,
            "columns": [{"header": h, "header_format": fmt.header, "format": inp(kind, role)}
                        for h, kind, role in columns]})
        for j, v in validations:  # exactly the table's data cells: a row added in Excel inherits the rule
            _validate(ws, r, c + j, r - 1 + len(data), v)

    table("tblBobot", [("Komponen", "text", "computed"), ("Bobot", "number", "input")],
          [[COMPONENT_LABELS[k], p.bobot[k]] for k in COMPONENTS],
          [(1, _decimal("between", "Bobot komponen 0–100; jumlah keempat bobot harus 100.", "Bobot",
                        minimum=0, maximum=100))])
    r, c = PARAMETER_TABLES["tblBobot"]
    ws.write_string(r - 1, 3, "Jumlah Bobot", fmt.header)
    ws.write_formula(r, 3, "=SUM(tblBobot[Bobot])", inp("number", "computed"), sum(p.bobot.values()))
    ws.conditional_format(r, 3, r, 3, {"type": "cell", "criteria": "!=", "value": 100,
                                       "format": wb.add_format({"bg_color": "#FF0000", "font_color": "#FFFFFF"})})
    ws.write_string(r + 1, 3, "harus 100", fmt.note)

    r, _ = PARAMETER_TABLES["tblKategori"]
    table("tblKategori", [("Kategori", "text", "input"), ("Batas Bawah", "number", "input"),
                          ("Warna", "colour", "input"), ("Zona", "text", "input")],
          [[k.nama, None if math.isinf(k.batas_bawah) else k.batas_bawah, k.warna, k.zona] for k in p.kategori],
          [(1, _decimal("between", "Nilai indeks terendah kategori ini (inklusif). Kosongkan untuk kategori "
                                   "terbawah.", "Batas Bawah", minimum=0, maximum=1000)),
           (2, {"validate": "custom", "value": f'=AND(LEN(C{r + 1})=7,LEFT(C{r + 1},1)="#")', "input_title": "Warna",
                "input_message": "Kode warna #RRGGBB, mis. #00B050 (hijau).", "error_title": "Warna tidak sah",
                "error_message": "Tulis kode warna 7 karakter diawali #, mis. #00B050."})])
    # the Warna cells show their colour while it is one of the palette's, also after an edit
    _palette_fills(wb, ws, f"C{r + 1}:C{r + len(p.kategori)}", lambda warna: f'=UPPER(C{r + 1})="#{warna}"')
    ws.write_string(r - 2, 0, "Kategori dan zona (Permendagri 86/2017)", fmt.bold)

    table("tblHadiah", [("Peringkat", "whole", "input"), ("Hadiah", "money", "input"), ("Sumber", "text", "input")],
          [[h.peringkat, h.jumlah, h.sumber] for h in p.hadiah],
          [(0, _whole(1, 1000, "Peringkat", "Peringkat yang diberi hadiah (1, 2, 3, ...).")),
           (1, _decimal(">=", "Hadiah dalam rupiah bulat ≥ 0.", "Hadiah", value=0))])
    ws.write_string(PARAMETER_TABLES["tblHadiah"][0] - 2, 0, "Hadiah (dibagi rata bila peringkat seri)", fmt.bold)

    nilai = single_values(p, tahun, triwulan)
    r, c = PARAMETER_TABLES["tblNilai"]
    table("tblNilai", [("Nama", "text", "computed"), ("Nilai", "number", "input"), ("Keterangan", "text", "computed")],
          [[n, v, SINGLE_VALUE_HELP[n][0]] for n, v in nilai])
    for i, (n, _v) in enumerate(nilai):
        cell = f"Parameter!${xl_col_to_name(c + 1)}${r + 1 + i}"
        wb.define_name(n, "=" + cell)
        _validate(ws, r + i, c + 1, r + i, SINGLE_VALUE_HELP[n][1])
    _print_setup(ws, 1)


def _write_rekap(wb, fmt: _Formats, cached: list[dict] | None, tahun: int, triwulan: int) -> None:
    ws = wb.add_worksheet("Rekap")
    ws.set_tab_color("#00B050")
    first, last = REKAP_FIRST_ROW, REKAP_FIRST_ROW + REKAP_ROWS - 1
    ws.write_formula(0, 0, '="Rekap Indeks Kinerja OPD — Tahun "&TahunAktif&" Triwulan "&ROMAN(TriwulanAktif)',
                     fmt.title, f"Rekap Indeks Kinerja OPD — {Period(tahun, triwulan).title()}")
    ws.write_string(1, 0, "Dihitung langsung oleh fungsi Python (xlwings) dari sheet OPD, Realisasi, Indikator dan "
                          "Parameter. Peringkat resmi, hadiah, riwayat dan daftar masalah: tekan Hitung Indeks.",
                    fmt.note)
    ws.write_formula(2, 0, f'=IF(COUNTIFS(tblOPD[Kode OPD],"<>",tblOPD[Aktif],"<>Tidak")>{REKAP_ROWS},'
                           f'"Perhatian: lebih dari {REKAP_ROWS} OPD aktif; Rekap hanya menampilkan {REKAP_ROWS} '
                           f'pertama. Hitung Indeks tetap menilai semua OPD.","")',
                     wb.add_format({"bold": True, "font_color": "#C00000", "font_size": 10}), "")
    ws.set_row(0, 24)
    ws.set_row(first - 2, 42)
    for j, col in enumerate(REKAP_COLUMNS):
        ws.set_column(j, j, col.width, None, {"hidden": col.hidden})
        ws.write_string(first - 2, j, col.header, fmt.header)
    for n in range(REKAP_ROWS):
        row = first + n
        values = cached[n] if cached and n < len(cached) else {}
        for j, col in enumerate(REKAP_COLUMNS):
            ws.write_formula(row - 1, j, rekap_formula(col, row), fmt.cell(col.kind, "computed"),
                             values.get(col.header, ""))
    a, m, o = "A", xl_col_to_name(len(REKAP_COLUMNS) - 3), xl_col_to_name(len(REKAP_COLUMNS) - 1)
    _palette_fills(wb, ws, f"{a}{first}:{m}{last}", lambda warna: f'=${o}{first}="{warna}"')
    ws.freeze_panes(first - 1, 3)
    _print_setup(ws, first - 1)
    ws.print_area(0, 0, last - 1, len(REKAP_COLUMNS) - 3)
    _button(ws, "K1")
    ws.protect("", {"format_cells": True, "format_columns": True, "format_rows": True, "autofilter": True,
                    "sort": False})


def _palette_fills(wb, ws, cells: str, criteria) -> None:
    """One conditional format per palette colour: fill ``cells`` where ``criteria(colour)`` holds."""
    for warna in CF_PALETTE:
        ws.conditional_format(cells, {
            "type": "formula", "criteria": criteria(warna),
            "format": wb.add_format({"bg_color": "#" + warna, "font_color": "#FFFFFF" if warna in _DARK else "#000000",
                                     "border": 1, "border_color": GRID})})


def _button(ws, cell: str) -> None:
    ws.insert_button(cell, {"macro": MACRO_HITUNG, "caption": "Hitung Indeks", "width": 150, "height": 40,
                            "description": "Hitung peringkat, zona, hadiah, riwayat dan masalah periode aktif"})


def _write_outputs(wb, fmt: _Formats) -> None:
    widths = {"Nama OPD": 40, "Pesan": 80, "Lokasi": 14, "Parameter": 60, "Sidik Data": 30, "Keterangan": 24,
              "Dihitung Pada": 20, "Waktu": 20, "Hadiah": 14}
    for nama, headers in OUTPUT_HEADERS.items():
        ws = wb.add_worksheet(nama)
        ws.set_tab_color("#A6A6A6")
        header_row = PERINGKAT_HEADER_ROW if nama == SHEET_PERINGKAT else 1
        if nama == SHEET_PERINGKAT:
            ws.write_string(0, 0, "Peringkat Indeks Kinerja OPD", fmt.title)
            ws.write_string(1, 0, "Belum dihitung: tekan tombol Hitung Indeks.", fmt.note)
            ws.set_row(0, 24)
            _button(ws, "O1")
        ws.set_row(header_row - 1, 30)
        for j, h in enumerate(headers):
            ws.write_string(header_row - 1, j, h, fmt.header)
            ws.set_column(j, j, widths.get(h, max(10, min(16, len(h) + 2))))
        ws.freeze_panes(header_row, 0)
        ws.autofilter(header_row - 1, 0, header_row - 1, len(headers) - 1)
        _print_setup(ws, header_row, landscape=True)


PETUNJUK = [
    ("title", "Indeks Kinerja OPD — Petunjuk"),
    ("contoh", "Buku kerja ini berisi DATA CONTOH fiktif (2022, OPD kota seperti Kota Magelang). Ganti dengan data "
               "Anda sebelum dipakai resmi."),
    ("head", "Setiap triwulan"),
    ("text", "1. Parameter: periksa TahunAktif dan TriwulanAktif (tabel Nama | Nilai); ubah bobot, kategori atau "
             "hadiah bila Bappeda memutuskan lain."),
    ("text", "2. OPD: daftar OPD dengan Kode OPD unik; Aktif = Tidak untuk OPD yang tidak dinilai."),
    ("text", "3. Realisasi: satu baris per OPD per triwulan — pagu, target dan realisasi keuangan (rupiah), target "
             "dan realisasi fisik (persen), target dan realisasi P3DN (rupiah; kosongkan target bila tidak ada)."),
    ("text", "4. Indikator: indikator kinerja program setiap OPD — Arah Naik (makin tinggi makin baik) atau Turun "
             "(makin rendah makin baik), target dan realisasi; Bobot boleh kosong."),
    ("text", "   Templat OPD (tab Indeks OPD dari add-in IndeksOPD.xlam; simpan buku kerja ini dulu): Buat Templat menulis "
             "satu templat per OPD aktif ke folder 'Templat <tahun> TW<n>' di sebelah buku kerja ini. Simpan templat "
             "yang sudah diisi OPD ke folder 'Templat Masuk <tahun> TW<n>' lalu tekan Impor Templat: baris OPD itu "
             "untuk periode aktif diganti (bila satu berkas bermasalah, tidak ada yang diubah; lihat sheet Masalah). "
             "Simpan buku kerja setelah impor."),
    ("text", "5. Rekap: indeks setiap OPD aktif langsung terhitung oleh fungsi Python (=INDEKS_OPD dan lainnya) "
             "dengan warna kategori."),
    ("text", "6. Tekan Hitung Indeks (di Rekap atau Peringkat): sheet Peringkat, Riwayat, Masalah dan Log diisi. "
             "Bila ada galat data, hasil ditandai SEMENTARA dan hadiah ditahan; perbaiki sesuai sheet Masalah lalu "
             "tekan lagi."),
    ("text", "7. Simpan buku kerja, lalu tekan Rapor (tab Indeks OPD): rapor PDF setiap OPD, laporan Rakorpok dan "
             "buku kerja rapor ditulis ke folder 'Rapor <tahun> TW<n>' di sebelah buku kerja ini."),
    ("head", "Arti warna sel"),
    ("input", "Kuning muda: isian Anda (boleh diubah)."),
    ("computed", "Biru muda: hasil rumus atau teks tetap (terkunci; jangan diketik)."),
    ("header", "Biru tua: judul kolom (jangan diubah; kolom dikenali dari judulnya)."),
    ("head", "Metode singkat"),
    ("text", "Indeks = rata-rata tertimbang capaian Serapan Anggaran (20), Realisasi Fisik (20), Capaian Kinerja "
             "Program (50) dan P3DN (10); setiap capaian dibatasi 0–BatasCapaian. OPD tanpa target P3DN: bobot P3DN "
             "dibagi proporsional ke komponen lain. Peringkat menurut indeks dibulatkan 2 desimal; nilai sama = "
             "peringkat sama. Hadiah peringkat seri dibagi rata."),
    ("head", "Bila ada masalah"),
    ("text", "#NAME? di Rekap: Python/xlwings belum terpasang atau add-in xlwings belum aktif — lihat "
             "docs/panduan-instalasi.md."),
    ("text", "Tombol tidak jalan: aktifkan makro (Enable Content) dan pastikan add-in xlwings terpasang "
             "(xlwings addin install)."),
    ("text", "Sheet xlwings.conf berisi pengaturan Python untuk buku kerja ini (modul fungsi: indeks_opd.udfs). "
             "Hanya untuk petugas TI."),
]


def _write_petunjuk(wb, fmt: _Formats) -> None:
    ws = wb.add_worksheet("Petunjuk")
    ws.set_column(0, 0, 110)
    ws.hide_gridlines(2)
    styles = {"title": fmt.title, "contoh": fmt.contoh, "head": fmt.bold, "text": fmt.text,
              "input": fmt.cell("text", "input"), "computed": fmt.cell("text", "computed"), "header": fmt.header}
    r = 0
    for kind, teks in PETUNJUK:
        if kind == "head":
            r += 1
        ws.write_string(r, 0, teks, styles[kind])
        r += 1
    ws.write_string(r + 1, 0, f"Versi paket indeks-opd saat buku kerja ini dibangun: {__version__}", fmt.note)
    ws.protect("", {"select_locked_cells": True})
    _print_setup(ws, 1, landscape=False)
    ws.activate()


def _write_xlwings_conf(wb, fmt: _Formats) -> None:
    ws = wb.add_worksheet("xlwings.conf")
    ws.set_tab_color(NOTE)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 40)
    for i, (k, v) in enumerate(XLWINGS_CONF):
        ws.write_string(i, 0, k)
        ws.write(i, 1, v)
    catatan = [
        "Pengaturan xlwings untuk buku kerja ini: dibaca dari A1 ke bawah sampai baris kosong pertama, dan mengalahkan "
        "pengaturan add-in xlwings.",
        "UDF Modules: modul Python berisi fungsi INDEKS_OPD dan lainnya (paket indeks-opd yang dipasang dengan pip).",
        "ADD_WORKBOOK_TO_PYTHONPATH = FALSE: kode ada di paket terpasang, bukan di folder buku kerja (aman untuk "
        "OneDrive/SharePoint).",
        "Interpreter sengaja tidak diisi: 'xlwings addin install' mencatat Python PC ini di "
        "%USERPROFILE%\\.xlwings\\xlwings.conf.",
        "Bila Python di PC ini lain, tambahkan baris Interpreter_Win (mis. C:\\Python311\\pythonw.exe) di atas baris "
        "kosong.",
        "OneDrive/SharePoint: bila xlwings gagal menemukan folder lokal, tambahkan ONEDRIVE_COMMERCIAL_WIN atau "
        "SHAREPOINT_WIN berisi folder sinkron lokal.",
    ]
    for i, teks in enumerate(catatan):
        ws.write_string(len(XLWINGS_CONF) + 1 + i, 0, teks, fmt.note)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _layout(path: Path, rows: dict, p: Parameter, tahun: int, triwulan: int, vba_project, cached) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    wb.set_properties(document_properties("Indeks Kinerja OPD", "Penilaian kinerja triwulanan OPD"))
    wb.set_calc_mode("auto")
    wb.set_size(1400, 900)
    fmt = _Formats(wb)
    _write_petunjuk(wb, fmt)
    _write_parameter(wb, fmt, p, tahun, triwulan)
    for nama in ("OPD", "Realisasi", "Indikator"):
        _write_input_sheet(wb, fmt, nama, rows[nama])
    wb.define_name("DaftarKodeOPD", "=tblOPD[Kode OPD]")
    _write_rekap(wb, fmt, cached, tahun, triwulan)
    _write_outputs(wb, fmt)
    _write_xlwings_conf(wb, fmt)
    assert tuple(ws.name for ws in wb.worksheets()) == SHEETS  # the VBA document modules follow this order
    if vba_project is not None:
        wb.add_vba_project(BytesIO(vba_project), is_stream=True)
    wb.close()
    return path


def rekap_cache(path: Path, tahun: int, triwulan: int) -> list[dict]:
    """What Rekap shows for each slot, from the core's result for the workbook at ``path``."""
    from indeks_opd.core import compute_period
    from indeks_opd.core.pipeline import active_opd
    from indeks_opd.files.reader import read_workbook

    data = read_workbook(path)
    hasil = compute_period(data, tahun, triwulan).hasil.set_index("kode")
    aktif = active_opd(data.opd)
    first_data_row = DATA_HEADER_ROW + 1
    cache = []
    for n, r in enumerate(aktif.itertuples(index=False)):
        slot = {"No": n + 1, "Kode OPD": r.kode, "Nama OPD": r.nama, "Singkatan": r.singkatan or "",
                "Baris OPD": int(r.baris) - first_data_row + 1}
        if r.kode in hasil.index:
            h = hasil.loc[r.kode]
            slot.update({"Serapan Anggaran": float(h.serapan), "Realisasi Fisik": float(h.fisik),
                         "Capaian Kinerja Program": float(h.cakin),
                         "P3DN": "" if math.isnan(h.p3dn) else float(h.p3dn), "Indeks": float(h.indeks),
                         "Kategori": h.kategori, "Zona": h.zona, "Peringkat": int(h.peringkat),
                         "Perkiraan Hadiah": int(h.hadiah), "Warna": h.warna.lstrip("#").upper()})
        cache.append(slot)
    return cache


def build_workbook(path: Path | str, vba_project: bytes | None = None, rows: dict | None = None,
                   parameter: Parameter | None = None, period: tuple[int, int] = SAMPLE_PERIOD) -> Path:
    """Write the master workbook to ``path`` (an ``.xlsm``), with ``vba_project`` (vbaProject.bin) if given.

    ``rows`` defaults to the CONTOH sample. Rekap's cached values are the core's result for
    ``period``, computed from a first pass of the same layout read back by the contract reader.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = rows or sample_rows()
    p = parameter or Parameter()
    tahun, triwulan = period
    with tempfile.TemporaryDirectory() as tmp:
        draft = _layout(Path(tmp) / "draft.xlsx", rows, p, tahun, triwulan, None, None)
        refuse_overlapping_validations(draft)  # before anything is written to ``path``
        cached = rekap_cache(draft, tahun, triwulan)
    _layout(path, rows, p, tahun, triwulan, vba_project, cached)
    if vba_project is None:  # a layout-only build is still an .xlsm: it must say it is macro-enabled
        set_main_content_type(path, "xlsm")
    return path
