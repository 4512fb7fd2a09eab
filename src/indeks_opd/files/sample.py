"""Fictional sample data for a city like Kota Magelang, and the contract workbook holding it.

CONTOH / SAMPLE: every OPD figure here is invented (fixed seed) for demonstration and
tests; the OPD names follow the usual structure of a city government. The fourth quarter
of 2022 is built so that its ranking tells the story of the Rakorpok article in
``shared/referensi`` (Dinas Perhubungan, Disdukcapil and Bappeda on top; the lowest three
still in the green zone).

``python -m indeks_opd.files.sample`` rewrites ``src/indeks_opd/data/contoh.xlsx``.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from indeks_opd.contract.schema import (
    INPUT_TABLES,
    PARAMETER_TABLES,
    PERSEN,
    TANGGAL,
    UANG,
    default_fields,
    headers,
    single_values,
)
from indeks_opd.core.parameter import Parameter, component_label
from indeks_opd.present import style

YEAR = 2022
SEED = 2022

# (kode, nama, singkatan, kualitas 0..1 for TW IV, indicators: (program, indikator, satuan, arah, target TW IV))
OPD = [
    ("2.15", "Dinas Perhubungan", "Dishub", 0.990, [
        ("Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan", "Angka kecelakaan lalu lintas", "kejadian", "Turun", 40),
        ("Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan", "Persentase fasilitas perlengkapan jalan yang baik", "%", "Naik", 90),
        ("Program Penunjang Urusan Pemerintahan Daerah", "Nilai SAKIP OPD", "nilai", "Naik", 80)]),
    ("2.12", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", 0.980, [
        ("Program Pendaftaran Penduduk", "Persentase penduduk ber-KTP elektronik", "%", "Naik", 98),
        ("Program Pencatatan Sipil", "Persentase anak memiliki akta kelahiran", "%", "Naik", 97),
        ("Program Pengelolaan Informasi Administrasi Kependudukan", "Waktu layanan dokumen", "hari", "Turun", 3)]),
    ("5.01", "Badan Perencanaan Pembangunan Daerah", "Bappeda", 0.970, [
        ("Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah", "Persentase konsistensi program RPJMD-RKPD", "%", "Naik", 95),
        ("Program Penelitian dan Pengembangan Daerah", "Jumlah inovasi daerah", "inovasi", "Naik", 30)]),
    ("1.01", "Dinas Pendidikan dan Kebudayaan", "Disdikbud", 0.955, [
        ("Program Pengelolaan Pendidikan", "Angka partisipasi murni SMP", "%", "Naik", 92),
        ("Program Pengelolaan Pendidikan", "Angka putus sekolah", "%", "Turun", 0.5),
        ("Program Pengembangan Kebudayaan", "Jumlah event budaya", "event", "Naik", 12)]),
    ("5.02", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", 0.950, [
        ("Program Pengelolaan Keuangan Daerah", "Opini BPK atas LKPD", "skor", "Naik", 4),
        ("Program Pengelolaan Pendapatan Daerah", "Realisasi pendapatan asli daerah", "miliar Rp", "Naik", 150)]),
    ("2.16", "Dinas Komunikasi, Informatika dan Statistik", "Diskominfo", 0.945, [
        ("Program Aplikasi Informatika", "Indeks SPBE", "indeks", "Naik", 3.5),
        ("Program Informasi dan Komunikasi Publik", "Persentase aduan publik yang ditindaklanjuti", "%", "Naik", 100)]),
    ("2.18", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", 0.940, [
        ("Program Pelayanan Penanaman Modal", "Indeks kepuasan masyarakat", "indeks", "Naik", 85),
        ("Program Pelayanan Penanaman Modal", "Nilai investasi", "miliar Rp", "Naik", 400)]),
    ("6.01", "Inspektorat Daerah", "Inspektorat", 0.935, [
        ("Program Penyelenggaraan Pengawasan", "Persentase tindak lanjut temuan", "%", "Naik", 95),
        ("Program Penyelenggaraan Pengawasan", "Level kapabilitas APIP", "level", "Naik", 3)]),
    ("1.06", "Dinas Sosial", "Dinsos", 0.930, [
        ("Program Penanganan Fakir Miskin", "Persentase penduduk miskin", "%", "Turun", 7),
        ("Program Rehabilitasi Sosial", "Persentase PMKS yang tertangani", "%", "Naik", 80)]),
    ("4.01", "Sekretariat Daerah", "Setda", 0.925, [
        ("Program Pemerintahan dan Kesejahteraan Rakyat", "Nilai reformasi birokrasi", "nilai", "Naik", 75),
        ("Program Perekonomian dan Pembangunan", "Persentase pengadaan melalui e-katalog", "%", "Naik", 60)]),
    ("3.27", "Dinas Pertanian dan Pangan", "Disperpa", 0.920, [
        ("Program Penyediaan dan Pengembangan Sarana Pertanian", "Produktivitas padi", "ton/ha", "Naik", 6.2),
        ("Program Peningkatan Diversifikasi dan Ketahanan Pangan", "Skor pola pangan harapan", "skor", "Naik", 90)]),
    ("1.05", "Satuan Polisi Pamong Praja", "Satpol PP", 0.915, [
        ("Program Peningkatan Ketenteraman dan Ketertiban Umum", "Persentase penegakan perda", "%", "Naik", 100),
        ("Program Penanggulangan Bencana", "Waktu tanggap kejadian kebakaran", "menit", "Turun", 15)]),
    ("4.02", "Sekretariat DPRD", "Setwan", 0.910, [
        ("Program Dukungan Pelaksanaan Tugas dan Fungsi DPRD", "Jumlah perda yang ditetapkan", "perda", "Naik", 10)]),
    ("3.30", "Dinas Perdagangan, Koperasi dan UKM", "Disdagkop", 0.900, [
        ("Program Pemberdayaan Usaha Menengah, Kecil dan Mikro", "Jumlah UMKM naik kelas", "unit", "Naik", 120),
        ("Program Stabilisasi Harga Barang Kebutuhan Pokok", "Tingkat inflasi bahan pokok", "%", "Turun", 4)]),
    ("1.04", "Dinas Perumahan dan Kawasan Permukiman", "Disperkim", 0.895, [
        ("Program Kawasan Permukiman", "Luas kawasan kumuh", "ha", "Turun", 12),
        ("Program Pengembangan Perumahan", "Persentase rumah layak huni", "%", "Naik", 96)]),
    ("2.11", "Dinas Lingkungan Hidup", "DLH", 0.880, [
        ("Program Pengelolaan Persampahan", "Persentase sampah yang tertangani", "%", "Naik", 85),
        ("Program Pengendalian Pencemaran Lingkungan", "Indeks kualitas lingkungan hidup", "indeks", "Naik", 70)]),
    ("1.02", "Dinas Kesehatan", "Dinkes", 0.870, [
        ("Program Pemenuhan Upaya Kesehatan", "Angka kematian ibu", "per 100.000 KH", "Turun", 60),
        ("Program Pemenuhan Upaya Kesehatan", "Prevalensi stunting", "%", "Turun", 14),
        ("Program Peningkatan Kapasitas SDM Kesehatan", "Persentase puskesmas terakreditasi", "%", "Naik", 100)]),
    ("1.03", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", 0.860, [
        ("Program Penyelenggaraan Jalan", "Persentase jalan kota kondisi mantap", "%", "Naik", 90),
        ("Program Pengelolaan Sumber Daya Air", "Luas genangan banjir", "ha", "Turun", 5)]),
]
INACTIVE = [("9.99", "Kantor Arsip (digabung ke Diskominfo)", "Arsip")]
WITHOUT_P3DN = {"6.01", "4.02"}  # no domestic-product spending target: P3DN does not apply

FINANCE_SHARE = {1: 0.15, 2: 0.40, 3: 0.70, 4: 0.97}
FISIK_TARGET = {1: 20.0, 2: 45.0, 3: 75.0, 4: 100.0}


def _row(sheet: str, **values) -> list:
    """One data row in the schema's column order; fields the sample has no value for stay blank."""
    return [values.get(f.name) for f in default_fields(sheet)]


def sample_rows() -> dict[str, list[list]]:
    """Rows (header first) of the OPD, Realisasi and Indikator sheets for 2022 TW I–IV."""
    rng = np.random.default_rng(SEED)
    opd = [headers("OPD")] + [_row("OPD", kode=k, nama=n, singkatan=s, aktif="Ya") for k, n, s, *_ in OPD]
    opd += [_row("OPD", kode=k, nama=n, singkatan=s, aktif="Tidak") for k, n, s in INACTIVE]
    realisasi = [headers("Realisasi")]
    indikator = [headers("Indikator")]
    pagu_opd = {kode: float(rng.integers(40, 400) * 100_000_000) for kode, *_ in OPD}
    for tw in (1, 2, 3, 4):
        for kode, _, _, q, inds in OPD:
            mutu = q if tw == 4 else min(1.0, q + rng.uniform(-0.06, 0.04))
            pagu = pagu_opd[kode]
            target_keu = round(pagu * FINANCE_SHARE[tw], -3)
            real_keu = round(target_keu * min(1.0, mutu + 0.02), -3)
            target_fis = FISIK_TARGET[tw]
            real_fis = round(target_fis * min(1.0, mutu + 0.015), 2)
            if kode in WITHOUT_P3DN:
                t_p3dn, r_p3dn = None, None
            else:
                t_p3dn = round(target_keu * 0.4, -3)
                r_p3dn = round(t_p3dn * min(1.0, mutu + 0.03), -3)
            realisasi.append(_row("Realisasi", tahun=YEAR, triwulan=tw, kode=kode, pagu=pagu,
                                  target_keuangan=target_keu, realisasi_keuangan=real_keu, target_fisik=target_fis,
                                  realisasi_fisik=real_fis, target_p3dn=t_p3dn, realisasi_p3dn=r_p3dn))
            for program, nama, satuan, arah, target4 in inds:
                target = target4 if satuan in ("%", "indeks", "nilai", "skor", "level", "ton/ha", "menit", "hari",
                                               "per 100.000 KH") else math.ceil(target4 * tw / 4)
                if arah == "Naik":
                    real = round(target * min(1.05, mutu - 0.05 + rng.uniform(0, 0.05)), 2)
                else:
                    real = round(target * (2 - min(1.05, mutu - 0.05 + rng.uniform(0, 0.05))), 2)
                indikator.append(_row("Indikator", tahun=YEAR, triwulan=tw, kode=kode, program=program,
                                      indikator=nama, satuan=satuan, arah=arah, target=target, realisasi=real))
    return {"OPD": opd, "Realisasi": realisasi, "Indikator": indikator}

NUMBER_FORMATS = {f.header: f.format for table in INPUT_TABLES.values() for f in table if f.kind in (UANG, PERSEN, TANGGAL)}
"""Number formats of the sample's data columns: the schema's, where a reader depends on them (rupiah, percent, dates)."""
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=style.HEADER)


def _write_table(ws, baris: list[list], first_column: int = 1, first_row: int = 1, format_kolom=None) -> None:
    for i, rec in enumerate(baris):
        for j, v in enumerate(rec):
            c = ws.cell(first_row + i, first_column + j)
            c.value = v
            if isinstance(v, str) and v[:1] in "=+-@":
                c.data_type = "s"  # text from data is never a formula (docs/arsitektur.md, Conventions)
            if i == 0:
                c.font, c.fill = HEADER_FONT, HEADER_FILL
                c.alignment = Alignment(wrap_text=True, vertical="center")
            elif format_kolom and j < len(baris[0]) and baris[0][j] in format_kolom:
                c.number_format = format_kolom[baris[0][j]]


def _parameter_headers(name: str, on_demand: bool = False) -> list[str]:
    """A Parameter table's schema headers, its on-demand columns only when asked."""
    return [f.header for f in PARAMETER_TABLES[name] if on_demand or not f.on_demand]


def write_contract_workbook(path: Path | str, sheets: dict[str, list[list]], parameter: Parameter | None = None,
                       tahun_aktif: int = YEAR, triwulan_aktif: int = 4) -> Path:
    """Write a plain contract workbook: Parameter (tables and defined names) and the data sheets."""
    p = parameter or Parameter()
    wb = Workbook()
    ws = wb.active
    ws.title = "Parameter"
    ws["A1"] = "Parameter Indeks Kinerja OPD"
    ws["A1"].font = Font(bold=True, size=14)
    _write_table(ws, [_parameter_headers("tblBobot")] + [[component_label(k), w] for k, w in p.weights().items()], 1, 3)
    row = 3 + len(p.weights()) + 3  # tables one under another, two blank rows apart
    _write_table(ws, [_parameter_headers("tblKategori")] + [
        [k.nama, None if math.isinf(k.batas_bawah) else k.batas_bawah, k.warna, k.zona] for k in p.kategori], 1, row)
    for i, k in enumerate(p.kategori):
        ws.cell(row + 1 + i, 3).fill = PatternFill("solid", fgColor=k.warna.lstrip("#"))
    row += len(p.kategori) + 3
    grouped = any(h.kelompok for h in p.hadiah)  # the Kelompok column only when prizes differ per group
    _write_table(ws, [_parameter_headers("tblHadiah", on_demand=grouped)]
                 + [[h.peringkat, h.jumlah, h.sumber, *([h.kelompok] if grouped else [])] for h in p.hadiah],
                 1, row, {"Hadiah": '"Rp"#,##0'})
    if p.jadwal:
        _write_table(ws, [_parameter_headers("tblJadwal", on_demand=True)] + [[j.tahun, j.triwulan, j.batas]
                                                                               for j in p.jadwal],
                     1, row + len(p.hadiah) + 3, {"Batas Pengumpulan": "dd/mm/yyyy"})
    tunggal = [["Nama", "Nilai"]] + [[sv.name, v] for sv, v in single_values(p, tahun_aktif, triwulan_aktif)]
    _write_table(ws, tunggal, 6, 3)
    for i, (nama, _) in enumerate(tunggal[1:]):
        wb.defined_names[nama] = DefinedName(nama, attr_text=f"Parameter!$G${4 + i}")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["F"].width = 26
    for nama, baris in sheets.items():
        ws = wb.create_sheet(nama)
        _write_table(ws, baris, format_kolom=NUMBER_FORMATS)
        ws.freeze_panes = "A2"
        for j, h in enumerate(baris[0] if baris else []):
            ws.column_dimensions[get_column_letter(j + 1)].width = max(12, min(45, len(str(h)) + 4))
    path = Path(path)
    wb.save(path)
    return path


def sample_path() -> Path:
    """The bundled sample workbook."""
    return Path(str(resources.files("indeks_opd") / "data" / "contoh.xlsx"))


if __name__ == "__main__":
    tujuan = Path(__file__).parents[1] / "data" / "contoh.xlsx"
    tujuan.parent.mkdir(exist_ok=True)
    print(write_contract_workbook(tujuan, sample_rows()))
