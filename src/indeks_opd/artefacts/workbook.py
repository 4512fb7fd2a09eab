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
from indeks_opd.alur.rules import Workflow
from indeks_opd.alur.sheets import build_status
from indeks_opd.artefacts import document_properties
from indeks_opd.artefacts.package import refuse_overlapping_validations, set_main_content_type
from indeks_opd.contract.output_sheets import (
    FORMAT_HADIAH,
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
from indeks_opd.contract.schema import (
    ANGKA,
    BULAT,
    NUMBER_FORMATS,
    PARAMETER_TABLES,
    PERSEN,
    TAUTAN,
    TEKS,
    UANG,
    Field,
    Validation,
    default_fields,
    single_values,
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
          "Log", "Status", "xlwings.conf")

WORKFLOW_BUTTONS = (
    ("StatusPeriode", "Status", "Buka periode aktif di sheet ini dan tampilkan siapa yang belum mengirim"),
    ("VerifikasiOPD", "Verifikasi", "Tandai OPD pada baris yang dipilih Terverifikasi"),
    ("PerluPerbaikan", "Perlu Perbaikan", "Kembalikan OPD pada baris yang dipilih dengan catatan"),
    ("KunciPeriode", "Kunci Periode", "Kunci periode aktif setelah Rakorpok"),
    ("BukaPeriode", "Buka Periode", "Buka kunci periode aktif, dengan alasan"),
)
"""The workflow buttons on the master's Status sheet: (VBA macro, caption, alternative text); the add-in's
ribbon group Alur Triwulan has the same (docs/alur.md)."""

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

WARNA = "warna"
"""Cell kind of colour codes (Parameter ``Warna``): text without wrapping; every other cell has a schema kind."""
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


def data_validation(v: Validation) -> dict:
    """A schema validation as XlsxWriter's ``data_validation`` options."""
    options = {"validate": {"whole": "integer"}.get(v.type, v.type), "input_title": v.title, "input_message": v.prompt,
               "error_title": v.error_title, "error_message": v.error}
    if v.type == "list":
        options["source"] = v.formula or list(v.choices)
    elif v.type == "custom":
        options["value"] = v.formula
    elif v.operator == "between":
        options.update(criteria="between", minimum=v.minimum, maximum=v.maximum)
    else:
        options.update(criteria=">=", value=v.minimum)
    return options


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
    kind: str = TEKS  # a schema kind: the number format
    hidden: bool = False
    heading: str | None = None
    """The header cell's formula for a column shown only when the workbook uses it (peer groups,
    components beyond the four): blank and unformatted until its heading is not empty."""
    centred: bool = False
    """Short codes and ranks centred, as on Peringkat: a right-aligned "1" beside "2.15" reads "12.15"."""
    number_format: str | None = None
    """A number format other than its kind's (Perkiraan Hadiah: "–" for no prize, as on Peringkat)."""


LAIN_SLOTS = 4
"""Rekap columns for the components beyond the four (Ketepatan Waktu, extra components) weighted > 0."""
PARAMETER_RANGE = "Parameter!$A$1:$Z$100"
"""The part of the Parameter sheet KOMPONEN_OPD reads the Jadwal table (and PenguranganPerHari) from."""

_GUARD = 'IF($B{r}="","",{f})'
_TANPA_KELOMPOK = ("#GALAT: Kelompok OPD ini kosong, padahal OPD lain sudah berkelompok. Isi Kelompok-nya di sheet "
                   "OPD (mis. Dinas/Badan atau Kecamatan).")
"""Indeks of an active OPD without a group while others have one: Hitung Indeks leaves it unranked (docs/metode.md),
so Rekap ranks the others without it."""
_SHOWN = 'IF(OR($B{r}="",{col}$5=""),"",{f})'
_GROUPS = "$N{r},$N${first}:$N${last}"
REKAP_COLUMNS = [
    RekapColumn("No", 5, 'IF($B{r}="","",ROWS($B${first}:$B{r}))', BULAT, centred=True),
    RekapColumn("Kode OPD", 10, 'IF($T{r}="","",""&INDEX(tblOPD[Kode OPD],$T{r}))', centred=True),
    RekapColumn("Nama OPD", 48, 'IF($T{r}="","",""&INDEX(tblOPD[Nama OPD],$T{r}))'),
    RekapColumn("Singkatan", 13, 'IF($T{r}="","",""&INDEX(tblOPD[Singkatan],$T{r}))'),
    RekapColumn("Serapan Anggaran", 11, _GUARD.replace(
        "{f}", 'KOMPONEN_OPD($B{r},TahunAktif,TriwulanAktif,tblRealisasi[#All],"serapan",BatasCapaian)'), PERSEN),
    RekapColumn("Realisasi Fisik", 11, _GUARD.replace(
        "{f}", 'KOMPONEN_OPD($B{r},TahunAktif,TriwulanAktif,tblRealisasi[#All],"fisik",BatasCapaian)'), PERSEN),
    RekapColumn("Capaian Kinerja Program", 12, _GUARD.replace(
        "{f}", "CAKIN_OPD($B{r},TahunAktif,TriwulanAktif,tblIndikator[#All],BatasCapaian)"), PERSEN),
    RekapColumn("P3DN", 11, _GUARD.replace(
        "{f}", 'KOMPONEN_OPD($B{r},TahunAktif,TriwulanAktif,tblRealisasi[#All],"p3dn",BatasCapaian)'), PERSEN),
    RekapColumn("Indeks", 10, _GUARD.replace("{f}", f'IF(AND($N$5<>"",$N{{r}}=""),"{_TANPA_KELOMPOK}",'
                                                     'INDEKS_OPD($E{r},$F{r},$G{r},$H{r},tblBobot[#All],$P{r}:$S{r}))'),
                PERSEN),
    RekapColumn("Kategori", 14, _GUARD.replace("{f}", "KATEGORI_KINERJA($I{r},tblKategori[#All])"), centred=True),
    RekapColumn("Zona", 9, _GUARD.replace("{f}", "ZONA_OPD($I{r},tblKategori[#All])"), centred=True),
    RekapColumn("Peringkat", 10, _GUARD.replace("{f}", f"PERINGKAT_OPD($I{{r}},$I${{first}}:$I${{last}},{_GROUPS})"),
                BULAT, centred=True),
    RekapColumn("Perkiraan Hadiah", 15, _GUARD.replace(
        "{f}", f"HADIAH_OPD($I{{r}},$I${{first}}:$I${{last}},tblHadiah[#All],{_GROUPS})"), UANG,
        number_format=FORMAT_HADIAH),
    RekapColumn("Kelompok", 14, 'IF($T{r}="","",IFERROR(""&INDEX(OPD!$A:$Z,ROW(INDEX(tblOPD[Kode OPD],$T{r})),'
                                f'MATCH("Kelompok",OPD!$A${DATA_HEADER_ROW}:$Z${DATA_HEADER_ROW},0)),""))',
                heading='IF(COUNTIF($N${first}:$N${last},"?*"),"Kelompok","")'),
    RekapColumn("Peringkat Umum", 10, _SHOWN.replace("{col}", "$N").replace(
        "{f}", "PERINGKAT_OPD($I{r},$I${first}:$I${last})"), BULAT, heading='IF($N$5="","","Peringkat Umum")',
        centred=True),
    *(RekapColumn(f"Komponen lain {n}", 12, _SHOWN.replace("{col}", xl_col_to_name(14 + n)).replace(
        "{f}", f"KOMPONEN_OPD($B{{r}},TahunAktif,TriwulanAktif,tblRealisasi[#All],{xl_col_to_name(14 + n)}$5,"
               f"BatasCapaian,{PARAMETER_RANGE})"), PERSEN, heading=f'IFERROR(KOMPONEN_LAIN(tblBobot[#All],{n}),"")')
      for n in range(1, LAIN_SLOTS + 1)),
    RekapColumn("Baris OPD", 9, 'IFERROR(_xlfn.AGGREGATE(15,6,ROW(tblOPD[Kode OPD])/((tblOPD[Aktif]<>"Tidak")*'
                                '(tblOPD[Kode OPD]<>"")),ROWS($T${first}:$T{r}))-ROW(INDEX(tblOPD[Kode OPD],1))+1,"")',
                BULAT, hidden=True),
    RekapColumn("Warna", 9, 'IF($J{r}="","",IFERROR(SUBSTITUTE(UPPER(INDEX(tblKategori[Warna],'
                            'MATCH($J{r},tblKategori[Kategori],0))),"#",""),""))', hidden=True),
]
"""Rekap columns A..U: per-row formulas (no dynamic arrays). A..M are Kota Magelang's Rekap. N..S
show themselves when the workbook uses them (docs/excel-layer.md, "Rekap"): N the peer group read
from a ``Kelompok`` column of ``tblOPD`` (rank and prizes then per group), O the overall rank,
P..S the components beyond the four that the Bobot table weighs, in its order (INDEKS_OPD reads
the weights from the whole table). T finds the row of the n-th active OPD in ``tblOPD``
(AGGREGATE ignores the division-by-zero of inactive rows); U is the category colour that the
conditional formats match."""
assert [xl_col_to_name(i) for i, c in enumerate(REKAP_COLUMNS) if c.hidden] == ["T", "U"]
assert [xl_col_to_name(i) for i, c in enumerate(REKAP_COLUMNS) if c.heading] == ["N", "O", "P", "Q", "R", "S"]
UDF_NAMES = ("INDEKS_OPD", "KOMPONEN_OPD", "KOMPONEN_LAIN", "CAKIN_OPD", "KATEGORI_KINERJA", "ZONA_OPD",
             "PERINGKAT_OPD", "HADIAH_OPD")


def rekap_formula(column: RekapColumn, row: int) -> str:
    last = REKAP_FIRST_ROW + REKAP_ROWS - 1
    return "=" + column.formula.format(r=row, first=REKAP_FIRST_ROW, last=last)


def rekap_heading(column: RekapColumn) -> str:
    """The header cell of a column shown when used: its heading formula."""
    last = REKAP_FIRST_ROW + REKAP_ROWS - 1
    return "=" + (column.heading or "").format(first=REKAP_FIRST_ROW, last=last)


# --- Parameter -------------------------------------------------------------------------------

TABLE_AT = {"tblBobot": (4, 0), "tblKategori": (11, 0), "tblHadiah": (19, 0), "tblNilai": (4, 5)}
"""(header row, first column) of each Parameter table, Excel rows 1-based, columns 0-based."""

# --- building --------------------------------------------------------------------------------

class _Formats:
    """The workbook's cell formats, created once."""

    FONT = {"font_name": "Calibri", "font_size": 10}
    LINK = {"font_color": "#" + style.LINK, "underline": 1}
    """Evidence links look like links (the import makes them clickable: docs/kontrak.md, "Bukti Dukung")."""

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
        self.plain_header = wb.add_format({**base, "bold": True, "text_wrap": True, "valign": "vcenter"})
        self.header_look = wb.add_format({"font_color": "#FFFFFF", "bg_color": HEADER_FILL, "border": 1,
                                          "border_color": GRID})
        self.computed_look = wb.add_format({"bg_color": COMPUTED_FILL, "border": 1, "border_color": GRID})
        self._cache: dict = {}

    def _numbered(self, key: tuple, kind: str, spec: dict, number_format: str | None = None):
        """The format of ``spec`` with ``number_format`` (default: the number format of ``kind``), created on first use."""
        if key not in self._cache:
            if number_format or NUMBER_FORMATS.get(kind):
                spec["num_format"] = number_format or NUMBER_FORMATS[kind]
            self._cache[key] = self.wb.add_format(spec)
        return self._cache[key]

    def cell(self, kind: str, role: str, centred: bool = False, number_format: str | None = None):
        """Format of an input (``role='input'``) or computed (``'computed'``) cell of a kind; text wraps.

        ``'shown'``: a computed cell of a Rekap column shown when used, its fill and border given by
        conditional formats."""
        look = ({"border": 1, "border_color": GRID, "bg_color": INPUT_FILL if role == "input" else COMPUTED_FILL}
                if role != "shown" else {})
        return self._numbered((kind, role, centred, number_format), kind, {
            **self.FONT, **look, "valign": "top", "locked": role != "input",
            **({"align": "center"} if centred else {}), **({"text_wrap": True} if kind == TEKS else {}),
            **(self.LINK if kind == TAUTAN else {})}, number_format)

    def column(self, kind: str):
        """Column-wide format below a table: the number format, unlocked, no fill."""
        return self._numbered((kind, "column"), kind, {"locked": False, **self.FONT,
                                                       **(self.LINK if kind == TAUTAN else {})})


CENTRED = {"triwulan"}
"""Input fields shown centred (a single digit in a wide header)."""


def _validate(ws, first_row: int, col: int, last_row: int, field: Field) -> None:
    """The field's schema validation on rows ``first_row..last_row`` (0-based) of column ``col``."""
    v = field.validation(xl_col_to_name(col), first_row + 1)
    if v is not None:
        ws.data_validation(first_row, col, last_row, col, data_validation(v))


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
    cols = default_fields(nama)
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
    ws.set_column(len(cols), len(cols), 13, fmt.column(TEKS))
    columns = [{"header": c.header, "header_format": fmt.header, "format": fmt.cell(c.kind, "input", c.name in CENTRED)}
               for c in cols]
    columns.append({"header": "Keterangan", "header_format": fmt.header, "format": fmt.cell(TEKS, "input")})
    ws.add_table(header_row, 0, last_row, len(cols), {
        "name": TABLE_NAMES[nama], "columns": columns, "data": data or None, "style": "Table Style Light 9",
        "autofilter": True})
    for j, c in enumerate(cols):
        _validate(ws, header_row + 1, j, DATA_VALIDATION_LAST_ROW, c)
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

    def table(name, data, computed=()):
        """A Parameter table of the schema: its fields' headers, kinds and validations."""
        r, c = TABLE_AT[name]
        fields = [f for f in PARAMETER_TABLES[name] if not f.on_demand]
        ws.add_table(r - 1, c, r - 1 + len(data), c + len(fields) - 1, {
            "name": name, "style": "Table Style Light 9", "autofilter": False, "data": data,
            "columns": [{"header": f.header, "header_format": fmt.header,
                         "format": inp(WARNA if f.name == "warna" else f.kind,
                                       "computed" if f.name in computed else "input")} for f in fields]})
        for j, f in enumerate(fields):  # exactly the table's data cells: a row added in Excel inherits the rule
            _validate(ws, r, c + j, r - 1 + len(data), f)

    table("tblBobot", [[COMPONENT_LABELS[k], p.bobot[k]] for k in COMPONENTS], computed={"komponen"})
    r, c = TABLE_AT["tblBobot"]
    ws.write_string(r - 1, 3, "Jumlah Bobot", fmt.header)
    ws.write_formula(r, 3, "=SUM(tblBobot[Bobot])", inp(ANGKA, "computed"), sum(p.bobot.values()))
    ws.conditional_format(r, 3, r, 3, {"type": "cell", "criteria": "!=", "value": 100,
                                       "format": wb.add_format({"bg_color": "#FF0000", "font_color": "#FFFFFF"})})
    ws.write_string(r + 1, 3, "harus 100", fmt.note)

    table("tblKategori",
          [[k.nama, None if math.isinf(k.batas_bawah) else k.batas_bawah, k.warna, k.zona] for k in p.kategori])
    r, _ = TABLE_AT["tblKategori"]
    # the Warna cells show their colour while it is one of the palette's, also after an edit
    _palette_fills(wb, ws, f"C{r + 1}:C{r + len(p.kategori)}", lambda warna: f'=UPPER(C{r + 1})="#{warna}"')
    ws.write_string(r - 2, 0, "Kategori dan zona (Permendagri 86/2017)", fmt.bold)

    table("tblHadiah", [[h.peringkat, h.jumlah, h.sumber] for h in p.hadiah])
    ws.write_string(TABLE_AT["tblHadiah"][0] - 2, 0, "Hadiah (dibagi rata bila peringkat seri)", fmt.bold)

    nilai = single_values(p, tahun, triwulan)
    r, c = TABLE_AT["tblNilai"]
    ws.add_table(r - 1, c, r - 1 + len(nilai), c + 2, {
        "name": "tblNilai", "style": "Table Style Light 9", "autofilter": False,
        "data": [[sv.name, v, sv.keterangan] for sv, v in nilai],
        "columns": [{"header": h, "header_format": fmt.header, "format": inp(kind, role)}
                    for h, kind, role in (("Nama", TEKS, "computed"), ("Nilai", ANGKA, "input"),
                                          ("Keterangan", TEKS, "computed"))]})
    for i, (sv, _v) in enumerate(nilai):
        cell = f"Parameter!${xl_col_to_name(c + 1)}${r + 1 + i}"
        wb.define_name(sv.name, "=" + cell)
        _validate(ws, r + i, c + 1, r + i, sv.field)
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
        if col.heading:
            ws.write_formula(first - 2, j, rekap_heading(col), fmt.plain_header, "")
        else:
            ws.write_string(first - 2, j, col.header, fmt.header)
    for n in range(REKAP_ROWS):
        row = first + n
        values = cached[n] if cached and n < len(cached) else {}
        for j, col in enumerate(REKAP_COLUMNS):
            look = fmt.cell(col.kind, "shown" if col.heading else "computed", col.centred, col.number_format)
            ws.write_formula(row - 1, j, rekap_formula(col, row), look, values.get(col.header, ""))
    headed = [j for j, c in enumerate(REKAP_COLUMNS) if c.heading]
    m, n, s, u = (xl_col_to_name(j) for j in (headed[0] - 1, headed[0], headed[-1], len(REKAP_COLUMNS) - 1))
    _palette_fills(wb, ws, f"A{first}:{m}{last}", lambda warna: f'=${u}{first}="{warna}"')
    # the columns shown when used: a header and cells like the others' once their heading is not blank
    ws.conditional_format(f"{n}{first - 1}:{s}{first - 1}", {"type": "formula", "criteria": f'={n}{first - 1}<>""',
                                                              "format": fmt.header_look})
    _palette_fills(wb, ws, f"{n}{first}:{s}{last}", lambda warna: f'=AND({n}{first}<>"",${u}{first}="{warna}")')
    ws.conditional_format(f"{n}{first}:{s}{last}", {"type": "formula", "criteria": f'={n}{first}<>""',
                                                    "format": fmt.computed_look})
    ws.freeze_panes(first - 1, 3)
    _print_setup(ws, first - 1)
    ws.print_area(0, 0, last - 1, headed[0] - 1)  # A..M: the default Rekap prints as it always did
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


def _write_status(wb, fmt: _Formats) -> None:
    """The Status sheet as the workflow writes it for no period yet (title, note, headers), with the workflow
    buttons over its title area (they stay: writers rewrite cells, never shapes)."""
    model = build_status(Workflow((), ()))
    ws = wb.add_worksheet(model.name)
    ws.set_tab_color("#A6A6A6")
    ws.write_string(0, 0, model.rows[0][0], fmt.title)
    ws.write_string(1, 0, model.rows[1][0], fmt.note)
    ws.set_row(0, 24)
    for j, (h, w) in enumerate(zip(model.rows[model.header_row - 1], model.widths)):
        ws.write_string(model.header_row - 1, j, h, fmt.header)
        ws.set_column(j, j, w)
    ws.freeze_panes(model.header_row, 0)
    for i, (macro, caption, description) in enumerate(WORKFLOW_BUTTONS):
        ws.insert_button(0, 4, {"macro": macro, "caption": caption, "width": 110, "height": 34,
                                "x_offset": 4 + 116 * i, "y_offset": 4, "description": description})
    _print_setup(ws, model.header_row)


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
             "(makin rendah makin baik), target dan realisasi; Bobot boleh kosong. Bukti Dukung (boleh kosong): satu "
             "tautan https://… atau jalur berkas di server kantor (\\\\server\\folder\\berkas.pdf) per indikator."),
    ("text", "   Templat OPD (tab Indeks OPD dari add-in IndeksOPD.xlam; simpan buku kerja ini dulu): Buat Templat menulis "
             "satu templat per OPD aktif ke folder 'Templat <tahun> TW<n>' di sebelah buku kerja ini. Simpan templat "
             "yang sudah diisi OPD ke folder 'Templat Masuk <tahun> TW<n>' lalu tekan Impor Templat: baris OPD itu "
             "untuk periode aktif diganti (bila satu berkas bermasalah, tidak ada yang diubah; lihat sheet Masalah). "
             "Simpan buku kerja setelah impor."),
    ("text", "5. Rekap: indeks setiap OPD aktif langsung terhitung oleh fungsi Python (=INDEKS_OPD dan lainnya) "
             "dengan warna kategori. Bila sheet OPD diberi kolom Kelompok, peringkat dan hadiah dihitung per kelompok "
             "dan kolom Kelompok serta Peringkat Umum muncul; komponen selain keempat komponen baku yang diberi bobot "
             "di tabel Bobot (Ketepatan Waktu, nilai tambahan) muncul sebagai kolom sendiri."),
    ("text", "6. Tekan Hitung Indeks (di Rekap atau Peringkat): sheet Peringkat, Riwayat, Masalah dan Log diisi. "
             "Bila ada galat data, hasil ditandai SEMENTARA dan hadiah ditahan; perbaiki sesuai sheet Masalah lalu "
             "tekan lagi."),
    ("text", "7. Simpan buku kerja, lalu tekan Rapor (tab Indeks OPD): rapor PDF setiap OPD, laporan Rakorpok dan "
             "buku kerja rapor ditulis ke folder 'Rapor <tahun> TW<n>' di sebelah buku kerja ini."),
    ("text", "8. Sheet Status: siapa yang sudah mengirim, menunggu verifikasi, perlu perbaikan atau terverifikasi. "
             "Tombol di atasnya: Status (buka periode aktif), Verifikasi dan Perlu Perbaikan (klik baris OPD dulu; "
             "Perlu Perbaikan meminta catatan untuk OPD), Kunci Periode setelah Rakorpok dan Buka Periode (dengan "
             "alasan). Simpan buku kerja sesudahnya (Ctrl+S)."),
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
    ("text", "#NAME? di Rekap: makro belum aktif (klik Enable Content, atau simpan buku kerja di folder tepercaya), "
             "atau Python dan add-in xlwings belum terpasang di PC ini — minta petugas TI memasangnya menurut Panduan "
             "Instalasi Indeks Kinerja OPD. Tanda pemasangan berhasil: perintah 'indeks-opd demo' di Command Prompt "
             "menampilkan tabel peringkat."),
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
              "input": fmt.cell(TEKS, "input"), "computed": fmt.cell(TEKS, "computed"), "header": fmt.header}
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
    _write_status(wb, fmt)
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
