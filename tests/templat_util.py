"""Helpers for the template tests: a master, its templates, and filling them like an OPD would."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl

from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from indeks_opd.templat.generate import HEADER_ROW, generate_templates

REALISASI_VALUES = {"pagu": 2_000_000_000, "target_keuangan": 1_000_000_000, "realisasi_keuangan": 900_000_000,
                    "target_fisik": 80, "realisasi_fisik": 72, "target_p3dn": 400_000_000,
                    "realisasi_p3dn": 360_000_000}
REALISASI_COLUMNS = {"tahun": "A", "triwulan": "B", "kode": "C", "pagu": "D", "target_keuangan": "E",
                     "realisasi_keuangan": "F", "target_fisik": "G", "realisasi_fisik": "H", "target_p3dn": "I",
                     "realisasi_p3dn": "J"}
INDIKATOR_COLUMNS = {"tahun": "A", "triwulan": "B", "kode": "C", "program": "D", "indikator": "E", "satuan": "F",
                     "arah": "G", "target": "H", "realisasi": "I", "bobot": "J", "bukti_dukung": "K"}
FIRST = HEADER_ROW + 1


def make_master(folder: Path, nama: str = "induk.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_contract_workbook(folder / nama, sample_rows())


def make_templates(master: Path, folder: Path, tahun=2022, triwulan=4, kode=None) -> dict[str, Path]:
    paths = generate_templates(read_workbook(master), tahun, triwulan, folder, kode).paths
    return {re.match(r"Templat_\d+_TW\d_(.+?)_", p.name).group(1): p for p in paths}


def fill(path: Path, realisasi: dict | None = None, faktor: float = 0.9, ubah=None) -> Path:
    """Fill a template: Realisasi values, each indicator's realisasi = target × faktor (Turun mirrored)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Realisasi"]
    for f, v in {**REALISASI_VALUES, **(realisasi or {})}.items():
        ws[f"{REALISASI_COLUMNS[f]}{FIRST}"] = v
    ws = wb["Indikator"]
    for r in range(FIRST, ws.max_row + 1):
        target = ws[f"H{r}"].value
        if ws[f"E{r}"].value and target is not None:
            ws[f"I{r}"] = target * faktor if ws[f"G{r}"].value == "Naik" else target * (2 - faktor)
    if ubah:
        ubah(wb)
    wb.save(path)
    return path


def patch_part(path: Path, part: str, ganti) -> Path:
    """Rewrite one zip part of a workbook with ``ganti(bytes) -> bytes``."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src:
        assert part in src.namelist(), part
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, ganti(data) if info.filename == part else data)
    shutil.move(tmp, path)
    return path


def sheet_part(path: Path, nama: str) -> str:
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{nama}"[^>]*r:id="(rId\d+)"', wb) or re.search(
        rf'<sheet [^>]*r:id="(rId\d+)"[^>]*name="{nama}"', wb)
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    t = target.group(1) or target.group(2)
    return t.lstrip("/") if t.startswith("/") else f"xl/{t}"


def set_cell_xml(path: Path, sheet: str, ref: str, xml: str) -> Path:
    """Replace cell ``ref`` of a sheet with raw XML (for formulas and cached error values)."""
    part = sheet_part(path, sheet)

    def ganti(data: bytes) -> bytes:
        teks = data.decode()
        baru, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, teks, count=1)
        assert n == 1, ref
        return baru.encode()

    return patch_part(path, part, ganti)


VBA_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"VBA project of the master: must survive every import byte for byte" * 50


def make_rich_master(folder: Path) -> Path:
    """A master .xlsm like Bappeda's: VBA project, a table, validations, an extra sheet, a Masalah sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table

    plain = make_master(folder, "induk-polos.xlsx")
    wb = openpyxl.load_workbook(plain)
    dv = DataValidation(type="whole", operator="between", formula1="1", formula2="4", error="Triwulan 1-4")
    wb["Realisasi"].add_data_validation(dv)
    dv.add("B2:B1000")
    ind = wb["Indikator"]
    ind.add_table(Table(displayName="tblIndikator", ref=f"A1:J{ind.max_row}"))
    wb.create_sheet("Catatan")["A1"] = "Catatan rapat: jangan dihapus"
    wb.create_sheet("Masalah")["A1"] = "isi lama"
    wb.save(plain)
    master = folder / "induk.xlsm"

    def ganti(data: bytes) -> bytes:
        return data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
            b"</Types>", b'<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                         b"</Types>")

    def ganti_rels(data: bytes) -> bytes:
        return data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                            b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')

    patch_part(plain, "[Content_Types].xml", ganti)
    patch_part(plain, "xl/_rels/workbook.xml.rels", ganti_rels)
    with zipfile.ZipFile(plain, "a") as z:
        z.writestr("xl/vbaProject.bin", VBA_BYTES)
    shutil.move(plain, master)
    return master


def parts(path: Path) -> dict[str, bytes]:
    """Every zip part of a workbook (name → bytes), to compare files part by part."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


# --- damage, as crashes, bad disks and other programs do it ------------------------------------

def corrupt_deflate(sheet):
    """Flip bytes inside the compressed stream of a sheet (a bad sector, a cut download)."""
    def jalan(path: Path) -> Path:
        part = sheet_part(path, sheet)
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(part)
        data = bytearray(path.read_bytes())
        awal = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(awal + 10, awal + min(200, info.compress_size - 5)):
            data[i] ^= 0x5A
        path.write_bytes(bytes(data))
        return path
    return jalan


def truncate_xml(sheet):
    """A sheet whose XML stops half-way (a program that died while saving), packed correctly."""
    return lambda path: patch_part(path, sheet_part(path, sheet), lambda data: data[: len(data) // 2])


STRICT_NAMESPACES = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def strict_ooxml(path: Path) -> Path:
    """What Excel's "Strict Open XML Spreadsheet" save option writes: the same parts in the Strict namespaces."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith((".xml", ".rels")):
                for lama, baru in STRICT_NAMESPACES.items():
                    data = data.replace(lama, baru)
            out.writestr(info, data)
    shutil.move(tmp, path)
    return path
