"""Every XML part we generate or rewrite, validated against the standards Excel implements: the
ECMA-376 transitional schemas (SpreadsheetML, OPC content types, relationships, core and extended
properties) and Microsoft's customui14.xsd for the ribbon. The schemas are not ours and not in the
repository: tests load them from ``../shared/schemas/`` beside the checkout (CI has them there).

Allowed: exactly one known difference, ``xml:space="preserve"`` on ``<t>``, which Excel itself writes
and ``sml.xsd`` does not declare. VML (``*.vml``) has no usable schema (Excel reads it leniently);
it is compared with Excel-made files instead, where there are any (docs/vba-build.md).
``docProps/core.xml`` is not validated: ``opc-coreProperties.xsd`` imports the Dublin Core schemas
from the web, and tests use no network (openpyxl reads the properties back in other tests).
"""

from __future__ import annotations

import shutil
import zipfile
from functools import cache
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from conftest import run_cli
from templat_util import FIRST, fill, make_templates

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT.parent / "shared" / "schemas"
ECMA = SCHEMAS / "ecma-376"
SHIPPED = {"xlsm": ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm", "xlam": ROOT / "addin" / "IndeksOPD.xlam"}
ALLOWED = "attribute '{http://www.w3.org/XML/1998/namespace}space': The attribute " \
          "'{http://www.w3.org/XML/1998/namespace}space' is not allowed."


@cache
def ecma(schema: str) -> etree.XMLSchema:
    assert (ECMA / schema).exists(), f"schemas missing: {ECMA} (see the schemas README beside the checkout)"
    return etree.XMLSchema(etree.parse(str(ECMA / schema)))


@cache
def ribbon_schema(name: str) -> xmlschema.XMLSchema:
    """Microsoft's ribbon schemas: ``customui14.xsd`` (2009/07, customUI14.xml), ``customUI.xsd`` (2006).
    lxml refuses to load them, the xmlschema package does (see the schemas README)."""
    return xmlschema.XMLSchema(str(SCHEMAS / "customui" / name))


RIBBONS = {"customUI/customUI14.xml": "customui14.xsd", "customUI/customUI.xml": "customUI.xsd"}


def schema_for(part: str) -> str | None:
    if part == "[Content_Types].xml":
        return "opc-xsd/opc-contentTypes.xsd"
    if part.endswith(".rels"):
        return "opc-xsd/opc-relationships.xsd"
    if part == "docProps/app.xml":
        return "shared-documentPropertiesExtended.xsd"
    if part == "docProps/custom.xml":
        return "shared-documentPropertiesCustom.xsd"
    if part.startswith("xl/") and part.endswith(".xml"):
        return "sml.xsd"
    return None


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def understood(root):
    """``root`` as an Office 2007 reader sees it (ECMA-376 Part 3, markup compatibility): elements and
    attributes of the namespaces ``mc:Ignorable`` names are dropped, ``mc:AlternateContent`` takes its
    ``mc:Fallback`` (or nothing). Excel writes such extensions; the 2006 schemas do not know them."""
    ignorable = {root.nsmap.get(prefix) for prefix in (root.get(f"{{{MC}}}Ignorable") or "").split()}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        for name in [a for a in el.attrib if etree.QName(a).namespace in ignorable | {MC}]:
            del el.attrib[name]
        if el.getparent() is not None and (etree.QName(el).namespace in ignorable or el.tag == f"{{{MC}}}AlternateContent"):
            fallback = el.find(f"{{{MC}}}Fallback")
            for child in reversed(list(fallback) if fallback is not None else []):
                el.addnext(child)
            el.getparent().remove(el)
    return root


def problems(path: Path) -> list[str]:
    """Every schema error of every XML part of a package, but the one Excel itself causes."""
    found = []
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            data = z.read(part)
            if part in RIBBONS:
                found += [f"{part}: {e.reason}" for e in ribbon_schema(RIBBONS[part]).iter_errors(data.decode("utf-8"))]
                continue
            schema = schema_for(part)
            if part.endswith((".vml", ".bin")) or part == "docProps/core.xml":
                continue  # no schema here for VML; opc-coreProperties.xsd imports Dublin Core from the web
            assert schema, f"{path.name}: no schema for part {part}"
            validator = ecma(schema)
            if not validator.validate(understood(etree.fromstring(data))):
                found += [f"{part}:{e.line}: {e.message}" for e in validator.error_log if not e.message.endswith(ALLOWED)]
    return found


def test_the_validator_accepts_what_excel_writes():
    """The check itself, on Excel's own files: nothing but the allowed quirk."""
    import xlwings

    for name in ("quickstart.xlsm", "addin/xlwings.xlam"):
        assert problems(Path(xlwings.__file__).parent / name) == []


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_built_files_are_schema_valid(which):
    assert problems(SHIPPED[which]) == []


def test_ribbon_is_valid_against_customui14():
    with zipfile.ZipFile(SHIPPED["xlam"]) as z:
        assert "customUI/customUI14.xml" in z.namelist()
    assert ribbon_schema("customui14.xsd").is_valid((ROOT / "addin" / "customUI14.xml").read_text(encoding="utf-8"))


def _evidence_links(wb):
    """Bukti Dukung of the first two indicators: the master and the rapor sheet get cell hyperlinks."""
    links = ["https://contoh.go.id/bukti?opd=1&tw=1", "\\\\bappeda-fs01\\Bukti Dukung\\Laporan Triwulan ü.pdf"]
    rows = [r for r in range(FIRST, FIRST + 2) if wb["Indikator"][f"E{r}"].value]
    for r, link in zip(rows, links):
        wb["Indikator"][f"K{r}"] = link


def test_files_hitung_templat_impor_and_rapor_write_are_schema_valid(tmp_path):
    master = tmp_path / "IndeksKinerjaOPD.xlsm"
    shutil.copy(SHIPPED["xlsm"], master)
    assert run_cli("hitung", master).returncode in (0, 3)
    templates = make_templates(master, tmp_path / "kirim", 2023, 1)
    for path in templates.values():
        fill(path, ubah=_evidence_links)
    r = run_cli("impor", tmp_path / "kirim", "--ke", master, "--tahun", "2023", "--triwulan", "1")
    assert r.returncode == 0, r.stderr
    r = run_cli("rapor", master, "--opd", "2.15", "--tahun", "2023", "--triwulan", "1", "--keluaran",
                tmp_path / "rapor")  # the imported period, of an OPD with evidence links
    assert r.returncode in (0, 3), r.stderr
    written = [master, next(iter(templates.values())), *sorted((tmp_path / "rapor").glob("*.xlsx"))]
    assert len(written) == 3
    for path in written:
        assert problems(path) == [], path.name
    with zipfile.ZipFile(master) as z, zipfile.ZipFile(written[2]) as rapor:
        for package in (z, rapor):  # the hyperlinks are there, so the check above covered them
            assert any(b"<hyperlink " in package.read(n) for n in package.namelist() if "worksheets/sheet" in n)
