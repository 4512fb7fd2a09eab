"""Our files against files Excel itself wrote: the ``quickstart*.xlsm/.xlam`` and the ``xlwings.xlam``
add-in inside the installed xlwings package were saved by Excel (``fileVersion appName="xl"``,
``lastEdited="7"``, VBA projects Excel compiled). No Excel runs here, so what Excel accepts is
learnt from what Excel writes: every part kind, relationship, ``workbook.xml`` element and VBA
``dir`` record we write must be one Excel writes too, in Excel's order, with a short ignore list
that says why each entry is there. And ``hitung`` run on an Excel-made workbook must leave every
part it does not own byte for byte as Excel wrote it.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwings
from lxml import etree

from conftest import run_cli
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from indeks_opd.files.xlsx_package import Package, Worksheet, q
from templat_util import parts
from vba_records import dir_records

ROOT = Path(__file__).resolve().parents[1]
OURS = {"xlsm": ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm", "xlam": ROOT / "addin" / "IndeksOPD.xlam"}
XLWINGS = Path(xlwings.__file__).parent
EXCEL_MADE = [XLWINGS / "quickstart.xlsm", XLWINGS / "quickstart_addin.xlam", XLWINGS / "addin" / "xlwings.xlam"]
"""Saved by Excel 365 (workbook.xml: appName "xl", lastEdited 7; VBA projects with p-code Excel compiled)."""

NOT_IN_EXCEL_MADE = {
    # part kinds our files have and none of the Excel-made files in the xlwings package has; each is
    # checked elsewhere: tables and VML by their ECMA-376/VML readers (openpyxl, LibreOffice) and
    # test_schemas, the ribbon against Microsoft's customui14.xsd
    "xl/tables/table.xml", "xl/drawings/vmlDrawing.vml", "xl/worksheets/_rels/sheet.xml.rels",
    "customUI/customUI14.xml",
}


def kind(part: str) -> str:
    """A part name without its number: ``xl/worksheets/sheet7.xml`` → ``xl/worksheets/sheet.xml``."""
    return re.sub(r"(sheet|table|vmlDrawing|drawing|theme|ctrlProp)\d+(?=\.\w+(\.rels)?$)", r"\1", part)


def content_types(package: dict[str, bytes]) -> dict[str, str]:
    """Content type of every part kind of a package (override, else the extension's default)."""
    types = etree.fromstring(package["[Content_Types].xml"])
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(f"{ns}Default")}
    overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iter(f"{ns}Override")}
    return {kind(p): overrides.get(p) or defaults[p.rsplit(".", 1)[-1].lower()]
            for p in package if p != "[Content_Types].xml"}


def excel_made_types() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in EXCEL_MADE:
        for k, t in content_types(parts(path)).items():
            found.setdefault(k, set()).add(t)
    return found


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_every_part_has_the_content_type_excel_gives_it(which):
    excel = excel_made_types()
    ours = content_types(parts(OURS[which]))
    for part_kind, content_type in ours.items():
        if part_kind in NOT_IN_EXCEL_MADE:
            continue
        if part_kind == "xl/workbook.xml":  # the main part's type is what makes a file .xlsm or .xlam
            expected = content_types(parts(EXCEL_MADE[0 if which == "xlsm" else 1]))[part_kind]
            assert content_type == expected
        else:
            assert content_type in excel[part_kind], (part_kind, content_type, excel.get(part_kind))
    assert set(ours) - NOT_IN_EXCEL_MADE <= set(excel)


def relationship_types(package: dict[str, bytes]) -> dict[tuple[str, str], str]:
    """(rels part kind, target kind) → relationship type."""
    out = {}
    for name, data in package.items():
        if name.endswith(".rels"):
            base = name.replace("_rels/", "").removesuffix(".rels")
            folder = base.rsplit("/", 1)[0] if "/" in base else ""
            for rel in etree.fromstring(data):
                target = rel.get("Target").lstrip("/")
                target = target if rel.get("Target").startswith("/") or not folder else f"{folder}/{target}"
                out[(kind(name), kind(target))] = rel.get("Type")
    return out


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_every_relationship_has_the_type_excel_gives_it(which):
    excel: dict = {}
    for path in EXCEL_MADE:
        for key, t in relationship_types(parts(path)).items():
            excel.setdefault(key, set()).add(t)
    for (source, target), rel_type in relationship_types(parts(OURS[which])).items():
        if source in NOT_IN_EXCEL_MADE or target in NOT_IN_EXCEL_MADE:
            continue
        assert rel_type in excel[(source, target)], (source, target, rel_type)


def element_paths(xml: bytes) -> list[str]:
    """``fileVersion@codeName``-style paths of every element and attribute below the root, in document order."""
    root = etree.fromstring(xml)
    out = []
    for el in root.iter():
        if el is root or not isinstance(el.tag, str):
            continue
        path = "/".join(etree.QName(a).localname for a in reversed(list(el.iterancestors())) if a is not root)
        path = f"{path}/{etree.QName(el).localname}".lstrip("/")
        out.append(path)
        out += [f"{path}@{etree.QName(a).localname}" for a in el.attrib]
    return out


WORKBOOK_NOT_IN_EXCEL_MADE = {
    # defined names (ECMA-376 18.2.5): the Excel-made files define none; openpyxl, LibreOffice and the
    # contract reader read ours, and the hidden filter names are checked in test_hitung_excel_rules
    "definedNames/definedName", "definedNames/definedName@name", "definedNames/definedName@localSheetId",
    "definedNames/definedName@hidden",
}


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_workbook_part_uses_only_elements_excel_writes_in_excels_order(which):
    excel_paths: set[str] = set()
    excel_orders = []
    for path in EXCEL_MADE:
        excel_paths |= set(element_paths(parts(path)["xl/workbook.xml"]))
        excel_orders.append([etree.QName(c).localname for c in etree.fromstring(parts(path)["xl/workbook.xml"])])
    ours_xml = parts(OURS[which])["xl/workbook.xml"]
    unknown = set(element_paths(ours_xml)) - excel_paths - WORKBOOK_NOT_IN_EXCEL_MADE
    assert unknown == set()
    order = [etree.QName(c).localname for c in etree.fromstring(ours_xml)]
    for i, first in enumerate(order):  # any two of our elements that Excel also writes come in Excel's order
        for later in order[i + 1:]:
            assert all(o.index(first) < o.index(later) for o in excel_orders if first in o and later in o), (first, later)
    assert "workbookPr@codeName" in element_paths(ours_xml)  # binds ThisWorkbook's document module


def dir_layout(records: list[tuple[int, bytes]]) -> tuple[list[int], list[tuple[int, ...]], list[tuple[int, ...]]]:
    """The dir stream as Excel lays it out: the information records up to the first reference, each
    reference's record ids and each module's record ids (MS-OVBA 2.3.4.2)."""
    ids = [i for i, _ in records]
    first_reference, modules = ids.index(0x0016), ids.index(0x000F)
    references, current = [], []
    for i in ids[first_reference:modules]:
        if i == 0x0016 and current:
            references.append(tuple(current))
            current = []
        current.append(i)
    references.append(tuple(current))
    module_ids, current = [], []
    for i in ids[modules + 2:-1]:  # after PROJECTMODULES and PROJECTCOOKIE, before the terminator
        current.append(i)
        if i == 0x002B:
            module_ids.append(tuple(current))
            current = []
    return ids[:first_reference], references, module_ids


IGNORED_DIR_RECORDS = {0x004A}
"""PROJECTCOMPATVERSION: optional (MS-OVBA 2.3.4.2.1.2); Excel 2010+ writes it, Excel 2007 does not."""


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_vba_dir_records_are_laid_out_as_excel_lays_them_out(which):
    excel = [dir_layout(dir_records(p)) for p in EXCEL_MADE]
    info, references, modules = dir_layout(dir_records(OURS[which]))
    assert all(info == [i for i in e_info if i not in IGNORED_DIR_RECORDS] for e_info, _, _ in excel)
    excel_references = {r for _, refs, _ in excel for r in refs}
    assert set(references) <= excel_references  # REFERENCENAME + REFERENCEREGISTERED / REFERENCEPROJECT
    excel_modules = {m for _, _, mods in excel for m in mods}
    assert set(modules) <= excel_modules  # standard (0x21) and document/class (0x22) module records
    # LCIDs, code page, help context, library flags (the cookies 0x0013/0x002C are left out: MS-OVBA says
    # readers ignore them and writers write 0xFFFF, which we do; Excel writes its own values)
    fixed = {0x0002, 0x0014, 0x0003, 0x0007, 0x0008, 0x001E}
    excel_values = {(i, p) for path in EXCEL_MADE for i, p in dir_records(path) if i in fixed}
    assert {(i, p) for i, p in dir_records(OURS[which]) if i in fixed} <= excel_values


def project_keys(package: Path) -> tuple[list[str], dict[str, str]]:
    with zipfile.ZipFile(package) as z:
        text = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin"))).openstream("PROJECT").read().decode("cp1252")
    keys, values = [], {}
    for line in text.split("\r\n"):
        key = line.split("=", 1)[0] if "=" in line and not line.startswith("&H") else line
        key = "MODULE" if key in ("Document", "Module", "Class") else key
        if line.startswith("&H"):
            values["HostExtender"] = line
        elif "=" in line and key != "MODULE":
            values[key] = line.split("=", 1)[1]
        if not keys or keys[-1] != key:
            keys.append(key)
    return keys[:keys.index("[Workspace]") + 1], values


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_project_stream_has_excels_keys_in_excels_order(which):
    keys, values = project_keys(OURS[which])
    for path in EXCEL_MADE:
        excel_keys, excel_values = project_keys(path)
        assert keys == excel_keys
        for key in ("HelpContextID", "VersionCompatible32", "HostExtender"):
            assert values[key] == excel_values[key]


# --- hitung on an Excel-made workbook ---------------------------------------------------------

def excel_made_master(folder: Path) -> Path:
    """Excel's quickstart.xlsm with the contract sheets added through the package editor: its own parts
    (theme, styles, VBA project, its two sheets, properties) keep Excel's bytes."""
    contract = openpyxl.load_workbook(write_contract_workbook(folder / "kontrak.xlsx", sample_rows()))
    path = folder / "quickstart.xlsm"
    shutil.copy(EXCEL_MADE[0], path)
    pkg = Package.open(path)
    for ws in contract.worksheets:
        sheet = Worksheet(pkg, pkg.add_sheet(ws.title).part)
        sheet.write_cells((c.row, c.column, c.value, 0) for row in ws.iter_rows() for c in row if c.value is not None)
        sheet.update_dimension()
    workbook = pkg.xml(pkg.workbook_part)
    names = etree.Element(q("definedNames"))
    for name, defined in contract.defined_names.items():
        etree.SubElement(names, q("definedName"), name=name).text = defined.attr_text
    workbook.find(q("sheets")).addnext(names)
    pkg.save(folder / "induk.xlsm")
    return folder / "induk.xlsm"


OWNED_BY_HITUNG = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
"""Parts hitung edits in any workbook: new sheets are registered, cell formats appended."""


def test_hitung_leaves_every_part_it_does_not_own_as_excel_wrote_it(tmp_path):
    master = excel_made_master(tmp_path)
    before = parts(master)
    excel = parts(EXCEL_MADE[0])
    assert all(before[name] == data for name, data in excel.items() if name not in OWNED_BY_HITUNG)
    r = run_cli("hitung", master)
    assert r.returncode in (0, 3), r.stderr
    after = parts(master)
    pkg = Package.open(master)
    written = {s.part for s in pkg.sheets() if s.name in ("Peringkat", "Riwayat", "Masalah", "Log")}
    assert len(written) == 4
    assert set(before) <= set(after)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= OWNED_BY_HITUNG | written
    untouched = set(excel) - OWNED_BY_HITUNG
    assert untouched >= {"xl/vbaProject.bin", "xl/theme/theme1.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
                         "xl/worksheets/sheet2.xml", "docProps/core.xml", "docProps/app.xml", "_rels/.rels"}
    assert all(after[n] == excel[n] for n in untouched)
    assert not (set(after) - set(before) - written - {f"xl/worksheets/sheet{i}.xml" for i in range(1, 20)})
    assert openpyxl.load_workbook(master)["Peringkat"]["A6"].value == 1
