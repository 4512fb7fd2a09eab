"""The VBA projects of the workbook and the add-in, from the text sources under ``addin/``.

Workbook: the macros of ``addin/vba/*.bas`` (the ribbon callbacks too, unused there), the UDF
wrappers generated from :mod:`indeks_opd.udfs` (checked against the Python signatures: the
build fails when they disagree) and one document module per sheet. Add-in: the same macros with the ribbon
``addin/customUI14.xml``. The projects themselves are defined in :mod:`indeks_opd.artefacts.vba_project`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indeks_opd.artefacts.vba_project import ADDIN_DIR, addin_project, build_vba_project, workbook_project

UDF_MODULE = "indeks_opd.udfs"
SOURCE_ROOT = ADDIN_DIR.parent
"""The checkout this package was installed from (editable install): where ``addin/`` lives."""


@dataclass(frozen=True)
class VbaParts:
    workbook_bin: bytes
    """vbaProject.bin of the master workbook (button macros and the generated UDF wrappers)."""
    addin_bin: bytes
    """vbaProject.bin of the add-in (macros and ribbon callbacks)."""
    ribbon_xml: str


def sheet_codenames(count: int) -> list[str]:
    """The codenames XlsxWriter gives the worksheets of a workbook with a VBA project."""
    return [f"Sheet{i + 1}" for i in range(count)]


def vba_parts(source_root: Path, workbook_sheets: int, addin_sheets: int) -> VbaParts:
    """Both VBA projects and the ribbon, built from ``source_root/addin``."""
    addin_dir = Path(source_root) / ADDIN_DIR.name
    vba_dir = addin_dir / "vba"
    if not any(vba_dir.glob("*.bas")):
        raise FileNotFoundError(f"tidak ada modul VBA (*.bas) di {vba_dir}")
    workbook = workbook_project(vba_dir, sheet_codenames(workbook_sheets), UDF_MODULE)
    addin = addin_project(vba_dir, sheet_codenames(addin_sheets))
    return VbaParts(build_vba_project(workbook), build_vba_project(addin),
                    (addin_dir / "customUI14.xml").read_text(encoding="utf-8"))
