"""Writer of ``vbaProject.bin`` (MS-OVBA) from VBA source text, plus the zip-level steps that turn
an XlsxWriter ``.xlsm`` into an add-in ``.xlam`` and inject the ribbon (customUI) part.

Written from the MS-OVBA and MS-CFB specifications. The PyPI package ``ms-ovba`` was evaluated
and not adopted (see ``docs/vba-build.md``).

Module streams hold only the compressed source (``MODULEOFFSET`` 0, no p-code) and the
``_VBA_PROJECT`` stream carries no performance cache with version 0xFFFF, so Excel compiles every
module from its source on first open. All identifiers and the protection fields of the PROJECT
stream are derived from the inputs, so the same sources always give the same bytes.
"""

from __future__ import annotations

import importlib.util
import io
import re
import struct
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import olefile

from indeks_opd.core.masalah import UnusableWorkbook, galat

from .cfb import write_compound_file
from .ovba_compression import compress, decompress
from .package import MAIN_TYPES, deterministic_zip

CODE_PAGE = 1252
LCID = 0x0409

#: ``addin/`` of the source checkout (the build runs from a checkout, not an installed wheel).
ADDIN_DIR = Path(__file__).resolve().parents[3] / "addin"
VBA_DIR = ADDIN_DIR / "vba"
RIBBON_FILE = ADDIN_DIR / "customUI14.xml"

#: Attributes of the document module behind the workbook object (``ThisWorkbook``).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
#: Attributes of the document module behind a worksheet object (``Sheet1`` ...).
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"

_UUID_NAMESPACE = uuid.UUID("5d1e6c2a-3f0b-4e8e-9a57-1c2d0b7f4e10")


@dataclass(frozen=True)
class Reference:
    """A VBA project reference.

    ``kind`` "registered" (a type library: ``libid`` is ``*\\G{guid}#ver#lcid#path#description``)
    or "project" (another VBA project such as an add-in: ``libid`` is the absolute
    ``*\\C<path>``, ``relative`` the path relative to the referencing file).
    """

    name: str
    libid: str
    kind: str = "registered"
    relative: str = ""
    major: int = 0
    minor: int = 0


#: OLE Automation (stdole), present in every Excel VBA project.
STDOLE = Reference("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
                             r"C:\Windows\System32\stdole2.tlb#OLE Automation")
#: Microsoft Office Object Library: declares ``IRibbonControl`` for ribbon callbacks.
OFFICE = Reference("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
                             r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#"
                             r"Microsoft Office 16.0 Object Library")


def xlwings_addin() -> Path:
    """The ``xlwings.xlam`` the installed xlwings package ships (what ``xlwings addin install`` copies)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("paket xlwings tidak terpasang")
    return Path(spec.origin).parent / "addin" / "xlwings.xlam"


def project_version(package: str | Path) -> tuple[int, int]:
    """PROJECTVERSION (major, minor) from the ``dir`` stream of a workbook package's VBA project
    (MS-OVBA 2.3.4.2.1.11; the records before it are all plain id/size/data records)."""
    with zipfile.ZipFile(package) as archive, olefile.OleFileIO(archive.read("xl/vbaProject.bin")) as ole:
        records = decompress(ole.openstream("VBA/dir").read())
    pos = 0
    while pos + 6 <= len(records):
        record_id, size = struct.unpack_from("<HI", records, pos)
        if record_id == 0x0009:
            return struct.unpack_from("<IH", records, pos + 6)
        pos += 6 + size
    raise ValueError(f"{package}: dir stream has no PROJECTVERSION record")


def xlwings_reference() -> Reference:
    """The project reference to the xlwings add-in (VBA project "xlwings").

    ``xlwings addin install`` copies the add-in into the user's XLSTART folder, so it is open
    whenever Excel runs and VBA binds the reference to that open ``xlwings.xlam``; the stored paths
    are only hints, exactly as in the workbooks made by ``xlwings quickstart`` (which carry the
    path of the xlwings developer's own machine). MS-OVBA 2.3.4.2.2.5: the version must be the
    referenced project's, so it is read from the add-in of the installed xlwings.
    """
    major, minor = project_version(xlwings_addin())
    return Reference("xlwings", r"*\CC:\Program Files\xlwings\xlwings.xlam", kind="project",
                     relative=r"*\Cxlwings.xlam", major=major, minor=minor)


@dataclass(frozen=True)
class Module:
    """One VBA module: ``kind`` "standard", "class" or "document" (workbook/worksheet object)."""

    name: str
    source: str
    kind: str = "standard"


@dataclass(frozen=True)
class VbaProject:
    name: str
    modules: tuple[Module, ...]
    references: tuple[Reference, ...] = field(default_factory=lambda: (STDOLE, OFFICE, xlwings_reference()))


_VB_NAME = re.compile(r'^Attribute\s+VB_Name\s*=\s*"([^"]+)"\s*$', re.IGNORECASE | re.MULTILINE)


def module_name_of(source: str) -> str:
    """The ``Attribute VB_Name`` a .bas file declares (the VBE's own export format)."""
    match = _VB_NAME.search(source)
    if not match:
        raise ValueError('VBA source has no line Attribute VB_Name = "..."')
    return match.group(1)


def normalise_source(source: str) -> str:
    """CRLF line ends with a final line break, as the VBE stores module text."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    return "\r\n".join(lines) + "\r\n"


def read_bas(path: str | Path) -> Module:
    """A standard module from a .bas file (UTF-8 in the repository, must fit code page 1252)."""
    source = Path(path).read_text(encoding="utf-8")
    return Module(module_name_of(source), normalise_source(source))


def document_module(name: str, base: str) -> Module:
    """The empty code module behind a workbook or worksheet object (``ThisWorkbook``, ``Sheet1``)."""
    attributes = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return Module(name, "\r\n".join(attributes) + "\r\n", kind="document")


def document_modules(workbook_codename: str, sheet_codenames: Sequence[str]) -> list[Module]:
    """Document modules for a workbook and its sheets; the names must equal the ``codeName``s
    written into the workbook (XlsxWriter: ``set_vba_name``)."""
    return [document_module(workbook_codename, WORKBOOK_BASE)] + [
        document_module(name, WORKSHEET_BASE) for name in sheet_codenames
    ]


# --- encoding helpers -------------------------------------------------------------------------

def _mbcs(text: str, what: str) -> bytes:
    try:
        return text.encode(f"cp{CODE_PAGE}")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{what} has characters outside code page {CODE_PAGE}: {exc}") from None


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _u32(record_id: int, value: int) -> bytes:
    return _record(record_id, struct.pack("<I", value))


def _text_pair(record_id: int, reserved_id: int, text: str, what: str) -> bytes:
    """A record holding an MBCS string followed by its UTF-16 twin under a reserved id."""
    return _record(record_id, _mbcs(text, what)) + _record(reserved_id, text.encode("utf-16-le"))


# --- dir stream (MS-OVBA 2.3.4.2) ---------------------------------------------------------------

def _reference_records(ref: Reference) -> bytes:
    out = _text_pair(0x0016, 0x003E, ref.name, "reference name")
    libid = _mbcs(ref.libid, "reference libid")
    if ref.kind == "registered":
        body = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
        return out + _record(0x000D, body)
    if ref.kind == "project":
        relative = _mbcs(ref.relative or ref.libid, "reference relative libid")
        body = (struct.pack("<I", len(libid)) + libid + struct.pack("<I", len(relative)) + relative
                + struct.pack("<IH", ref.major, ref.minor))
        return out + _record(0x000E, body)
    raise ValueError(f"unknown reference kind {ref.kind!r}")


def _module_records(module: Module) -> bytes:
    out = _record(0x0019, _mbcs(module.name, "module name"))
    out += _record(0x0047, module.name.encode("utf-16-le"))
    out += _text_pair(0x001A, 0x0032, module.name, "module stream name")
    out += _text_pair(0x001C, 0x0048, "", "module docstring")
    out += _u32(0x0031, 0)  # MODULEOFFSET: source starts at byte 0, no p-code before it
    out += _u32(0x001E, 0)  # MODULEHELPCONTEXT
    out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
    out += struct.pack("<HI", 0x0021 if module.kind == "standard" else 0x0022, 0)  # MODULETYPE, Reserved
    out += struct.pack("<HI", 0x002B, 0)  # module Terminator, Reserved
    return out


def dir_stream(project: VbaProject) -> bytes:
    """The uncompressed dir stream: PROJECTINFORMATION, PROJECTREFERENCES, PROJECTMODULES."""
    out = _u32(0x0001, 0x00000001)  # PROJECTSYSKIND: 32-bit Windows (recompiled anyway)
    out += _u32(0x0002, LCID)  # PROJECTLCID
    out += _u32(0x0014, LCID)  # PROJECTLCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))  # PROJECTCODEPAGE
    out += _record(0x0004, _mbcs(project.name, "project name"))  # PROJECTNAME
    out += _text_pair(0x0005, 0x0040, "", "project docstring")  # PROJECTDOCSTRING
    out += _text_pair(0x0006, 0x003D, "", "help file")  # PROJECTHELPFILEPATH
    out += _u32(0x0007, 0)  # PROJECTHELPCONTEXT
    out += _u32(0x0008, 0)  # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION (Reserved=4, major, minor)
    out += _text_pair(0x000C, 0x003C, "", "project constants")  # PROJECTCONSTANTS
    for ref in project.references:
        out += _reference_records(ref)
    out += _record(0x000F, struct.pack("<H", len(project.modules)))  # PROJECTMODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in project.modules:
        out += _module_records(module)
    out += struct.pack("<HI", 0x0010, 0)  # dir Terminator, Reserved
    return out


# --- PROJECT stream (MS-OVBA 2.3.1) ----------------------------------------------------------

def project_id(project: VbaProject) -> str:
    """A stable project GUID derived from the project name."""
    return "{" + str(uuid.uuid5(_UUID_NAMESPACE, project.name)).upper() + "}"


def encrypt_data(data: bytes, project_guid: str, seed: int) -> str:
    """MS-OVBA 2.4.3.2 data encryption (used for CMG, DPB and GC); ``seed`` fixes the output."""
    version = 2
    proj_key = sum(_mbcs(project_guid, "project id")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ proj_key])
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, seed ^ proj_key, seed ^ version
    ignored = bytes((seed & 6) // 2)  # IgnoredEnc: any values; zeros keep the output fixed
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return out.hex().upper()


def project_stream(project: VbaProject) -> bytes:
    guid = project_id(project)
    lines = [f'ID="{guid}"']
    for module in project.modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project.name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{encrypt_data(struct.pack("<I", 0), guid, 0x41)}"',  # not protected
        f'DPB="{encrypt_data(bytes(1), guid, 0x43)}"',  # no password
        f'GC="{encrypt_data(bytes([0xFF]), guid, 0x45)}"',  # visible
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    for module in project.modules:
        lines.append(f"{module.name}=0, 0, 0, 0, C")
    return _mbcs("\r\n".join(lines) + "\r\n", "PROJECT stream")


def project_wm_stream(project: VbaProject) -> bytes:
    """PROJECTwm: each module name in MBCS and UTF-16, zero-terminated."""
    out = b""
    for module in project.modules:
        out += _mbcs(module.name, "module name") + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return out + b"\x00\x00"


_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
"""A VBA module or project name: a letter, then letters, digits or underscores, 31 characters at most."""


def _check(project: VbaProject) -> None:
    for module in project.modules:
        if not _IDENTIFIER.fullmatch(module.name):
            raise ValueError(f"invalid VBA module name {module.name!r}")
        declared = module_name_of(module.source)
        if declared != module.name:
            raise ValueError(f"module {module.name!r} declares VB_Name {declared!r}")
    if not _IDENTIFIER.fullmatch(project.name):
        raise ValueError(f"invalid VBA project name {project.name!r}")
    clashes = name_clashes(project)
    if clashes:
        raise UnusableWorkbook([galat(f"Nama VBA bentrok di proyek {project.name}: {clash}. Ganti salah satu "
                                      "nama di addin/vba/*.bas lalu bangun ulang.") for clash in clashes])


def public_procedures(source: str) -> list[str]:
    """Names of the procedures a standard module makes public (every Sub/Function not ``Private``)."""
    return [m.group(2) for m in _PROCEDURE.finditer(source) if not re.search(r"\bPrivate\b", m.group(1), re.I)]


def name_clashes(project: VbaProject) -> list[str]:
    """Every pair of names that VBA resolves in one namespace and that are equal ignoring case: the
    project, its references, its modules and the public procedures of its standard modules.

    VBA refuses a module named like its project or a referenced library ("Name conflicts with
    existing module, project, or object library"), and a public procedure named like a module or
    like another module's procedure makes a macro call ambiguous ("Cannot run the macro",
    "Ambiguous name detected"); docs/vba-build.md."""
    owners: dict[str, str] = {}
    clashes = []

    def claim(name: str, what: str) -> None:
        key = name.upper()
        if key in owners:
            clashes.append(f"{owners[key]} dan {what}")
        else:
            owners[key] = what

    claim(project.name, f"proyek '{project.name}'")
    for ref in project.references:
        claim(ref.name, f"referensi '{ref.name}'")
    for module in project.modules:
        claim(module.name, f"modul '{module.name}'")
    for module in project.modules:
        if module.kind == "standard":
            for name in public_procedures(module.source):
                claim(name, f"prosedur '{name}' (modul {module.name})")
    return clashes


def build_vba_project(project: VbaProject) -> bytes:
    """The bytes of ``vbaProject.bin`` for ``project``."""
    _check(project)
    streams = {
        "PROJECT": project_stream(project),
        "PROJECTwm": project_wm_stream(project),
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000),
        "VBA/dir": compress(dir_stream(project)),
    }
    for module in project.modules:
        source = normalise_source(module.source)
        streams[f"VBA/{module.name}"] = compress(_mbcs(source, f"module {module.name}"))
    return write_compound_file(streams)


def read_bas_dir(directory: str | Path) -> list[Module]:
    """All ``*.bas`` modules of a directory, in file-name order."""
    return [read_bas(path) for path in sorted(Path(directory).glob("*.bas"))]


_PROCEDURE = re.compile(
    r"^[ \t]*((?:(?:Public|Private|Friend|Static)[ \t]+)*)(?:Sub|Function)[ \t]+(\w+)[ \t]*\(([^\r\n]*)\)",
    re.IGNORECASE | re.MULTILINE,
)


def procedures(source: str) -> dict[str, str]:
    """Procedure name → parameter list text for every Sub/Function declared in VBA ``source``."""
    return {m.group(2): m.group(3).strip() for m in _PROCEDURE.finditer(source)}


# --- packages (.xlsm → .xlam, ribbon) ---------------------------------------------------------

MACRO_WORKBOOK_TYPE = MAIN_TYPES["xlsm"]
ADDIN_WORKBOOK_TYPE = MAIN_TYPES["xlam"]
RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_2006_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


def ribbon_actions(ribbon_xml: str) -> list[str]:
    """Every callback (onAction, getLabel, ...) a customUI document names, in document order."""
    return re.findall(r'\b(?:on[A-Z]\w*|get[A-Z]\w*)="([^"]+)"', ribbon_xml)


def _with_ribbon_relationship(rels: str) -> str:
    rels = re.sub(
        rf'<Relationship\b[^>]*Type="(?:{re.escape(RIBBON_RELATIONSHIP)}|{re.escape(RIBBON_2006_RELATIONSHIP)})"[^>]*/>',
        "", rels)
    used = set(re.findall(r'\bId="([^"]+)"', rels))
    number = 1
    while f"rIdUI{number}" in used:
        number += 1
    relationship = (f'<Relationship Id="rIdUI{number}" Type="{RIBBON_RELATIONSHIP}" '
                    f'Target="{RIBBON_PART}"/>')
    if "</Relationships>" not in rels:
        raise ValueError("package root relationships (_rels/.rels) are malformed")
    return rels.replace("</Relationships>", relationship + "</Relationships>")


def _open_package(source: bytes | str | Path) -> zipfile.ZipFile:
    """A package given as its bytes or as a path, opened for reading."""
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)


def package_workbook(source: bytes | str | Path, *, addin: bool, ribbon_xml: str | None = None) -> bytes:
    """Rewrite a macro-enabled workbook package (as XlsxWriter writes an .xlsm with a VBA project).

    ``addin``: give the workbook part the add-in content type, so the result is an ``.xlam``.
    ``ribbon_xml``: add it as the customUI (Office 2010+) part with its root relationship,
    replacing any ribbon already there. The zip is rewritten with fixed timestamps and order, so
    the same input gives the same bytes.
    """
    with _open_package(source) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()
                 if not info.filename.startswith("customUI/")]
    names = [name for name, _ in parts]
    if "xl/vbaProject.bin" not in names:
        raise ValueError("the workbook has no VBA project (xl/vbaProject.bin)")
    result = []
    for name, content in parts:
        if name == "[Content_Types].xml":
            text = content.decode("utf-8")
            if MACRO_WORKBOOK_TYPE not in text and ADDIN_WORKBOOK_TYPE not in text:
                raise ValueError("the workbook part is not macro-enabled (expected an .xlsm package)")
            if addin:
                text = text.replace(MACRO_WORKBOOK_TYPE, ADDIN_WORKBOOK_TYPE)
            if ribbon_xml is not None and 'Extension="xml"' not in text:
                text = text.replace("<Override ", '<Default Extension="xml" ContentType="application/xml"/>'
                                    "<Override ", 1)
            content = text.encode("utf-8")
        elif name == "_rels/.rels" and ribbon_xml is not None:
            content = _with_ribbon_relationship(content.decode("utf-8")).encode("utf-8")
        result.append((name, content))
    if ribbon_xml is not None:
        result.append((RIBBON_PART, ribbon_xml.encode("utf-8")))
    return deterministic_zip(result)


def package_macro_names(source: bytes | str | Path) -> dict[str, list[str]]:
    """Macro names a workbook package refers to: form-control buttons (VML ``FmlaMacro``) and
    ribbon callbacks (customUI parts), each without the ``[0]!``/module qualifier."""
    found: dict[str, list[str]] = {"buttons": [], "ribbon": []}
    with _open_package(source) as archive:
        for name in archive.namelist():
            if name.startswith("xl/drawings/") and name.endswith(".vml"):
                text = archive.read(name).decode("utf-8", "replace")
                for macro in re.findall(r"<x:FmlaMacro>([^<]*)</x:FmlaMacro>", text):
                    found["buttons"].append(macro.split("!")[-1].split(".")[-1])
            elif name.startswith("customUI/") and name.endswith(".xml"):
                found["ribbon"] += ribbon_actions(archive.read(name).decode("utf-8"))
    return found
