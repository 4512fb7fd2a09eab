"""The main content type of an OOXML package written by XlsxWriter, changing it, and the checks a
built package must pass.

An ``.xlsm`` without a VBA project (a layout-only build) must still declare the macro-enabled
workbook type, and openpyxl reads an add-in only when shown as an ``.xlsm``. Entries are
rewritten with a fixed timestamp so that a rebuild is byte-for-byte comparable.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.files.xlsx_package import Package, overlapping_validations

MAIN_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "xlam": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def main_content_type(path: Path) -> str:
    """The content type of ``xl/workbook.xml`` in a package."""
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode("utf-8")
    return next(t for t in MAIN_TYPES.values() if t in types)


def deterministic_zip(parts: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts`` in the given order with fixed timestamps and attributes: same parts, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def set_main_content_type(path: Path, kind: str) -> Path:
    """Give the workbook part the content type of ``kind`` (xlsx/xlsm/xlam), in place."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    for i, (name, data) in enumerate(entries):
        if name == "[Content_Types].xml":
            text = data.decode("utf-8")
            for t in MAIN_TYPES.values():
                text = text.replace(f'ContentType="{t}"', f'ContentType="{MAIN_TYPES[kind]}"')
            entries[i] = (name, text.encode("utf-8"))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(deterministic_zip(entries))
    tmp.replace(path)
    return path


def refuse_overlapping_validations(path: Path) -> None:
    """The build fails when two data validations of a sheet share a cell (docs/excel-layer.md)."""
    overlaps = overlapping_validations(Package.open(path))
    if overlaps:
        raise UnusableWorkbook([galat(f"Validasi data bertumpuk di {Path(path).name}: {o}. Setiap aturan harus "
                                      "mencakup tepat sel yang dimaksud; perbaiki tata letak lalu bangun ulang.")
                                for o in overlaps])
