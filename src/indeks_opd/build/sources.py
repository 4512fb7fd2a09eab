"""The text sources of the VBA project and the ribbon, when the VBA build is present.

The VBA sources (``addin/vba/*.bas``), the vbaProject.bin writer
(:mod:`indeks_opd.build.vba_project`), the UDF wrappers and the ribbon come from the VBA part
of issue 4. Until they exist, :func:`vba_parts` returns ``None`` and the files are built
without a VBA project (the buttons then name a macro that is not there yet).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VbaParts:
    workbook_bin: bytes
    """vbaProject.bin of the master workbook (HitungIndeks and the generated UDF wrappers)."""
    addin_bin: bytes
    """vbaProject.bin of the add-in (ribbon callbacks and the button macros)."""
    ribbon_xml: bytes | None


def vba_available() -> bool:
    return importlib.util.find_spec("indeks_opd.build.vba_project") is not None


def vba_parts(source_root: Path) -> VbaParts | None:
    """The VBA projects built from ``source_root/addin``, or ``None`` before the VBA build exists."""
    if not vba_available():
        return None
    raise NotImplementedError("indeks_opd.build.vba_project is present: connect it in indeks_opd.build.sources")
