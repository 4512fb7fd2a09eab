"""The VBA projects of the workbook and the add-in, from the text sources under ``addin/``.

Workbook: the macros of ``addin/vba/*.bas`` except the ribbon callbacks, the UDF wrappers
generated from :mod:`indeks_opd.udfs` (checked against the Python signatures, the build fails
when they disagree) and the document modules of its sheets. Add-in: every ``.bas`` module
(ribbon callbacks included) and the ribbon ``addin/customUI14.xml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indeks_opd.build.udf_wrappers import udf_module
from indeks_opd.build.vba_project import VbaProject, build_vba_project, document_modules, read_bas_dir

UDF_MODULE = "indeks_opd.udfs"
VBA_DIR = Path("addin") / "vba"
RIBBON_FILE = Path("addin") / "customUI14.xml"
WORKBOOK_PROJECT, ADDIN_PROJECT = "IndeksKinerjaOPD", "IndeksOPD"


@dataclass(frozen=True)
class VbaParts:
    workbook_bin: bytes
    """vbaProject.bin of the master workbook (button macros and the generated UDF wrappers)."""
    addin_bin: bytes
    """vbaProject.bin of the add-in (macros and ribbon callbacks)."""
    ribbon_xml: str


def sheet_codenames(count: int) -> list[str]:
    """The codenames XlsxWriter gives worksheets of a workbook with a VBA project."""
    return [f"Sheet{i + 1}" for i in range(count)]


def vba_parts(source_root: Path, workbook_sheets: int, addin_sheets: int) -> VbaParts:
    """Both VBA projects and the ribbon, built from ``source_root/addin``."""
    modules = read_bas_dir(source_root / VBA_DIR)
    if not modules:
        raise FileNotFoundError(f"tidak ada modul VBA (*.bas) di {source_root / VBA_DIR}")
    macros = [m for m in modules if not m.name.startswith("Ribbon")]
    workbook = VbaProject(WORKBOOK_PROJECT, tuple(
        document_modules("ThisWorkbook", sheet_codenames(workbook_sheets)) + macros + [udf_module(UDF_MODULE)]))
    addin = VbaProject(ADDIN_PROJECT, tuple(document_modules("ThisWorkbook", sheet_codenames(addin_sheets)) + modules))
    return VbaParts(build_vba_project(workbook), build_vba_project(addin),
                    (source_root / RIBBON_FILE).read_text(encoding="utf-8"))
