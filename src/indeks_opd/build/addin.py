"""The add-in ``addin/IndeksOPD.xlam``: an "Indeks OPD" ribbon tab acting on the active workbook.

The add-in holds the VBA macros (``HitungIndeks``, ``BuatTemplat``, ``ImporTemplat``, ``Rapor``)
and the ribbon (``customUI``); both come from the text sources under ``addin/`` once the VBA
build exists. Its single (hidden, as in every add-in) worksheet only says what it is.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from indeks_opd import __version__
from indeks_opd.build import AUTHOR, BUILD_TIMESTAMP
from indeks_opd.build.package import rewrite_package

ADDIN_NAME = "IndeksOPD.xlam"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_CONTENT_TYPE = "application/xml"


def build_addin(path: Path | str, vba_project: bytes | None = None, ribbon_xml: bytes | None = None) -> Path:
    """Write the add-in to ``path`` with the given vbaProject.bin bytes and ribbon XML (either may be absent)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".build.xlsm")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})
    wb.set_properties({"title": "Indeks OPD (add-in)", "subject": "Tab Indeks OPD untuk buku kerja Indeks Kinerja OPD",
                       "author": AUTHOR, "company": "Bappeda", "created": BUILD_TIMESTAMP,
                       "comments": f"Dibangun oleh indeks-opd {__version__} (indeks-opd bangun)."})
    ws = wb.add_worksheet("IndeksOPD")
    bold = wb.add_format({"bold": True, "font_size": 14})
    ws.set_column(0, 0, 100)
    ws.write_string(0, 0, "Add-in Indeks Kinerja OPD", bold)
    ws.write_string(1, 0, "Tab 'Indeks OPD' di pita Excel: Hitung Indeks, Buat Templat, Impor Templat, Rapor — "
                          "bekerja pada buku kerja yang sedang aktif.")
    ws.write_string(2, 0, f"Versi paket indeks-opd: {__version__}. Pemasangan: docs/panduan-instalasi.md.")
    if vba_project is not None:
        from io import BytesIO
        wb.add_vba_project(BytesIO(bytes(vba_project)), is_stream=True)
    wb.close()
    extra = {}
    if ribbon_xml is not None:
        extra = dict(extra_parts={RIBBON_PART: bytes(ribbon_xml)},
                     extra_root_relationships=[("rIdRibbon", RIBBON_RELATIONSHIP, RIBBON_PART)],
                     extra_content_types={"/" + RIBBON_PART: RIBBON_CONTENT_TYPE})
    rewrite_package(tmp, "xlam", **extra)
    tmp.replace(path)
    return path
