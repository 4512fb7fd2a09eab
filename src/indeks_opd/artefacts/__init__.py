"""Building the shipped Excel files from text sources (docs/vba-build.md).

Nothing here runs inside Excel. :mod:`indeks_opd.artefacts.workbook` lays out the master workbook
``xlsm/IndeksKinerjaOPD.xlsm`` with XlsxWriter and :mod:`indeks_opd.artefacts.addin` the add-in
``addin/IndeksOPD.xlam``; :mod:`indeks_opd.artefacts.vba_project` turns ``addin/vba/*.bas`` and
``addin/customUI14.xml`` into ``vbaProject.bin`` and the add-in package, and
:mod:`indeks_opd.artefacts.udf_wrappers` generates the UDF wrappers from the ``xw.func``
signatures. :mod:`indeks_opd.artefacts.content` summarises a built file (cells, names,
validations, conditional formats, buttons, VBA sources) so a committed binary can be compared
with a fresh build. ``indeks-opd bangun`` (:mod:`indeks_opd.cli.bangun`) runs them.
"""

from __future__ import annotations

from datetime import datetime

from indeks_opd import __version__

__all__ = ["BUILD_TIMESTAMP", "document_properties"]

BUILD_TIMESTAMP = datetime(2024, 1, 1, 0, 0, 0)
"""Fixed document timestamp (docProps created/modified) so that a rebuild is comparable."""

AUTHOR = "Bappeda — Indeks Kinerja OPD"


def document_properties(title: str, subject: str) -> dict:
    """XlsxWriter ``set_properties`` of a built file: the shared author, company, fixed timestamp and version."""
    return {"title": title, "subject": subject, "author": AUTHOR, "company": "Bappeda", "created": BUILD_TIMESTAMP,
            "comments": f"Dibangun oleh indeks-opd {__version__} (indeks-opd bangun)."}
