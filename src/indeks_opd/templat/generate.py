"""OPD templates: one plain .xlsx per OPD and period, built from the master workbook.

Each template holds the contract sheets ``Realisasi`` and ``Indikator`` (contract headers,
docs/kontrak.md) restricted to one OPD and one period, and the instructions sheet
``Petunjuk``. Identity cells (Tahun, Triwulan, Kode OPD) are prefilled and locked; the
cells the OPD fills are unlocked and highlighted; everything else is protected (without a
password: protection guides, it does not secure). The OPD's indicators of the previous
period are prefilled (program, indikator, satuan, arah, target) so that only Realisasi is
left to type. Data validation carries Indonesian input and error messages. No macros.

Layout (what :mod:`indeks_opd.impor.run` reads back): in both data sheets a title in row 1, a
note in row 2, the header in row :data:`HEADER_ROW` and data below it; Indikator keeps
:data:`EMPTY_INDICATOR_ROWS` extra rows (identity prefilled) for new indicators.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from indeks_opd.contract import choose_period, require_openable
from indeks_opd.contract.numbers import read_text
from indeks_opd.contract.schema import TAUTAN, Validation, default_fields
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_REALISASI, InputData
from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.core.period import Period
from indeks_opd.core.pipeline import active_opd, select_period
from indeks_opd.files.safe_write import replace_atomically
from indeks_opd.present import style

SHEET_PETUNJUK = "Petunjuk"
HEADER_ROW = 3
EMPTY_INDICATOR_ROWS = 10
IDENTITY = ("tahun", "triwulan", "kode")
IDENTITY_PROPERTY = "IndeksOPD Identitas"
"""Custom document property recording the identity a template was made for (``kode|tahun|triwulan``):
impor refuses a template whose locked identity cells no longer say the same (docs/arsitektur.md)."""


def identity_text(kode: str, tahun: int, triwulan: int) -> str:
    """The value of :data:`IDENTITY_PROPERTY`."""
    return f"{kode}|{tahun}|{triwulan}"

INPUT_FILL = PatternFill("solid", fgColor=style.INPUT)
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor=style.HEADER)
HEADER_FONT = Font(bold=True, color="FFFFFF")
LINK_FONT = Font(color=style.LINK, underline="single")
THIN = Side(style="thin", color=style.GRID)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

@dataclass(frozen=True)
class OpdInfo:
    kode: str
    nama: str
    singkatan: str


NAME_PART_MAX = 40
"""Characters of the code and of the short name in a template's file name: Windows refuses paths over
260 characters unless long paths are enabled, and templates go into folders on network shares."""


def template_filename(opd: OpdInfo, tahun: int, triwulan: int) -> str:
    """``Templat_2022_TW4_2.15_Dishub.xlsx``: sortable, code first, short name for humans; only letters,
    digits, ``.``, ``_`` and ``-`` (nothing Windows forbids in a file name), each part at most
    :data:`NAME_PART_MAX` characters."""
    singkat = re.sub(r"[^\w.-]+", "-", opd.singkatan or opd.nama, flags=re.UNICODE)[:NAME_PART_MAX].strip("-.")
    kode = re.sub(r"[^\w.-]+", "-", opd.kode)[:NAME_PART_MAX]
    return f"Templat_{Period(tahun, triwulan).file_tag()}_{kode}_{singkat}.xlsx"


def choose_opd(data: InputData, kode: list[str] | None) -> list[OpdInfo]:
    """The active OPDs (in OPD-sheet order), or the chosen codes; an unknown or inactive code is refused."""
    aktif = active_opd(data.opd)
    semua = {str(r.kode): r for r in data.opd.itertuples(index=False) if r.kode is not None}
    if kode:
        salah = [k for k in kode if k not in semua]
        tidak_aktif = [k for k in kode if k in semua and k not in set(aktif["kode"])]
        if salah or tidak_aktif:
            pesan = []
            if salah:
                pesan.append(galat(f"Kode OPD {', '.join(salah)} tidak ada di sheet OPD. Kode yang ada: "
                                   f"{', '.join(sorted(semua))}.", sheet="OPD"))
            if tidak_aktif:
                pesan.append(galat(f"OPD {', '.join(tidak_aktif)} tidak aktif (kolom Aktif = Tidak); templat hanya "
                                   "dibuat untuk OPD aktif.", sheet="OPD"))
            raise UnusableWorkbook(pesan)
        baris = [semua[k] for k in dict.fromkeys(kode)]
    else:
        baris = list(aktif.itertuples(index=False))
    # an empty Nama/Singkatan cell is NaN in the frame (truthy): read it as the contract reads text
    return [OpdInfo(str(r.kode), read_text(r.nama) or str(r.kode), read_text(r.singkatan) or "") for r in baris]


@dataclass(frozen=True)
class Templates:
    """The templates of one run: every file in OPD order, and those left as they were (already identical)."""

    paths: list[Path]
    unchanged: list[Path]

    @property
    def written(self) -> list[Path]:
        return [p for p in self.paths if p not in self.unchanged]


def templates_summary(templat: Templates, folder: Path | str) -> str:
    """One sentence for the console and the *Buat Templat* alert: how many were written, how many left alone."""
    kalimat = f"{len(templat.written)} templat dibuat di {folder}"
    if templat.unchanged:
        kalimat += f"; {len(templat.unchanged)} templat yang sama persis sudah ada di sana dan dibiarkan"
    return kalimat + "."


def generate_templates(data: InputData, tahun: int, triwulan: int, keluaran: Path | str,
                       kode: list[str] | None = None) -> Templates:
    """Write one template per chosen OPD into ``keluaran``; returns every file, naming those already there.

    Never overwrites: a file of the same name that differs from the template we would write
    (typically one an OPD has filled in) refuses the whole run before anything is written,
    listing those files. A file identical to ours (cell for cell) is left as it is. Each
    template is written atomically (:mod:`indeks_opd.safe_write`).
    """
    keluaran = Path(keluaran)
    keluaran.mkdir(parents=True, exist_ok=True)
    sebelumnya = select_period(data.indikator, *Period(tahun, triwulan).previous())
    rencana = []
    for opd in choose_opd(data, kode):
        indikator = sebelumnya[sebelumnya["kode"] == opd.kode]
        isi = io.BytesIO()
        build_template(opd, tahun, triwulan, indikator).save(isi)
        rencana.append((keluaran / template_filename(opd, tahun, triwulan), isi.getvalue()))
    lain = [path for path, isi in rencana if path.exists() and not _same_template(path, isi)]
    if lain:
        raise UnusableWorkbook([galat(
            f"Folder '{keluaran}' sudah berisi {len(lain)} berkas bernama sama dengan templat yang akan dibuat tetapi "
            f"isinya berbeda (mungkin sudah diisi OPD): {', '.join(p.name for p in lain)}. Tidak ada templat yang "
            "ditulis dan tidak ada berkas yang ditimpa. Pindahkan berkas itu (atau impor dulu yang sudah diisi), "
            "atau pilih folder lain dengan --keluaran.")])
    unchanged = [path for path, _ in rencana if path.exists()]
    for path, isi in rencana:
        if path not in unchanged:
            with replace_atomically(path) as tmp:
                tmp.write_bytes(isi)
    return Templates([path for path, _ in rencana], unchanged)


_TIMESTAMPS = "docProps/core.xml"
"""The only part of a template that differs between two runs (created/modified times)."""


def _same_template(path: Path, isi: bytes) -> bool:
    """``path`` holds exactly the template ``isi`` (every part equal except the timestamps)."""
    try:
        with zipfile.ZipFile(path) as lama, zipfile.ZipFile(io.BytesIO(isi)) as baru:
            if sorted(lama.namelist()) != sorted(baru.namelist()):
                return False
            return all(lama.read(n) == baru.read(n) for n in baru.namelist() if n != _TIMESTAMPS)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error):
        return False


def build_template(opd: OpdInfo, tahun: int, triwulan: int, indikator_sebelumnya: pd.DataFrame) -> Workbook:
    """The template workbook of one OPD and period (not saved)."""
    wb = Workbook()
    petunjuk = wb.active
    petunjuk.title = SHEET_PETUNJUK
    _write_petunjuk(petunjuk, opd, tahun, triwulan, not indikator_sebelumnya.empty)
    identitas = {"tahun": tahun, "triwulan": triwulan, "kode": opd.kode}
    periode = Period(tahun, triwulan).title()

    ws = wb.create_sheet(SHEET_REALISASI)
    _data_sheet(ws, SHEET_REALISASI, f"Realisasi {opd.nama} ({opd.kode}) — {periode}",
                "Isi sel berwarna kuning: nilai kumulatif s.d. akhir triwulan. Uang dalam rupiah, fisik dalam persen.",
                [dict(identitas)])

    baris = [dict(identitas, program=r.program, indikator=r.indikator, satuan=r.satuan, arah=r.arah,
                  target=_number_or_none(r.target), bobot=_number_or_none(r.bobot))
             for r in indikator_sebelumnya.sort_values("baris").itertuples(index=False)]
    baris += [dict(identitas) for _ in range(EMPTY_INDICATOR_ROWS)]
    ws = wb.create_sheet(SHEET_INDIKATOR)
    _data_sheet(ws, SHEET_INDIKATOR, f"Indikator Kinerja Program {opd.nama} ({opd.kode}) — {periode}",
                "Satu baris per indikator. Isi Realisasi; periksa Target. Baris kosong boleh dipakai untuk "
                "indikator baru.", baris)
    wb.custom_doc_props.append(StringProperty(name=IDENTITY_PROPERTY, value=identity_text(opd.kode, tahun, triwulan)))
    wb.security = WorkbookProtection(lockStructure=True)  # sheets cannot be renamed, moved or deleted
    wb.active = 1
    return wb


def _number_or_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _data_sheet(ws, sheet: str, judul: str, catatan: str, rows: list[dict]) -> None:
    ws["A1"] = judul
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = catatan
    ws["A2"].font = Font(italic=True, color=style.NOTE)
    fields = default_fields(sheet)
    for j, f in enumerate(fields, start=1):
        c = ws.cell(HEADER_ROW, j, f.header)
        c.font, c.fill, c.border = HEADER_FONT, HEADER_FILL, BORDER
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = f.width
    for i, rec in enumerate(rows, start=HEADER_ROW + 1):
        for j, f in enumerate(fields, start=1):
            c = ws.cell(i, j)
            v = rec.get(f.name)
            if v is not None:
                c.value = v
                if isinstance(v, str):
                    c.data_type = "s"  # text from data stays text, even '=...' (docs/arsitektur.md, Conventions)
            c.border = BORDER
            if f.format:
                c.number_format = f.format
            if f.name in IDENTITY:
                c.fill, c.protection = LOCKED_FILL, Protection(locked=True)
            else:
                c.fill, c.protection = INPUT_FILL, Protection(locked=False)
            if f.kind == TAUTAN:
                c.font = LINK_FONT
    last = HEADER_ROW + len(rows)
    for j, f in enumerate(fields, start=1):
        v = f.validation(get_column_letter(j), HEADER_ROW + 1)
        if f.name not in IDENTITY and v is not None:
            dv = data_validation(v)
            ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(j)}{HEADER_ROW + 1}:{get_column_letter(j)}{last}")
    ws.row_dimensions[HEADER_ROW].height = 32
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 4)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # columns may be widened and rows heightened
    ws.protection.formatRows = False


def data_validation(v: Validation) -> DataValidation:
    """A schema validation as an openpyxl ``DataValidation`` (blank allowed, stop on error)."""
    dv = DataValidation(type=v.type, allow_blank=True, showInputMessage=True, showErrorMessage=True,
                        errorStyle="stop", promptTitle=v.title, prompt=v.prompt, errorTitle=v.error_title,
                        error=v.error)
    if v.type == "list":
        dv.formula1 = v.formula or '"' + ",".join(v.choices) + '"'
    elif v.type == "custom":
        dv.formula1 = v.formula.lstrip("=")
    else:
        dv.operator = v.operator
        dv.formula1 = f"{v.minimum:g}"
        if v.maximum is not None:
            dv.formula2 = f"{v.maximum:g}"
    return dv


def _write_petunjuk(ws, opd: OpdInfo, tahun: int, triwulan: int, ada_indikator: bool) -> None:
    baris = [
        ("Templat Isian Indeks Kinerja OPD", Font(bold=True, size=15)),
        (None, None),
        (f"OPD: {opd.nama} ({opd.singkatan})" if opd.singkatan else f"OPD: {opd.nama}", Font(bold=True)),
        (f"Kode OPD: {opd.kode}", Font(bold=True)),
        (f"Periode: {Period(tahun, triwulan).title()} (data kumulatif s.d. akhir triwulan)", Font(bold=True)),
        (None, None),
        ("Cara mengisi", Font(bold=True, size=12)),
        ("1. Isi hanya sel berwarna kuning. Sel abu-abu (Tahun, Triwulan, Kode OPD) sudah terisi dan dikunci.", None),
        ("2. Sheet Realisasi: Pagu Anggaran, Target dan Realisasi Keuangan (rupiah), Target dan Realisasi Fisik "
         "(persen 0–100), Target dan Realisasi Belanja P3DN (rupiah; kosongkan bila OPD tidak punya target P3DN).", None),
        ("3. Sheet Indikator: satu baris per indikator kinerja program. "
         + ("Indikator triwulan lalu sudah diisikan; periksa Target lalu isi Realisasi." if ada_indikator
            else "Tulis Program, Indikator, Satuan, Arah, Target dan Realisasi."), None),
        ("4. Arah: Naik bila makin tinggi makin baik, Turun bila makin rendah makin baik (mis. angka kecelakaan).", None),
        ("5. Bobot boleh dikosongkan (semua indikator sama bobot). Bila diisi, isi untuk semua indikator. "
         "Bukti Dukung (boleh kosong): satu tautan per indikator — alamat http(s)://… atau jalur berkas di server "
         "kantor (\\\\server\\folder\\berkas.pdf atau S:\\folder\\berkas.pdf), tanpa keterangan lain; selain itu "
         "templat ditolak saat impor.",
         None),
        ("6. Tulis angka tanpa 'Rp' dan tanpa satuan; desimal memakai koma (75,5). Jangan menggabungkan sel.", None),
        ("7. Jangan mengganti nama sheet, judul kolom, atau menambah sheet. Jangan menulis rumus.", None),
        ("8. Simpan sebagai .xlsx (jangan .xls, jangan diberi kata sandi) lalu kirim ke Bappeda.", None),
        (None, None),
        ("Bappeda memeriksa setiap berkas saat impor. Bila ada kesalahan, Bappeda mengirim daftar sel yang harus "
         "diperbaiki; perbaiki di berkas yang sama lalu kirim ulang — data lama akan diganti, tidak digandakan.", None),
    ]
    for i, (teks, font) in enumerate(baris, start=1):
        if teks is None:
            continue
        c = ws.cell(i, 1, teks)
        c.data_type = "s"
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if font:
            c.font = font
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def outgoing_folder(master: Path, tahun: int, triwulan: int) -> Path:
    """Where the templates of a period are written by default: ``Templat <tahun> TW<n>`` next to the master."""
    return Path(master).parent / f"Templat {Period(tahun, triwulan).folder_tag()}"


def incoming_folder(master: Path, tahun: int, triwulan: int) -> Path:
    """Where the button *Impor Templat* takes the filled templates of a period from:
    ``Templat Masuk <tahun> TW<n>`` next to the master (kept apart from the blank ones sent out)."""
    return Path(master).parent / f"Templat Masuk {Period(tahun, triwulan).folder_tag()}"


def generate_from_master(master: Path | str, keluaran: Path | str | None = None, tahun: int | None = None,
                         triwulan: int | None = None, kode: list[str] | None = None) -> Templates:
    """Read the master workbook from disk and write the templates (default folder: :func:`outgoing_folder`)."""
    from indeks_opd.files.reader import read_workbook

    master = Path(master)
    data = read_workbook(master)
    tahun, triwulan = choose_period(data, tahun, triwulan)
    require_openable(data, tahun, triwulan)  # templat opens the period in the master's Status (docs/alur.md)
    if keluaran is None:
        keluaran = outgoing_folder(master, tahun, triwulan)
    return generate_templates(data, tahun, triwulan, keluaran, kode)
