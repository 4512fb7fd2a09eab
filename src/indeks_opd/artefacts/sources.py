"""The VBA projects of the workbook and the add-in, from the text sources under ``addin/``.

Workbook: the macros of ``addin/vba/*.bas`` (the ribbon callbacks too, unused there), the UDF
wrappers generated from :mod:`indeks_opd.udfs` (checked against the Python signatures: the
build fails when they disagree) and one document module per sheet. Add-in: the same macros with the ribbon
``addin/customUI14.xml``. The project format is written by :mod:`indeks_opd.artefacts.vba_project`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indeks_opd.artefacts.udf_wrappers import udf_module
from indeks_opd.artefacts.vba_project import (
    ADDIN_DIR,
    VbaProject,
    build_vba_project,
    document_modules,
    read_bas_dir,
)

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


def workbook_project(vba_dir: str | Path, sheet_codenames: Sequence[str], udf_module_name: str | None) -> VbaProject:
    """The master workbook's project: document modules, the ``.bas`` macros and, when given, the
    UDF wrappers generated (and checked) from ``udf_module_name``."""
    modules = document_modules("ThisWorkbook", sheet_codenames) + read_bas_dir(vba_dir)
    if udf_module_name:
        modules.append(udf_module(udf_module_name))
    return VbaProject("IndeksKinerjaOPD", tuple(modules))


def addin_project(vba_dir: str | Path, sheet_codenames: Sequence[str] = ("Sheet1",)) -> VbaProject:
    """The add-in's project: the ``.bas`` macros and ribbon callbacks, no UDF wrappers (the UDFs
    belong to the workbook that uses them, which calls them through its own wrappers)."""
    return VbaProject("IndeksOPDAddIn", tuple(document_modules("ThisWorkbook", sheet_codenames) + read_bas_dir(vba_dir)))


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
