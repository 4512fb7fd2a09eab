"""The add-in ``addin/IndeksOPD.xlam``: an "Indeks OPD" ribbon tab acting on the active workbook.

The add-in holds the VBA macros (``HitungIndeks``, ``BuatTemplat``, ``ImporTemplat``, ``Rapor``)
and their ribbon callbacks; its single worksheet (hidden, as in every add-in) only says what
it is. XlsxWriter writes it as an ``.xlsm``; :func:`indeks_opd.artefacts.vba_project.package_workbook`
turns that into the add-in with the ribbon part.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import xlsxwriter

from indeks_opd import __version__
from indeks_opd.artefacts import document_properties
from indeks_opd.artefacts.package import refuse_overlapping_validations
from indeks_opd.artefacts.vba_project import package_workbook
from indeks_opd.core.masalah import UnusableWorkbook

ADDIN_NAME = "IndeksOPD.xlam"
ADDIN_SHEETS = 1


def build_addin(path: Path | str, vba_project: bytes, ribbon_xml: str) -> Path:
    """Write the add-in to ``path`` with the given vbaProject.bin and ribbon (customUI) XML."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    wb.set_properties(document_properties("Indeks OPD (add-in)", "Tab Indeks OPD untuk buku kerja Indeks Kinerja OPD"))
    ws = wb.add_worksheet("IndeksOPD")
    ws.set_column(0, 0, 100)
    ws.write_string(0, 0, "Add-in Indeks Kinerja OPD", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_string(1, 0, "Tab 'Indeks OPD' di pita Excel: Hitung Indeks, Buat Templat, Impor Templat, Rapor — "
                          "bekerja pada buku kerja yang sedang aktif.")
    ws.write_string(2, 0, f"Versi paket indeks-opd: {__version__}. Pemasangan: docs/panduan-instalasi.md.")
    wb.add_vba_project(BytesIO(vba_project), is_stream=True)
    assert len(wb.worksheets()) == ADDIN_SHEETS
    wb.close()
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(package_workbook(buffer.getvalue(), addin=True, ribbon_xml=ribbon_xml))
    try:
        refuse_overlapping_validations(tmp)
    except UnusableWorkbook:
        tmp.unlink()
        raise
    tmp.replace(path)
    return path
