"""Post-processing of an OOXML package written by XlsxWriter: content types and extra parts.

XlsxWriter writes ``.xlsx``/``.xlsm`` packages; a macro-enabled workbook without a VBA project
(the build before the VBA sources exist) and an add-in (``.xlam``) need another main content
type, and the add-in's ribbon needs a ``customUI`` part. Entries are rewritten with a fixed
timestamp so that a rebuild is byte-for-byte comparable.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

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


def rewrite_package(path: Path, kind: str, extra_parts: dict[str, bytes] | None = None,
                    extra_root_relationships: list[tuple[str, str, str]] | None = None,
                    extra_content_types: dict[str, str] | None = None) -> Path:
    """Set the main content type to ``kind`` (xlsx/xlsm/xlam) and add parts, in place.

    ``extra_root_relationships``: (Id, Type, Target) added to ``_rels/.rels``;
    ``extra_content_types``: part name (``/customUI/customUI14.xml``) → content type overrides.
    """
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    parts = dict(entries)
    types = parts["[Content_Types].xml"].decode("utf-8")
    for t in MAIN_TYPES.values():
        types = types.replace(f'ContentType="{t}"', f'ContentType="{MAIN_TYPES[kind]}"')
    for name, ctype in (extra_content_types or {}).items():
        types = types.replace("</Types>", f'<Override PartName="{name}" ContentType="{ctype}"/></Types>')
    parts["[Content_Types].xml"] = types.encode("utf-8")
    if extra_root_relationships:
        rels = parts["_rels/.rels"].decode("utf-8")
        for rid, rtype, target in extra_root_relationships:
            rels = rels.replace("</Relationships>",
                                f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"/></Relationships>')
        parts["_rels/.rels"] = rels.encode("utf-8")
    order = [n for n, _ in entries] + [n for n in (extra_parts or {}) if n not in parts]
    parts.update(extra_parts or {})
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    tmp.replace(path)
    return path
