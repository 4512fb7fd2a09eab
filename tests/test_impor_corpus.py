"""A corpus of bad templates, as OPDs really send them: each with its Indonesian message and location.

Every case starts from a correctly filled template (or builds a broken file), is read and
validated against the master like ``indeks-opd impor`` does, and must be *bermasalah* with
the expected message at the expected cell.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from indeks_opd.files.reader import read_workbook
from indeks_opd.impor.run import plan_import
from templat_util import (
    FIRST,
    corrupt_deflate,
    fill,
    make_master,
    make_templates,
    patch_part,
    set_cell_xml,
    sheet_part,
    strict_ooxml,
    truncate_xml,
)

R = FIRST  # the Realisasi data row
BOMB_DTD = ('<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
            '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
            '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>')


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    master = make_master(folder)
    base = make_templates(master, folder / "dasar", kode=["2.15", "5.01"])
    for p in base.values():
        fill(p)
    tw3 = make_templates(master, folder / "tw3", triwulan=3, kode=["2.15"])["2.15"]
    fill(tw3)
    return master, read_workbook(master), base, tw3


def cell(sheet, ref, value, fmt=None, text=False):
    def ubah(wb):
        c = wb[sheet][ref]
        c.value = value
        if text:
            c.data_type = "s"
        if fmt:
            c.number_format = fmt
    return ubah


def edit(*ubah):
    def jalan(path: Path) -> Path:
        wb = openpyxl.load_workbook(path)
        for u in ubah:
            u(wb)
        wb.save(path)
        return path
    return jalan


def all_kode(kode):
    def ubah(wb):
        for sheet in ("Realisasi", "Indikator"):
            for r in range(FIRST, wb[sheet].max_row + 1):
                wb[sheet][f"C{r}"] = kode
    return ubah


def clear_indicators(wb):
    ws = wb["Indikator"]
    for r in range(FIRST, ws.max_row + 1):
        for col in "DEFGHIJ":
            ws[f"{col}{r}"] = None


def clear_everything(wb):
    for ws in (wb["Realisasi"], wb["Indikator"]):
        for row in ws.iter_rows(min_row=FIRST):
            for c in row:
                c.value = None


def second_realisasi_row(wb):
    ws = wb["Realisasi"]
    for col in "ABCDEFGHIJ":
        ws[f"{col}{R + 1}"] = ws[f"{col}{R}"].value


def rename(sheet, baru):
    def ubah(wb):
        wb[sheet].title = baru
    return ubah


def delete(sheet):
    def ubah(wb):
        del wb[sheet]
    return ubah


def replace_file(data: bytes):
    def jalan(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return jalan


def raw_cell(sheet, ref, xml):
    return lambda path: set_cell_xml(path, sheet, ref, xml)


def encrypt(path: Path) -> Path:
    plain = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("rahasia", out)
    path.write_bytes(out.getvalue())
    return path


def oversized(path: Path) -> Path:
    with open(path, "r+b") as f:
        f.truncate(11 * 1024 * 1024)  # a valid zip start, then 11 MB of nothing
    return path


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/isi.bin", "w") as f:
        nol = bytes(1024 * 1024)
        for _ in range(26):
            f.write(nol)
    return path


def entity_bomb(path: Path) -> Path:
    def ganti(data: bytes) -> bytes:
        teks = data.decode()
        awal = teks.index("<workbook")
        return (teks[:awal] + BOMB_DTD.replace("sst", "workbook") + teks[awal:]).replace(
            'name="Petunjuk"', 'name="&h;"').encode()
    return patch_part(path, "xl/workbook.xml", ganti)


def entity_bomb_in_sheet(path: Path) -> Path:
    part = sheet_part(path, "Realisasi")

    def ganti(data: bytes) -> bytes:
        teks = data.decode()
        awal = teks.index("<worksheet")
        return (teks[:awal] + BOMB_DTD.replace("sst", "worksheet") + teks[awal:]).encode()
    return patch_part(path, part, ganti)


def truncated(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[:3000])
    return path


def forget_identity_property(wb):
    """A template made before the identity was recorded in the file: only its titles say whose it is."""
    wb.custom_doc_props.props.clear()


def compression_bomb(path: Path) -> Path:
    """A part of 20 MB of zeros, packed to about 20 KB (within the total limit, far beyond any ratio of XML)."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/isi.bin", "w") as f:
        for _ in range(20):
            f.write(bytes(1024 * 1024))
    return path


OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)

# id: (mutation, expected message part, expected location (Masalah.lokasi))
CASES = {
    "angka_tidak_terbaca": (edit(cell("Realisasi", f"F{R}", "sembilan ratus juta")),
                            "tidak terbaca sebagai angka", f"Realisasi!F{R}"),
    "titik_sebagai_desimal": (edit(cell("Realisasi", f"H{R}", "72.5", text=True)),
                              "tulis dengan koma: '72,5'", f"Realisasi!H{R}"),
    "persen_di_kolom_uang": (edit(cell("Realisasi", f"F{R}", "90%")), "berisi persen", f"Realisasi!F{R}"),
    "fisik_lebih_dari_100": (edit(cell("Realisasi", f"H{R}", "150%")), "melebihi 100%", f"Realisasi!H{R}"),
    "realisasi_keuangan_kosong": (edit(cell("Realisasi", f"F{R}", None)), "Realisasi Keuangan kosong",
                                  f"Realisasi!F{R}"),
    "realisasi_melebihi_pagu": (edit(cell("Realisasi", f"F{R}", 3_000_000_000)), "melebihi Pagu Anggaran",
                                f"Realisasi!F{R}"),
    "pagu_negatif": (edit(cell("Realisasi", f"D{R}", -5)), "bernilai negatif", f"Realisasi!D{R}"),
    "tanggal_di_kolom_angka": (edit(cell("Realisasi", f"H{R}", dt.datetime(2022, 12, 31))), "tanggal",
                               f"Realisasi!H{R}"),
    "benar_salah_di_kolom_angka": (edit(cell("Realisasi", f"G{R}", True)), "berisi TRUE", f"Realisasi!G{R}"),
    "rumus_tanpa_nilai_tersimpan": (edit(cell("Realisasi", f"F{R}", f"=E{R}*0.9")), "rumus tanpa nilai tersimpan",
                                    f"Realisasi!F{R}"),
    "rumus_bernilai_galat": (raw_cell("Realisasi", f"F{R}", f'<c r="F{R}" t="e"><f>E{R}/0</f><v>#DIV/0!</v></c>'),
                             "nilai galat #DIV/0!", f"Realisasi!F{R}"),
    "teks_seperti_rumus_di_angka": (edit(cell("Realisasi", f"F{R}", "=E4*0,9", text=True)), "tampak seperti rumus",
                                    f"Realisasi!F{R}"),
    "arah_tidak_dikenal": (edit(cell("Indikator", f"G{R}", "Naik Turun")), "Arah 'Naik Turun' tidak dikenal",
                           f"Indikator!G{R}"),
    "realisasi_indikator_kosong": (edit(cell("Indikator", f"I{R + 1}", None)), "Realisasi indikator kosong",
                                   f"Indikator!I{R + 1}"),
    "target_bukan_angka": (edit(cell("Indikator", f"H{R}", "sepuluh")), "tidak terbaca sebagai angka",
                           f"Indikator!H{R}"),
    "bobot_sebagian": (edit(cell("Indikator", f"J{R}", 2)), "Bobot indikator kosong padahal", f"Indikator!J{R + 1}"),
    "dua_baris_realisasi": (edit(second_realisasi_row), "hanya boleh berisi satu baris", f"Realisasi!C{R + 1}"),
    "indikator_kosong": (edit(clear_indicators), "Sheet Indikator belum diisi", "Indikator"),
    "templat_kosong_sama_sekali": (edit(clear_everything), "Berkas ini tidak berisi data", "Realisasi"),
    "sheet_diganti_nama": (edit(rename("Realisasi", "Realisasi TW4")), "Sheet 'Realisasi' tidak ada", "Realisasi"),
    "sheet_dihapus": (edit(delete("Indikator")), "Sheet 'Indikator' tidak ada", "Indikator"),
    "judul_kolom_diubah": (edit(cell("Realisasi", "E3", "Target Uang")), "'Target Keuangan' tidak ditemukan",
                           "Realisasi!3:3"),
    "opd_tidak_dikenal": (edit(all_kode("7.77")), "Kode OPD 7.77 tidak ada di daftar OPD", f"Realisasi!C{R}"),
    "opd_tidak_aktif": (edit(all_kode("9.99")), "OPD 9.99 tercatat tidak aktif", f"Realisasi!C{R}"),
    "kode_opd_lain_di_satu_baris": (edit(cell("Indikator", f"C{R + 1}", "5.01")), "Baris ini untuk OPD 5.01",
                                    f"Indikator!C{R + 1}"),
    "tahun_salah": (edit(cell("Realisasi", f"A{R}", 2021)), "berisi data TW IV 2021 padahal yang diimpor TW IV 2022",
                    f"Realisasi!A{R}"),
    "triwulan_dihapus": (edit(cell("Realisasi", f"B{R}", None)), "Triwulan kosong atau tidak terbaca",
                         f"Realisasi!B{R}"),
    "sel_jauh_di_luar_tabel": (edit(cell("Realisasi", "XFD1048576", "x")),
                               "terisi sampai sel XFD1048576 — jauh melebihi templat", ""),
    "bukan_buku_kerja": (replace_file(b"Ini laporan, bukan templat"), "bukan buku kerja Excel", ""),
    "pdf_berganti_nama": (replace_file(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "bukan buku kerja Excel", ""),
    "berkas_terpotong": (truncated, "bukan buku kerja Excel", ""),
    "isi_zip_rusak": (corrupt_deflate("Realisasi"), "rusak", ""),
    "format_xls_lama": (replace_file(OLD_XLS), "format Excel lama (.xls)", ""),
    "dilindungi_kata_sandi": (encrypt, "dilindungi kata sandi", ""),
    "berkas_terlalu_besar": (oversized, "terlalu besar (11,0 MB; batas 10 MB)", ""),
    "bom_zip": (zip_bomb, "setelah dibuka (batas 25 MB)", ""),
    "bom_entitas_xml": (entity_bomb, "deklarasi XML (DTD/entitas) di xl/workbook.xml", ""),
    "bom_entitas_di_sheet": (entity_bomb_in_sheet, "deklarasi XML (DTD/entitas)", ""),
    "bom_kompresi": (compression_bomb, "bom kompresi", ""),
    "xml_sheet_terpotong": (truncate_xml("Realisasi"), "rusak", ""),
    "strict_open_xml": (strict_ooxml, "Strict Open XML Spreadsheet", ""),
    "identitas_dialihkan_ke_opd_lain": (edit(all_kode("5.01")), "Sel identitas yang dikunci telah diubah: "
                                        f"Realisasi!C{R}", f"Realisasi!C{R}"),
    "identitas_dialihkan_templat_lama": (edit(all_kode("5.01"), forget_identity_property),
                                         "Menurut judul sheet-nya, templat ini dibuat untuk OPD 2.15", f"Realisasi!C{R}"),
    "rumus_di_sel_identitas": (raw_cell("Realisasi", f"C{R}", f'<c r="C{R}" t="str"><f>"2."&amp;"15"</f>'
                                                              '<v>2.15</v></c>'),
                               f"Sel identitas Realisasi!C{R} berisi rumus", f"Realisasi!C{R}"),
}


@pytest.mark.parametrize("kasus", CASES)
def test_bad_template_is_reported_at_its_cell(setup, tmp_path, kasus):
    master, data, base, _ = setup
    ubah, pesan, lokasi = CASES[kasus]
    path = ubah(Path(shutil.copy(base["2.15"], tmp_path / f"{kasus}.xlsx")))
    plan = plan_import(data, [path], master, 2022, 4)
    (hasil,) = plan.files
    assert hasil.bermasalah and plan.refused
    cocok = [m for m in hasil.masalah if pesan in m.pesan]
    assert cocok, [str(m) for m in hasil.masalah]
    assert cocok[0].tingkat == "galat" and cocok[0].lokasi == lokasi, str(cocok[0])
    assert not [m.pesan for m in hasil.masalah if ".." in m.pesan]  # one full stop per sentence


def test_wrong_quarter_file_is_refused(setup):
    master, data, _, tw3 = setup
    plan = plan_import(data, [tw3], master, 2022, 4)
    galat = [m for m in plan.files[0].masalah if m.tingkat == "galat"]
    assert [m.lokasi for m in galat] == [f"Realisasi!B{R}", f"Indikator!B{R}"]  # once per sheet, not per row
    assert all("berisi data TW III 2022 padahal yang diimpor TW IV 2022" in m.pesan for m in galat)


def test_last_quarters_template_relabelled_as_this_quarter_is_refused(setup, tmp_path):
    """A TW 3 template whose locked Triwulan cells were typed over with 4: every changed cell is named."""
    master, data, _, tw3 = setup

    def ke_tw4(wb):
        for sheet in ("Realisasi", "Indikator"):
            for r in range(FIRST, wb[sheet].max_row + 1):
                wb[sheet][f"B{r}"] = 4
    path = edit(ke_tw4)(Path(shutil.copy(tw3, tmp_path / "tw3-jadi-tw4.xlsx")))
    plan = plan_import(data, [path], master, 2022, 4)
    galat = [m for m in plan.files[0].masalah if m.tingkat == "galat"]
    assert plan.refused and [m.lokasi for m in galat] == [f"Realisasi!B{R}", f"Indikator!B{R}"], [str(m) for m in galat]
    assert "dibuat untuk OPD 2.15 Tahun 2022 Triwulan 3" in galat[0].pesan
    assert f"Indikator!B{R}, Indikator!B{R + 1}, Indikator!B{R + 2}" in galat[1].pesan  # every indicator row


def test_two_files_for_the_same_opd_are_both_refused(setup, tmp_path):
    master, data, base, _ = setup
    a = shutil.copy(base["2.15"], tmp_path / "dishub.xlsx")
    b = shutil.copy(base["2.15"], tmp_path / "dishub revisi.xlsx")
    c = shutil.copy(base["5.01"], tmp_path / "bappeda.xlsx")
    plan = plan_import(data, [tmp_path], master, 2022, 4, lewati_bermasalah=True)
    status = {f.path.name: f.bermasalah for f in plan.files}
    assert status == {"bappeda.xlsx": False, "dishub revisi.xlsx": True, "dishub.xlsx": True}
    pesan = next(m.pesan for m in plan.files[1].masalah)
    assert "OPD 2.15 dikirim dalam 2 berkas ('dishub revisi.xlsx', 'dishub.xlsx')" in pesan
    assert [f.path for f in plan.to_import] == [Path(c)] and {Path(a), Path(b)} == {f.path for f in plan.bad}


def test_corpus_is_large_enough():
    assert len(CASES) + 2 >= 25


def test_rules_checked_together_still_name_each_file_its_own_cells(setup, tmp_path):
    master, data, base, _ = setup
    dishub = edit(cell("Realisasi", f"F{R}", None))(Path(shutil.copy(base["2.15"], tmp_path / "dishub.xlsx")))
    bappeda = edit(cell("Indikator", f"G{R + 1}", "Naik?"))(Path(shutil.copy(base["5.01"], tmp_path / "bappeda.xlsx")))
    plan = plan_import(data, [dishub, bappeda], master, 2022, 4)
    galat = {f.path.name: [(m.lokasi, m.kode) for m in f.masalah if m.tingkat == "galat"] for f in plan.files}
    assert galat == {"dishub.xlsx": [(f"Realisasi!F{R}", "2.15")], "bappeda.xlsx": [(f"Indikator!G{R + 1}", "5.01")]}
