"""What a built workbook or add-in contains, as plain data, to compare a committed file with a fresh build.

The comparison is by content, cell by cell (as XlsxWriter's own test-suite compares files),
not by bytes: sheet order and state, every cell's value or formula with its number format,
fill, font colour and lock, merged ranges, frozen panes, tables, data validations,
conditional formats, defined names, sheet protection, print setup, buttons and their macros,
the ribbon XML, the main content type and the VBA module sources (read with olevba).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

import openpyxl

from indeks_opd.artefacts.package import main_content_type, set_main_content_type
from indeks_opd.artefacts.vba_project import package_macro_names


def vba_modules(path: Path | str) -> dict[str, str]:
    """VBA module name → source code, as olevba reads it from the file (empty without a VBA project).

    Needs ``oletools`` (the ``test`` extra): only the build checks read VBA back.
    """
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        if not parser.detect_vba_macros():
            return {}
        return {vba_filename: code.replace("\r\n", "\n") for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


def ribbon_xml(path: Path | str) -> str | None:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.lower().startswith("customui/") and n.endswith(".xml")]
        return "\n".join(z.read(n).decode("utf-8") for n in sorted(names)) or None


def _colour(c) -> str | None:
    if c is None:
        return None
    return c.rgb if isinstance(c.rgb, str) else None


def _cells(ws) -> dict:
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            fill = _colour(c.fill.fgColor) if c.fill is not None and c.fill.fill_type else None
            style = (c.number_format, fill, _colour(c.font.color) if c.font else None, bool(c.font and c.font.b),
                     c.protection.locked)
            if c.value is None and style == ("General", None, None, False, True):
                continue
            cells[c.coordinate] = (c.value, *style)
    return cells


def _validations(ws) -> list:
    return sorted(
        (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank, dv.showErrorMessage,
         dv.errorTitle, dv.error, dv.promptTitle, dv.prompt, dv.errorStyle)
        for dv in ws.data_validations.dataValidation)


def _conditional_formats(ws) -> list:
    hasil = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            fill = None
            if rule.dxf is not None and rule.dxf.fill is not None:
                fill = _colour(rule.dxf.fill.bgColor) or _colour(rule.dxf.fill.fgColor)
            hasil.append((str(cf.sqref), rule.type, rule.operator, tuple(rule.formula or ()), fill, rule.priority))
    return sorted(hasil, key=repr)


def _sheet(ws) -> dict:
    ps = ws.page_setup
    return {
        "state": ws.sheet_state,
        "cells": _cells(ws),
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "tables": sorted((t.name, t.ref, tuple(c.name for c in t.tableColumns)) for t in ws.tables.values()),
        "validations": _validations(ws),
        "conditional_formats": _conditional_formats(ws),
        "protected": bool(ws.protection.sheet),
        "columns": sorted((k, d.width, bool(d.hidden)) for k, d in ws.column_dimensions.items()),
        "print": (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight, ws.print_title_rows,
                  str(ws.print_area) if ws.print_area else None),
        "autofilter": ws.auto_filter.ref,
    }


def workbook_content(path: Path | str) -> dict:
    """Everything a user or a macro can see in a built file, as comparable plain data."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:  # openpyxl reads no add-in: show it the same parts as an .xlsm
        copy = set_main_content_type(Path(shutil.copy(path, Path(tmp) / "salinan.xlsm")), "xlsm")
        wb = openpyxl.load_workbook(BytesIO(copy.read_bytes()))
    try:
        return {
            "content_type": main_content_type(path),
            "sheets": [ws.title for ws in wb.worksheets],
            "active": wb.active.title if wb.active is not None else None,
            "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
            "sheet": {ws.title: _sheet(ws) for ws in wb.worksheets},
            "macros": package_macro_names(path),
            "ribbon": ribbon_xml(path),
            "vba": vba_modules(path),
        }
    finally:
        wb.close()


def differences(a: dict, b: dict, where: str = "") -> list[str]:
    """Readable list of where two content summaries differ (empty when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        hasil = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                hasil.append(f"{where}/{k}: only in {'second' if k not in a else 'first'}")
            else:
                hasil += differences(a[k], b[k], f"{where}/{k}")
        return hasil
    return [] if a == b else [f"{where}: {a!r} != {b!r}"[:400]]
