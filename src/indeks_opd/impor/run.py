"""Import filled OPD templates into the master: read, validate against the master, plan the rows.

Every received file is read with :mod:`indeks_opd.files.template_reader` (safe, fast) and its
``Realisasi``/``Indikator`` sheets are parsed by the contract parser
(:func:`indeks_opd.contract.read_table`) and checked by the core's own rules
(:mod:`indeks_opd.core.checks`), so a template is judged exactly as the master would be.
On top of that the import checks what only an import can get wrong: the OPD (in the
master, active, one file per OPD), the period (a TW 3 file is refused for TW 4), the
sheets and the template shape (one Realisasi row, at least one indicator).

A file with a ``galat`` is *bermasalah*. By default one bad file refuses the whole import
(nothing written); with ``lewati_bermasalah`` the good files are imported and the bad ones
reported. Importing an OPD replaces all its rows of the period in both sheets, so a
corrected file sent again replaces the first one, never duplicates it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string

from indeks_opd.alur.master import actor_now, change_models, import_change, workflow_of
from indeks_opd.alur.rules import Change, Workflow, check_unlocked
from indeks_opd.contract import HEADERS, choose_period, find_sheet, read_table
from indeks_opd.contract.numbers import looks_like_formula
from indeks_opd.contract.schema import fields
from indeks_opd.contract.sheets import find_header_row, header_key
from indeks_opd.core import checks
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_REALISASI, InputData
from indeks_opd.core.masalah import GALAT, Masalah, UnusableWorkbook, galat, peringatan
from indeks_opd.core.period import Period
from indeks_opd.core.pipeline import one_per_cell
from indeks_opd.files.reader import read_contract_sheets
from indeks_opd.files.safe_write import office_lock_files, replace_atomically, workbook_lock
from indeks_opd.files.template_reader import ReceivedWorkbook, RefusedFile, read_received
from indeks_opd.files.writer import read_for_hitung
from indeks_opd.impor.rows import RowReplacement
from indeks_opd.impor.writer import replace_rows, write_master
from indeks_opd.present import fmt
from indeks_opd.templat.generate import IDENTITY, IDENTITY_PROPERTY

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods")
TEXT_FIELDS = ("program", "indikator", "satuan", "arah")


@dataclass(eq=False)
class FileResult:
    """One received file: the OPD it is for, its rows, and its problems."""

    path: Path
    kode: str | None = None
    realisasi: pd.DataFrame | None = None
    indikator: pd.DataFrame | None = None
    masalah: list[Masalah] = field(default_factory=list)
    kolom: dict[str, dict[str, str]] = field(default_factory=dict)
    """Field → column letter of each sheet in this file."""
    checkable: bool = False
    """The OPD and period are right, so the core's rules can judge the rows."""
    belum_diisi: bool = False
    """A template as Bappeda sent it: not one value the OPD fills. Not a submission: skipped, and the OPD's
    status stays as it was (docs/alur.md)."""

    @property
    def bermasalah(self) -> bool:
        return any(m.tingkat == GALAT for m in self.masalah)


@dataclass
class ImportPlan:
    """What an import will do: every file's result and the period."""

    tahun: int
    triwulan: int
    files: list[FileResult]
    lewati_bermasalah: bool = False
    ignored: list[Path] = field(default_factory=list)

    @property
    def good(self) -> list[FileResult]:
        return [f for f in self.files if not f.bermasalah and not f.belum_diisi]

    @property
    def unfilled(self) -> list[FileResult]:
        return [f for f in self.files if f.belum_diisi and not f.bermasalah]

    @property
    def bad(self) -> list[FileResult]:
        return [f for f in self.files if f.bermasalah]

    @property
    def refused(self) -> bool:
        """Nothing is written: a bad file without --lewati-bermasalah, or no good file at all."""
        return (bool(self.bad) and not self.lewati_bermasalah) or not self.good

    @property
    def to_import(self) -> list[FileResult]:
        return [] if self.refused else self.good


def collect_files(inputs: list[Path], master: Path) -> tuple[list[Path], list[Path]]:
    """Files named, and the spreadsheet files of folders named (sorted); returns (files, ignored).

    A special file (a FIFO, a device) with a spreadsheet name is kept, so that reading refuses
    it by name instead of it being left out without a word."""
    files, ignored = [], []
    master = master.resolve()
    hilang = [str(p) for p in map(Path, inputs) if not p.exists()]
    if hilang:
        raise UnusableWorkbook([galat(
            f"Berkas atau folder {', '.join(repr(h) for h in hilang)} tidak ditemukan; tidak ada yang diimpor. Periksa "
            "nama dan letaknya (apit dengan tanda kutip bila ada spasi), lalu jalankan lagi.")])
    for p in inputs:
        p = Path(p)
        if p.is_dir():
            for q in sorted(p.iterdir()):
                if q.is_dir() or q.name.startswith(("~$", ".")) or q.resolve() == master:
                    continue
                if q.name.startswith((f"{master.stem}.cadangan-", f"{master.stem} - laporan impor")):
                    continue  # our own backups and reports next to the master
                (files if q.suffix.lower() in SPREADSHEET_SUFFIXES else ignored).append(q)
        else:
            files.append(p)
    seen, unik = set(), []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unik.append(f)
    return unik, ignored


def plan_import(master: InputData, inputs: list[Path], master_path: Path, tahun: int, triwulan: int,
                lewati_bermasalah: bool = False) -> ImportPlan:
    """Read and validate every file against the master; nothing is written here."""
    files, ignored = collect_files(inputs, master_path)
    if not files:
        raise UnusableWorkbook([galat("Tidak ada berkas templat (.xlsx) yang ditemukan untuk diimpor. Periksa "
                                      "nama berkas atau folder yang diberikan.")])
    hasil = [read_template(p, master, tahun, triwulan) for p in files]
    _flag_duplicate_opd(hasil)
    _core_checks(hasil, tahun, triwulan)
    for r in hasil:
        r.masalah = [_with_kode(m, r.kode) for m in one_per_cell(r.masalah)]
    return ImportPlan(tahun, triwulan, hasil, lewati_bermasalah, ignored)


def read_template(path: Path, master: InputData, tahun: int, triwulan: int) -> FileResult:
    """Read one received file and validate it against the master's OPD list and the period.

    The core's rules run afterwards over all files at once (:func:`_core_checks`).
    """
    r = FileResult(Path(path))
    try:
        buku = read_received(path, (SHEET_REALISASI, SHEET_INDIKATOR))
    except RefusedFile as e:
        r.masalah.append(e.masalah)
        return r
    r.masalah += buku.masalah
    terbuka = [f.name for f in office_lock_files(Path(path)) if f.exists()]
    if terbuka:
        r.masalah.append(peringatan(
            f"Berkas ini sedang terbuka di Excel/LibreOffice (ada '{terbuka[0]}'): perubahan yang belum disimpan tidak "
            "ikut diimpor. Simpan dan tutup berkas itu, lalu impor ulang bila ada yang berubah."))
    if {header_key(n) for n in buku.sheet_names} >= {"parameter", "opd"}:
        r.masalah.append(galat(
            f"Berkas ini tampaknya buku kerja induk (ada sheet Parameter dan OPD), bukan templat OPD. {_SWAPPED}"))
        return r
    frames = {}
    for sheet in (SHEET_REALISASI, SHEET_INDIKATOR):
        ls = buku.sheets.get(sheet)
        if ls is None:
            r.masalah.append(galat(
                f"Sheet '{sheet}' tidak ada di berkas (sheet yang ada: {', '.join(buku.sheet_names)}). Jangan mengganti "
                f"nama atau menghapus sheet; salin isian ke templat asli dari Bappeda lalu kirim ulang.", sheet=sheet))
            continue
        try:
            df, m, letters = read_table(ls, sheet, skip_if_only=IDENTITY)
        except UnusableWorkbook as e:
            r.masalah += [_with_hint(x) for x in e.masalah]
            continue
        r.masalah += m
        frames[sheet] = (df, letters)
    if len(frames) < 2:
        return r
    (real, kol_real), (ind, kol_ind) = frames[SHEET_REALISASI], frames[SHEET_INDIKATOR]
    r.kode = _file_kode(real, ind)
    identitas = (_check_identity(r.kode, real, kol_real, SHEET_REALISASI, master, tahun, triwulan)
                 + _check_identity(r.kode, ind, kol_ind, SHEET_INDIKATOR, master, tahun, triwulan)
                 + _tampered_identity(buku, frames))
    r.masalah += identitas + _formula_links(buku, ind, kol_ind)
    if r.kode is None and not identitas:
        r.masalah.append(galat("Berkas ini tidak berisi data: sheet Realisasi dan Indikator kosong, Kode OPD pun tidak "
                               "ada. Isi templat yang dikirim Bappeda untuk OPD Anda lalu kirim ulang.",
                               sheet=SHEET_REALISASI))
    if r.kode is not None and not any(m.tingkat == GALAT for m in identitas):
        if _unfilled(real, ind):
            r.belum_diisi = True
            r.masalah.append(peringatan(
                "Templat ini belum diisi: semua isian Realisasi dan kolom Realisasi indikator masih kosong. Berkas "
                "dilewati (bukan kiriman OPD; statusnya tidak berubah). Impor lagi setelah OPD mengisinya.",
                sheet=SHEET_REALISASI))
        else:
            r.masalah += _check_shape(r.kode, real, kol_real, ind)
            r.checkable = True
    r.realisasi, r.indikator = real, ind
    r.kolom = {SHEET_REALISASI: kol_real, SHEET_INDIKATOR: kol_ind}
    return r


def _unfilled(real: pd.DataFrame, ind: pd.DataFrame) -> bool:
    """Nothing the OPD fills is there: every Realisasi value and every indicator's Realisasi and Bukti Dukung
    blank (the identity cells and last period's indicators are prefilled by templat)."""
    isian_real = [c for c in real.columns if c in fields(SHEET_REALISASI) and c not in IDENTITY]
    isian_ind = [c for c in ("realisasi", "bukti_dukung") if c in ind.columns]
    return bool(real[isian_real].isna().all().all() and ind[isian_ind].isna().all().all())


def _core_checks(hasil: list[FileResult], tahun: int, triwulan: int) -> None:
    """The core's Realisasi/Indikator rules over the rows of all files at once.

    The checks are vectorised over a whole period, so one call for 40 files costs about
    what one call for a single file does. Files with the same column layout are checked
    together (one OPD each); a file whose OPD is also in another file is checked alone, so
    its rows are never mistaken for duplicates of the other file's. Text that looks like
    a formula is noted after the rules, so a rule's galat on a cell wins over that note.
    """
    dapat = [r for r in hasil if r.checkable]
    jumlah = Counter(r.kode for r in dapat)
    grup: dict[tuple, list[FileResult]] = {}
    for r in dapat:
        kunci = (tuple(r.kolom[SHEET_REALISASI].items()), tuple(r.kolom[SHEET_INDIKATOR].items()))
        grup.setdefault(kunci if jumlah[r.kode] == 1 else (id(r),), []).append(r)
    periode = (tahun, triwulan)
    for files in grup.values():
        kode = {r.kode for r in files}
        real = pd.concat([r.realisasi.iloc[:1] for r in files], ignore_index=True)
        ind = pd.concat([r.indikator for r in files], ignore_index=True)
        pemilik = {r.kode: r for r in files}
        for m in (checks.check_realisasi(real, kode, kode, files[0].kolom[SHEET_REALISASI], periode,
                                         fields(SHEET_REALISASI))
                  + checks.check_indikator(ind, kode, kode, files[0].kolom[SHEET_INDIKATOR], periode,
                                           fields(SHEET_INDIKATOR))):
            if m.baris is None:
                continue  # "no row for this OPD": said more precisely by _check_shape
            for r in [pemilik[m.kode]] if m.kode in pemilik else files:
                r.masalah.append(m)
    for r in dapat:
        r.masalah += _formula_text(r.indikator, r.kolom[SHEET_INDIKATOR])


def _with_hint(m: Masalah) -> Masalah:
    return replace(m, pesan=m.pesan + " Jangan mengubah judul kolom templat; pakai templat asli dari Bappeda.")


def _with_kode(m: Masalah, kode: str | None) -> Masalah:
    return replace(m, kode=m.kode or kode)


def _file_kode(real: pd.DataFrame, ind: pd.DataFrame) -> str | None:
    for df in (real, ind):
        kode = [k for k in df["kode"] if k is not None]
        if kode:
            return kode[0]
    return None


def _check_identity(kode, df, kolom, sheet, master: InputData, tahun, triwulan) -> list[Masalah]:
    """OPD code known, active and the same on every row; period equal to the import's, on every row."""
    hasil = []
    semua = {k: a for k, a in zip(master.opd["kode"], master.opd["aktif"]) if k is not None}
    for row in df.itertuples(index=False):
        if row.kode is None:
            hasil.append(galat("Kode OPD kosong. Pakai templat asli yang Kode OPD-nya sudah terisi.",
                               sheet=sheet, baris=row.baris, kolom=kolom.get("kode"), kode=kode))
        elif row.kode not in semua:
            hasil.append(galat(f"Kode OPD {row.kode} tidak ada di daftar OPD buku kerja induk. Pakai templat yang "
                               "dibuat Bappeda untuk OPD Anda.", sheet=sheet, baris=row.baris,
                               kolom=kolom.get("kode"), kode=kode))
        elif semua[row.kode] is not True:
            hasil.append(galat(f"OPD {row.kode} tercatat tidak aktif di buku kerja induk; datanya tidak diimpor. "
                               "Hubungi Bappeda bila OPD ini seharusnya aktif.", sheet=sheet, baris=row.baris,
                               kolom=kolom.get("kode"), kode=kode))
        elif row.kode != kode:
            hasil.append(galat(f"Baris ini untuk OPD {row.kode}, padahal berkas ini untuk OPD {kode}. Satu berkas "
                               "hanya untuk satu OPD.", sheet=sheet, baris=row.baris, kolom=kolom.get("kode"), kode=kode))
        for f, harus in (("tahun", tahun), ("triwulan", triwulan)):
            v = getattr(row, f)
            if pd.isna(v):
                hasil.append(galat(f"{f.capitalize()} kosong atau tidak terbaca. Sel ini terisi dan terkunci di templat "
                                   f"asli; isi {harus} atau pakai templat asli dari Bappeda.",
                                   sheet=sheet, baris=row.baris, kolom=kolom.get(f)))
                break
            if v != harus:
                hasil.append(galat(
                    f"Berkas ini berisi data {_periode(row)} padahal yang diimpor {Period(tahun, triwulan).short()}. "
                    f"Pakai templat {Period(tahun, triwulan).short()} dari Bappeda (data triwulan lain tidak diimpor ke "
                    "periode ini). Bila "
                    "triwulan berkas ini yang memang ingin diimpor: ubah TahunAktif/TriwulanAktif di sheet Parameter "
                    "buku kerja induk, atau di baris perintah tambahkan --tahun dan --triwulan periode berkas itu.",
                    sheet=sheet, baris=row.baris, kolom=kolom.get(f)))
                break
    return _first_of_each_message(hasil)


_TITLE_CODE = re.compile(r"\(([^()]+)\) — ")
"""The OPD code in a template's sheet title, ``Realisasi Dinas Perhubungan (2.15) — 2022 Triwulan IV``."""


def _recorded_identity(buku: ReceivedWorkbook, sheet: str) -> tuple[dict, str]:
    """What the template says about itself besides its identity cells, and where it says it.

    The identity written when it was made (:data:`IDENTITY_PROPERTY`), else the OPD code in the
    sheet's title; empty for a file that says neither.
    """
    tercatat = buku.properties.get(IDENTITY_PROPERTY, "").split("|")
    if len(tercatat) == 3 and tercatat[1].isdigit() and tercatat[2].isdigit():
        return {"kode": tercatat[0], "tahun": int(tercatat[1]), "triwulan": int(tercatat[2])}, "properti berkasnya"
    judul = buku.sheets[sheet].cell(0, 0)
    m = _TITLE_CODE.search(judul) if isinstance(judul, str) else None
    return ({"kode": m.group(1)}, "judul sheet-nya") if m else ({}, "")


def _tampered_identity(buku: ReceivedWorkbook, frames: dict) -> list[Masalah]:
    """Identity cells that are formulas, or no longer say what the template says about itself.

    Tahun, Triwulan and Kode OPD are locked constants in every template we write; a formula
    there, or a value that differs from the identity recorded in the file (or from the title),
    means the template was altered (e.g. retargeted to another OPD): refused, naming the cells.
    """
    hasil = []
    for sheet, (df, kolom) in frames.items():
        harapan, sumber = _recorded_identity(buku, sheet)
        rumus = buku.formulas.get(sheet, set())
        sel_rumus, sel_ubah = [], []
        for row in df.itertuples(index=False):
            for f in IDENTITY:
                huruf = kolom.get(f)
                v = getattr(row, f)
                if huruf is None or v is None or (not isinstance(v, str) and pd.isna(v)):
                    continue
                if (row.baris, column_index_from_string(huruf)) in rumus:
                    sel_rumus.append((row.baris, huruf))
                elif f in harapan and (v != harapan[f] if f == "kode" else float(v) != harapan[f]):
                    sel_ubah.append((row.baris, huruf))
        if sel_rumus:
            baris, huruf = sel_rumus[0]
            hasil.append(galat(
                f"Sel identitas {_cells(sheet, sel_rumus)} berisi rumus. Tahun, Triwulan dan Kode OPD di templat asli "
                "adalah nilai tetap yang dikunci; rumus di sana tidak diterima. Salin isian Anda ke templat asli dari "
                "Bappeda lalu kirim ulang.", sheet=sheet, baris=baris, kolom=huruf))
        if sel_ubah:
            baris, huruf = sel_ubah[0]
            untuk = " ".join(str(harapan[f]) if f == "kode" else f"{f.capitalize()} {harapan[f]}"
                             for f in ("kode", "tahun", "triwulan") if f in harapan)
            hasil.append(galat(
                f"Sel identitas yang dikunci telah diubah: {_cells(sheet, sel_ubah)}. Menurut {sumber}, templat ini "
                f"dibuat untuk OPD {untuk}, tetapi sel itu kini berisi nilai lain. Templat yang diubah tidak "
                "diimpor; pakai templat asli untuk OPD dan periode Anda dari Bappeda.",
                sheet=sheet, baris=baris, kolom=huruf))
    return hasil


def _formula_links(buku: ReceivedWorkbook, ind: pd.DataFrame, kolom: dict) -> list[Masalah]:
    """Bukti Dukung cells holding a formula (``=HYPERLINK(…)`` shows one address and may open another): a galat
    at each cell; the link must be typed as text (docs/kontrak.md, "Bukti Dukung")."""
    huruf = kolom.get("bukti_dukung")
    rumus = buku.formulas.get(SHEET_INDIKATOR, set())
    if huruf is None or not rumus:
        return []
    j = column_index_from_string(huruf)
    return [galat("Nilai Bukti Dukung berisi rumus; tautan tidak diterima sebagai rumus (mis. =HYPERLINK). Ketik "
                  r"tautannya sebagai teks: alamat https://… atau jalur berkas \\server\folder\berkas.pdf.",
                  sheet=SHEET_INDIKATOR, baris=b, kolom=huruf) for b in ind["baris"] if (b, j) in rumus]


def _cells(sheet: str, cells: list[tuple[int, str]]) -> str:
    nama = [f"{sheet}!{huruf}{baris}" for baris, huruf in cells]
    return ", ".join(nama[:6]) + (f" dan {len(nama) - 6} sel lain" if len(nama) > 6 else "")


def _periode(row) -> str:
    """The period of a row whose Tahun was read (the reader blanks an impossible Tahun or Triwulan)."""
    if pd.isna(row.triwulan):
        return f"tahun {row.tahun:g}"
    return Period(int(row.tahun), int(row.triwulan)).short()


def _first_of_each_message(masalah: list[Masalah]) -> list[Masalah]:
    """The same identity problem on every row is said once, at its first cell."""
    terlihat, hasil = set(), []
    for m in masalah:
        if m.pesan not in terlihat:
            terlihat.add(m.pesan)
            hasil.append(m)
    return hasil


def _check_shape(kode, real, kol_real, ind) -> list[Masalah]:
    hasil = []
    if real.empty:
        hasil.append(galat("Sheet Realisasi belum diisi: baris data OPD kosong. Isi Pagu, Target dan Realisasi.",
                           sheet=SHEET_REALISASI))
    for row in real.iloc[1:].itertuples(index=False):
        hasil.append(galat("Sheet Realisasi hanya boleh berisi satu baris data untuk OPD ini; hapus baris tambahan.",
                           sheet=SHEET_REALISASI, baris=row.baris, kolom=kol_real.get("kode"), kode=kode))
    if ind.empty:
        hasil.append(galat("Sheet Indikator belum diisi: tidak ada satu pun indikator kinerja program. "
                           "Isi minimal satu indikator.", sheet=SHEET_INDIKATOR))
    return hasil


def _formula_text(ind: pd.DataFrame, kolom: dict) -> list[Masalah]:
    hasil = []
    for row in ind.itertuples(index=False):
        for f in TEXT_FIELDS:
            v = getattr(row, f)
            if isinstance(v, str) and looks_like_formula(v):
                hasil.append(peringatan(f"Teks '{v}' diawali {v[0]} sehingga tampak seperti rumus; disimpan sebagai "
                                        "teks apa adanya, tidak dihitung. Ubah bila bukan maksudnya.",
                                        sheet=SHEET_INDIKATOR, baris=row.baris, kolom=kolom.get(f)))
    return hasil


def _flag_duplicate_opd(hasil: list[FileResult]) -> None:
    per_kode: dict[str, list[FileResult]] = {}
    for r in hasil:
        if r.kode is not None:
            per_kode.setdefault(r.kode, []).append(r)
    for kode, grup in per_kode.items():
        if len(grup) > 1:
            nama = ", ".join(f"'{g.path.name}'" for g in grup)
            for g in grup:
                g.masalah.append(galat(f"OPD {kode} dikirim dalam {len(grup)} berkas ({nama}); tidak jelas mana yang "
                                       "benar. Sisakan satu berkas untuk OPD ini lalu impor ulang.", kode=kode))


# --- the report ----------------------------------------------------------------------------------

def report_rows(plan: ImportPlan) -> list[dict]:
    """One row per problem: file, sheet, cell, level, OPD, message (what is wrong and what to do)."""
    rows = []
    for f in plan.files:
        for m in f.masalah:
            sel = f"{m.kolom or ''}{m.baris or ''}" if (m.kolom or m.baris) else ""
            rows.append({"berkas": f.path.name, "sheet": m.sheet or "", "sel": sel, "tingkat": m.tingkat,
                         "kode": m.kode or f.kode or "", "pesan": m.pesan})
    for p in plan.ignored:
        rows.append({"berkas": p.name, "sheet": "", "sel": "", "tingkat": "peringatan", "kode": "",
                     "pesan": "Bukan berkas Excel (.xlsx); diabaikan."})
    return rows


def summary(plan: ImportPlan) -> str:
    if plan.refused and plan.bad and not plan.lewati_bermasalah:
        teks = (f"IMPOR DIBATALKAN: {len(plan.bad)} dari {len(plan.files)} berkas bermasalah; buku kerja induk "
                "tidak diubah. Perbaiki masalah yang tercantum lalu impor ulang")
        if plan.good:  # skipping is only worth suggesting when some files are good
            teks += ", atau pakai --lewati-bermasalah untuk mengimpor berkas yang baik saja"
        return teks + "."
    belum = f" {unfilled_note(plan)}" if plan.unfilled else ""
    if plan.refused:
        return "IMPOR DIBATALKAN: tidak ada berkas yang dapat diimpor; buku kerja induk tidak diubah." + belum
    teks = (f"{len(plan.good)} berkas diimpor untuk {Period(plan.tahun, plan.triwulan).short()} "
            f"(OPD {', '.join(sorted(f.kode for f in plan.good))}).")
    if plan.bad:
        teks += f" {len(plan.bad)} berkas bermasalah dilewati dan tidak diimpor: perbaiki lalu impor ulang."
    return teks + belum


def report_text(plan: ImportPlan, master: Path, waktu: datetime, status: dict[str, str]) -> str:
    """The readable report written next to the master (and printed); ``status``: each OPD's status afterwards."""
    baris = [f"Laporan impor templat — {master.name}", f"Waktu: {fmt.tanggal_waktu(waktu)}",
             f"Periode: {Period(plan.tahun, plan.triwulan).short()}", "", summary(plan), ""]
    for f in plan.files:
        hasil = "BERMASALAH (tidak diimpor)" if f.bermasalah else file_state(f, plan)
        baris.append(f"{f.path.name} — OPD {f.kode or '?'} — {hasil}" + status_note(f.kode, status))
        for m in f.masalah:
            tempat = f"sheet {m.sheet}" if m.sheet else "berkas"
            if m.kolom and m.baris:
                tempat += f", sel {m.kolom}{m.baris}"
            elif m.baris:
                tempat += f", baris {m.baris}"
            baris.append(f"  - {m.tingkat.upper()} ({tempat}): {m.pesan}")
    for p in plan.ignored:
        baris.append(f"{p.name} — diabaikan (bukan berkas Excel .xlsx)")
    return "\n".join(baris) + "\n"


def file_state(f: FileResult, plan: ImportPlan) -> str:
    """What became of a file without galat, as the console and the report say it (nothing is imported when the
    plan is refused: :attr:`ImportPlan.to_import` is then empty)."""
    if f.belum_diisi:
        return "belum diisi (dilewati)"
    return "diimpor" if f in plan.to_import else "baik"


def unfilled_note(plan: ImportPlan) -> str:
    """The sentence on templates nobody filled, for the summary, the report and the Impor Templat alert."""
    return (f"{len(plan.unfilled)} templat belum diisi dilewati (status OPD-nya tidak berubah): OPD "
            + ", ".join(sorted(f.kode for f in plan.unfilled)) + ".")


def status_note(kode: str | None, status: dict[str, str]) -> str:
    """`` — status Diterima``: an OPD's status after the import, as the console and the report show it."""
    return f" — status {status[kode]}" if kode in status else ""


def masalah_for_master(plan: ImportPlan) -> list[Masalah]:
    """Problems for the master's Masalah sheet; the location names the file as Excel does: [file]Sheet!A1."""
    hasil = []
    for f in plan.files:
        for m in f.masalah:
            hasil.append(replace(m, sheet=f"[{f.path.name}]{m.sheet or ''}", kode=m.kode or f.kode,
                                 periode=(plan.tahun, plan.triwulan)))
    return hasil


# --- the row replacement (shared by the file writer and the Excel Book writer) -----------------------

def row_replacements(sheets: dict, master: InputData, plan: ImportPlan, diterima: datetime) -> list[RowReplacement]:
    """The replacement of each data sheet for the files the plan imports (pure: nothing is written).

    ``sheets`` are the master's grids (from the file or from the live workbook) the
    ``master`` data was read from. What Bappeda fills in Realisasi is kept
    (:func:`_bappeda_fields`); ``diterima`` is the import time.
    """
    kodes = {f.kode for f in plan.to_import}
    hasil = []
    for sheet, attr in ((SHEET_REALISASI, "realisasi"), (SHEET_INDIKATOR, "indikator")):
        grid = find_sheet(sheets, sheet)
        i, _, _ = find_header_row(grid, {header_key(h): f for h, f in HEADERS[sheet].items()})
        df = getattr(master, attr)
        lama = df[(df["tahun"] == plan.tahun) & (df["triwulan"] == plan.triwulan) & df["kode"].isin(kodes)]
        records = tuple(_record(rec) for f in plan.to_import
                        for rec in getattr(f, attr).drop(columns="baris").to_dict("records"))
        if sheet == SHEET_REALISASI:
            records = _bappeda_fields(records, lama, master, diterima)
        last = int(df["baris"].max()) if len(df) else grid.row_number(i)
        hasil.append(RowReplacement(sheet, dict(master.kolom[sheet]), grid.row_number(i),
                                    tuple(sorted(int(b) for b in lama["baris"])), last, records))
    return hasil


def _bappeda_fields(records: tuple[dict, ...], lama: pd.DataFrame, master: InputData,
                    diterima: datetime) -> tuple[dict, ...]:
    """Realisasi cells an OPD template never fills (docs/metode.md): each extra component's score (Bappeda scores
    it) keeps the master's value, and ``Tanggal Diterima`` keeps a date already there, else gets the import time
    (as text ``YYYY-MM-DD HH:MM``, which every reader takes as that date and time)."""
    kolom = master.kolom[SHEET_REALISASI]
    kept = [f for f in master.parameter.extra_components() if f in kolom]
    old = lama.drop_duplicates("kode").set_index("kode")
    hasil = []
    for rec in records:
        before = old.loc[rec["kode"]] if rec["kode"] in old.index else None
        rec = dict(rec)
        for f in kept:
            rec[f] = _record({f: before[f]})[f] if before is not None else None
        if "tanggal_diterima" in kolom:
            date = before["tanggal_diterima"] if before is not None else None
            rec["tanggal_diterima"] = date if date is not None and not pd.isna(date) \
                else diterima.replace(second=0, microsecond=0)  # a date-time cell, to the minute
        hasil.append(rec)
    return tuple(hasil)


def check_master_columns(master: InputData, plan: ImportPlan) -> None:
    """Refuse, before writing, when templates fill an optional column the master lacks (nothing silently dropped)."""
    masalah = []
    for sheet, attr in ((SHEET_REALISASI, "realisasi"), (SHEET_INDIKATOR, "indikator")):
        label = {g: h for h, g in HEADERS[sheet].items()}
        for f in plan.to_import:
            df = getattr(f, attr)
            hilang = [c for c in df.columns if c != "baris" and c not in master.kolom[sheet] and df[c].notna().any()]
            masalah += [galat(f"Kolom '{label[c]}' tidak ada di sheet {sheet} buku kerja induk, padahal berkas "
                              f"'{f.path.name}' mengisinya. Tambahkan kolom '{label[c]}' di buku kerja induk lalu "
                              "impor ulang; tidak ada yang ditulis.", sheet=sheet) for c in hilang]
    if masalah:
        raise UnusableWorkbook(_first_of_each_message(masalah))


def _record(rec: dict) -> dict:
    hasil = {}
    for f, v in rec.items():
        if pd.isna(v):
            hasil[f] = None
        elif f in ("tahun", "triwulan"):
            hasil[f] = int(v)
        else:
            hasil[f] = v
    return hasil


# --- the whole run ------------------------------------------------------------------------------

@dataclass
class ImportOutcome:
    plan: ImportPlan
    report_path: Path
    written: bool
    pesan: tuple[str, ...] = ()
    """What the workflow says about the import (a verified OPD whose data changed)."""
    status: dict[str, str] = field(default_factory=dict)
    """Kode OPD → its status in the Status sheet after the import, for the OPDs of the files (docs/alur.md)."""


def report_path_for(master: Path, waktu: datetime) -> Path:
    """A new report file next to the master, named by the import's time; never an earlier report (two imports
    in the same second get `` (2)``, `` (3)`` …)."""
    stem = f"{master.stem} - laporan impor {waktu.strftime('%Y%m%d-%H%M%S')}"
    path, n = master.with_name(f"{stem}.txt"), 1
    while path.exists():
        n += 1
        path = master.with_name(f"{stem} ({n}).txt")
    return path


def import_templates(master_path: Path | str, inputs: list[Path], tahun: int | None = None,
                     triwulan: int | None = None, lewati_bermasalah: bool = False,
                     waktu: datetime | None = None) -> ImportOutcome:
    """Read, validate and (unless refused) write the templates into the master file; always write the report.

    The master is locked for the whole run (refused when open in Excel or by another run).
    """
    master_path = Path(master_path)
    waktu = waktu or datetime.now()
    with workbook_lock(master_path):
        try:
            contents = read_for_hitung(master_path, keep_grids=True)
        except UnusableWorkbook:
            refuse_template_as_master(master_path)  # arguments swapped: say so rather than "sheet OPD missing"
            raise
        wf = workflow_of(contents)
        plan, replacements = prepare_import(contents.sheets, contents.data, master_path, inputs, tahun, triwulan,
                                            lewati_bermasalah, waktu, wf)
        change = import_change(wf, contents.data, plan, actor_now(waktu)) if replacements else None
        if change is not None:
            write_master(master_path, lambda pkg: [sid for r in replacements if (sid := replace_rows(pkg, r))],
                         masalah_for_master(plan), plan.tahun, plan.triwulan, change_models(contents.existing, change))
        return finish_import(plan, master_path, waktu, change)


_SWAPPED = ("Mungkin urutannya tertukar: templat atau foldernya lebih dulu, buku kerja induk sesudah --ke "
            "(indeks-opd impor TEMPLAT_ATAU_FOLDER --ke INDUK).")


def refuse_template_as_master(master_path: Path) -> None:
    """A template named after ``--ke`` (arguments swapped) is told as such, not as a master missing sheets."""
    sheets, _ = read_contract_sheets(master_path)
    ada = {header_key(n) for n in sheets}
    if {"realisasi", "indikator"} <= ada and not ada & {"opd", "parameter"}:
        raise UnusableWorkbook([galat(
            f"'{master_path.name}' tampaknya templat OPD (hanya sheet Realisasi dan Indikator), bukan buku kerja "
            f"induk; tidak ada yang diimpor. {_SWAPPED}")])


def prepare_import(sheets: dict, master: InputData, master_path: Path, inputs: list[Path], tahun: int | None,
                   triwulan: int | None, lewati_bermasalah: bool,
                   waktu: datetime, workflow: Workflow) -> tuple[ImportPlan, list[RowReplacement]]:
    """Everything an import decides, for any writer: the plan and the row replacements (none when refused).

    ``sheets``/``master``: the master's grids and their contract data (from the file or the
    live workbook); ``waktu`` the import time (Tanggal Diterima); ``workflow``: its Status/Periode
    state. Raises ``UnusableWorkbook`` when the master cannot take the rows,
    :class:`~indeks_opd.alur.rules.PeriodLocked` when the period is locked.
    """
    tahun, triwulan = choose_period(master, tahun, triwulan)
    check_unlocked(workflow, tahun, triwulan, "impor", str(master_path))
    plan = plan_import(master, [Path(p) for p in inputs], master_path, tahun, triwulan, lewati_bermasalah)
    if plan.refused:
        return plan, []
    check_master_columns(master, plan)
    return plan, row_replacements(sheets, master, plan, waktu)


def finish_import(plan: ImportPlan, master_path: Path, waktu: datetime, change: Change | None = None) -> ImportOutcome:
    """Write the readable report next to the master, once the rows and the workflow's ``change`` are written (or
    the import refused: no change)."""
    status = {} if change is None else new_statuses(change.workflow, plan)
    laporan = report_path_for(master_path, waktu)
    with replace_atomically(laporan, keep_backups=0) as tmp:
        tmp.write_text(report_text(plan, master_path, waktu, status), encoding="utf-8")
    return ImportOutcome(plan, laporan, not plan.refused, change.pesan if change else (), status)


def new_statuses(wf: Workflow, plan: ImportPlan) -> dict[str, str]:
    """Kode OPD → status in the import's period after it, for the OPDs of the plan's files."""
    kodes = {f.kode for f in plan.files}
    return {s.kode: s.status for s in wf.opd if (s.tahun, s.triwulan) == (plan.tahun, plan.triwulan) and s.kode in kodes}
