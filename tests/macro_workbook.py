"""A macro workbook like the Bappeda master, for the "nothing lost" tests.

Built with XlsxWriter from a contract workbook: the same sheets and defined names, plus
what openpyxl cannot keep — a real VBA project (``vbaProject.bin`` taken from the
``quickstart.xlsm`` that the installed xlwings package ships, BSD licence), a form-control
button calling a macro (VML), a text-box shape (DrawingML), a ribbon ``customUI`` part —
and data validation, conditional formatting, an Excel table, shared strings and a Rekap
sheet with formulas.
"""

from __future__ import annotations

import io
import zipfile
from importlib import resources
from pathlib import Path

import openpyxl
import xlsxwriter

CUSTOM_UI = (b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
             b'<tab id="tabIndeks" label="Indeks OPD"><group id="g1" label="Indeks">'
             b'<button id="b1" label="Hitung Indeks" onAction="HitungIndeks"/></group></tab></tabs></ribbon>'
             b'</customUI>')
CUSTOM_UI_REL = ('<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2007/relationships/ui/'
                 'extensibility" Target="customUI/customUI14.xml"/>')


def vba_project_bin() -> bytes:
    """The VBA project of xlwings' quickstart workbook (a real one, written by Excel)."""
    xlsm = resources.files("xlwings") / "quickstart.xlsm"
    with zipfile.ZipFile(io.BytesIO(xlsm.read_bytes())) as z:
        return z.read("xl/vbaProject.bin")


def build_macro_workbook(source: Path, target: Path, rekap: bool = True) -> Path:
    """Copy every sheet value and defined name of ``source`` into a new .xlsm with the extras above."""
    src = openpyxl.load_workbook(source)
    wb = xlsxwriter.Workbook(str(target))
    bold = wb.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"})
    rp = wb.add_format({"num_format": '"Rp"#,##0'})
    for ws_src in src.worksheets:
        ws = wb.add_worksheet(ws_src.title)
        for row in ws_src.iter_rows():
            for c in row:
                if c.value is not None:
                    fmt = bold if c.font.bold else (rp if "Rp" in c.number_format else None)
                    if isinstance(c.value, str):
                        ws.write_string(c.row - 1, c.column - 1, c.value, fmt)
                    else:
                        ws.write(c.row - 1, c.column - 1, c.value, fmt)
        if ws_src.title == "OPD":
            ws.data_validation(1, 3, 200, 3, {"validate": "list", "source": ["Ya", "Tidak"],
                                              "input_title": "Aktif", "input_message": "Pilih Ya atau Tidak"})
        if ws_src.title == "Realisasi":
            ws.conditional_format(1, 7, 500, 7, {"type": "cell", "criteria": "<", "value": 50,
                                                 "format": wb.add_format({"font_color": "#9C0006"})})
        if ws_src.title == "Indikator":
            ws.add_table(0, 0, ws_src.max_row - 1, ws_src.max_column - 1, {
                "name": "tblIndikator", "header_row": True, "autofilter": False,
                "columns": [{"header": c.value} for c in ws_src[1]], "style": None})
    for name, dn in src.defined_names.items():
        wb.define_name(name, "=" + dn.attr_text)
    if rekap:
        ws = wb.add_worksheet("Rekap")
        ws.write_string(0, 0, "Rekap Indeks Kinerja OPD (hitungan langsung)")
        for j, h in enumerate(["No", "Kode OPD", "Nama OPD", "Catatan"]):
            ws.write_string(2, j, h, bold)
        opd = [r for r in src["OPD"].iter_rows(min_row=2, values_only=True) if r[0]]
        for i, (kode, nama, *_rest) in enumerate(opd):
            ws.write_number(3 + i, 0, i + 1)
            ws.write_formula(3 + i, 1, f"=OPD!A{i + 2}", None, kode)
            ws.write_string(3 + i, 2, nama)
        ws.write_string(3 + len(opd) + 2, 0, "Catatan kaki di luar tabel")
    beranda = wb.add_worksheet("Beranda")
    beranda.write_string(0, 0, "Tekan tombol untuk menghitung")
    beranda.insert_button("B3", {"macro": "HitungIndeks", "caption": "Hitung Indeks", "width": 120, "height": 30})
    beranda.insert_textbox("E3", "Panduan singkat", {"width": 200, "height": 60})
    wb.add_vba_project(io.BytesIO(vba_project_bin()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    wb.close()
    _add_custom_ui(target)
    return target


def _add_custom_ui(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", CUSTOM_UI_REL.encode() + b"</Relationships>")
            z.writestr(info.filename, data)
        z.writestr("customUI/customUI14.xml", CUSTOM_UI)
