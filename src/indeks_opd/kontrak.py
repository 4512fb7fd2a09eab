"""The workbook contract (DESIGN.md §3): from sheets (``Lembar``) to a ``DataMasukan``.

Sheets are found by name and columns by header text; column order is free and extra
columns are ignored. Every cell is read with :mod:`indeks_opd.angka`; a cell that cannot be
read becomes a problem at its address, never a guessed number. A workbook that cannot be
used at all (a required sheet or column missing, invalid parameters) raises
``BukuTidakBisaDipakai`` with every reason.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from indeks_opd.angka import BULAT, PERSEN, UANG, ANGKA, baca_angka, ke_teks
from indeks_opd.core.masukan import (
    KOLOM_INDIKATOR, KOLOM_OPD, KOLOM_REALISASI, SHEET_INDIKATOR, SHEET_OPD, SHEET_PARAMETER,
    SHEET_REALISASI, DataMasukan,
)
from indeks_opd.lembar import Lembar, Tabel, cari_header, cari_tabel_kecil, normal
from indeks_opd.masalah import BukuTidakBisaDipakai, Masalah, galat, peringatan
from indeks_opd.parameter import KOMPONEN, LABEL_KOMPONEN, Hadiah, Kategori, Parameter, periksa_parameter

HEADER = {
    SHEET_OPD: {"Kode OPD": "kode", "Nama OPD": "nama", "Singkatan": "singkatan", "Aktif": "aktif"},
    SHEET_REALISASI: {
        "Tahun": "tahun", "Triwulan": "triwulan", "Kode OPD": "kode", "Pagu Anggaran": "pagu",
        "Target Keuangan": "target_keuangan", "Realisasi Keuangan": "realisasi_keuangan",
        "Target Fisik": "target_fisik", "Realisasi Fisik": "realisasi_fisik",
        "Target P3DN": "target_p3dn", "Realisasi P3DN": "realisasi_p3dn",
    },
    SHEET_INDIKATOR: {
        "Tahun": "tahun", "Triwulan": "triwulan", "Kode OPD": "kode", "Program": "program",
        "Indikator": "indikator", "Satuan": "satuan", "Arah": "arah", "Target": "target",
        "Realisasi": "realisasi", "Bobot": "bobot",
    },
}
"""Contract headers of each data sheet, as users see them, mapped to field names."""

OPSIONAL = {SHEET_OPD: {"singkatan", "aktif"}, SHEET_REALISASI: set(), SHEET_INDIKATOR: {"satuan", "bobot"}}

JENIS = {
    "tahun": BULAT, "triwulan": BULAT, "pagu": UANG, "target_keuangan": UANG, "realisasi_keuangan": UANG,
    "target_fisik": PERSEN, "realisasi_fisik": PERSEN, "target_p3dn": UANG, "realisasi_p3dn": UANG,
    "target": ANGKA, "realisasi": ANGKA, "bobot": ANGKA,
}
"""How each numeric field is read; every other field is text."""

NAMA_TUNGGAL = ("TahunAktif", "TriwulanAktif", "BatasCapaian", "JumlahTerendah", "IzinkanHadiahSementara",
                "AturanTahunan")

_YA = {"ya": True, "y": True, "true": True, "1": True, "aktif": True,
       "tidak": False, "t": False, "false": False, "0": False, "tidakaktif": False, "no": False}


def cari_lembar(lembar: dict[str, Lembar], nama: str) -> Lembar | None:
    """A sheet by name, ignoring case and spaces."""
    kunci = normal(nama)
    return next((l for n, l in lembar.items() if normal(n) == kunci), None)


def baca_kontrak(lembar: dict[str, Lembar], nama_terdefinisi: dict | None = None) -> DataMasukan:
    """Parse every contract sheet.

    ``nama_terdefinisi`` maps a defined name to ``(value, number format, lokasi)`` where
    ``lokasi`` is ``dict(sheet=, baris=, kolom=)`` of the cell it refers to.
    """
    fatal: list[Masalah] = []
    masalah: list[Masalah] = []
    tabel = {}
    for sheet in (SHEET_OPD, SHEET_REALISASI, SHEET_INDIKATOR):
        ls = cari_lembar(lembar, sheet)
        if ls is None:
            fatal.append(galat(f"Sheet '{sheet}' tidak ditemukan. Buku kerja harus punya sheet "
                               f"{SHEET_OPD}, {SHEET_REALISASI} dan {SHEET_INDIKATOR} (lihat Petunjuk).", sheet=sheet))
            continue
        try:
            tabel[sheet] = _tabel_data(ls, sheet)
        except BukuTidakBisaDipakai as e:
            fatal += e.masalah
    parameter, masalah_param = baca_parameter(cari_lembar(lembar, SHEET_PARAMETER), nama_terdefinisi or {})
    fatal += [m for m in masalah_param if m.tingkat == "galat"]
    masalah += [m for m in masalah_param if m.tingkat != "galat"]
    if fatal:
        raise BukuTidakBisaDipakai(fatal)

    opd, m_opd = _baca_baris(tabel[SHEET_OPD], KOLOM_OPD, SHEET_OPD)
    realisasi, m_real = _baca_baris(tabel[SHEET_REALISASI], KOLOM_REALISASI, SHEET_REALISASI)
    indikator, m_ind = _baca_baris(tabel[SHEET_INDIKATOR], KOLOM_INDIKATOR, SHEET_INDIKATOR)
    return DataMasukan(
        parameter=parameter, opd=opd, realisasi=realisasi, indikator=indikator,
        masalah=masalah + m_opd + m_real + m_ind,
        kolom={s: t.huruf() for s, t in tabel.items()},
    )


def _tabel_data(ls: Lembar, sheet: str) -> Tabel:
    header = {normal(h): f for h, f in HEADER[sheet].items()}
    i, peta, ganda = cari_header(ls, header)
    wajib = [h for h, f in HEADER[sheet].items() if f not in OPSIONAL[sheet]]
    kurang = [h for h in wajib if HEADER[sheet][h] not in peta]
    if i < 0 or kurang:
        tempat = f" (baris judul yang paling cocok: baris {ls.nomor_baris(i)})" if i >= 0 else ""
        raise BukuTidakBisaDipakai([galat(
            f"Kolom {', '.join(repr(h) for h in kurang)} tidak ditemukan di sheet '{sheet}'{tempat}. "
            f"Judul kolom yang diperlukan: {', '.join(wajib)}.", sheet=sheet, baris=ls.nomor_baris(i) if i >= 0 else None)])
    if ganda:
        label = {f: h for h, f in HEADER[sheet].items()}
        raise BukuTidakBisaDipakai([galat(
            f"Kolom {', '.join(repr(label[f]) for f in ganda)} muncul lebih dari sekali di sheet '{sheet}'. "
            "Hapus atau ganti nama salah satunya.", sheet=sheet, baris=ls.nomor_baris(i))])
    return Tabel(ls, i, peta)


def _baca_baris(t: Tabel, kolom: tuple[str, ...], sheet: str) -> tuple[pd.DataFrame, list[Masalah]]:
    """Read every non-blank row under the header into one record per row, with its problems."""
    ls = t.lembar
    masalah: list[Masalah] = []
    data = {f: [] for f in (*kolom, "baris")}
    for i in range(t.baris_header + 1, len(ls.nilai)):
        mentah = {f: ls.sel(i, j) for f, j in t.kolom.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in mentah.values()):
            continue  # blank rows in the middle are skipped, not the end of the table
        rec, pesan = {}, []
        for f in kolom:
            if f not in t.kolom:
                rec[f] = None if f not in JENIS else math.nan
                continue
            v = mentah[f]
            if f in JENIS:
                x, salah = baca_angka(v, JENIS[f], ls.format_sel(i, t.kolom[f]))
                if salah is None and f == "triwulan" and x is not None and x not in (1, 2, 3, 4):
                    x, salah = None, f"Triwulan {x:g} tidak sah; isi 1, 2, 3 atau 4"
                if salah is None and f == "tahun" and x is not None and not 2000 <= x <= 2100:
                    x, salah = None, f"Tahun {x:g} tidak wajar; isi tahun empat angka, mis. 2024"
                rec[f] = math.nan if x is None else x
                if salah:
                    pesan.append((f, salah))
            elif f == "aktif":
                rec[f], salah = _baca_aktif(v)
                if salah:
                    pesan.append((f, salah))
            else:
                rec[f] = ke_teks(v)
        rec["baris"] = ls.nomor_baris(i)
        for f, salah in pesan:
            periode = None
            if "tahun" in rec and not math.isnan(rec["tahun"]) and not math.isnan(rec["triwulan"]):
                periode = (int(rec["tahun"]), int(rec["triwulan"]))
            buat = peringatan if f == "aktif" and rec[f] is True else galat
            masalah.append(buat(f"Nilai {_label(sheet, f)} {salah}.", sheet=sheet, baris=rec["baris"],
                                kolom=ls.huruf_kolom(t.kolom[f]), kode=rec.get("kode"), periode=periode))
        for f, v in rec.items():
            data[f].append(v)
    df = pd.DataFrame(data)
    for f in kolom:
        if f in JENIS:
            df[f] = df[f].astype(float)
        else:
            df[f] = df[f].astype(object)
    return df, masalah


def _label(sheet: str, f: str) -> str:
    return next(h for h, g in HEADER[sheet].items() if g == f)


def _baca_aktif(v):
    teks = ke_teks(v)
    if teks is None:
        return True, "kosong; dianggap Ya (aktif). Isi Ya atau Tidak"
    hasil = _YA.get(normal(teks))
    if hasil is None:
        return None, f"'{teks}' tidak dikenal; isi Ya atau Tidak"
    return hasil, None


# --- Parameter sheet -------------------------------------------------------------------------

def baca_parameter(ls: Lembar | None, nama_terdefinisi: dict) -> tuple[Parameter, list[Masalah]]:
    """Parameter tables (found by headers) and single values (defined names, else a Nama | Nilai block).

    A missing sheet or table falls back to the defaults of DESIGN.md §2 with a warning;
    an unreadable or invalid value is a blocking problem.
    """
    bawaan = Parameter()
    masalah: list[Masalah] = []
    if ls is None:
        masalah.append(peringatan("Sheet 'Parameter' tidak ada; dipakai parameter bawaan (bobot 20/20/50/10, "
                                  "kategori Permendagri 86/2017, hadiah 5/3/1 juta).", sheet=SHEET_PARAMETER))
        ls = Lembar(SHEET_PARAMETER, [])
    ubah = {}
    ubah.update(_baca_bobot(ls, masalah))
    ubah.update(_baca_kategori(ls, masalah))
    ubah.update(_baca_hadiah(ls, masalah))
    ubah.update(_baca_tunggal(ls, nama_terdefinisi, masalah))
    p = replace(bawaan, **ubah)
    if not any(m.tingkat == "galat" for m in masalah):
        masalah += periksa_parameter(p)
    return p, masalah


def _tidak_ada(ls: Lembar, nama: str, masalah: list[Masalah]) -> None:
    if ls.nilai:
        masalah.append(peringatan(f"Tabel {nama} tidak ditemukan di sheet Parameter; dipakai nilai bawaan.",
                                  sheet=SHEET_PARAMETER))


def _isi(t: Tabel):
    """Rows of a small table until its first column is blank: (row index, {header: (value, format, lokasi)})."""
    ls = t.lembar
    kunci = next(iter(t.kolom))
    i = t.baris_header + 1
    while i < len(ls.nilai) and ls.sel(i, t.kolom[kunci]) not in (None, ""):
        yield i, {h: (ls.sel(i, j), ls.format_sel(i, j),
                      dict(sheet=ls.nama, baris=ls.nomor_baris(i), kolom=ls.huruf_kolom(j)))
                  for h, j in t.kolom.items()}
        i += 1


def _angka_param(sel, jenis, nama, masalah) -> float | None:
    v, fmt, lokasi = sel
    x, salah = baca_angka(v, jenis, fmt)
    if salah or x is None:
        masalah.append(galat(f"{nama}: nilai {salah or 'kosong'}.", **lokasi))
    return x


def _baca_bobot(ls: Lembar, masalah: list[Masalah]) -> dict:
    t = cari_tabel_kecil(ls, ["komponen", "bobot"])
    if t is None:
        _tidak_ada(ls, "Bobot (Komponen | Bobot)", masalah)
        return {}
    label = {normal(v): k for k, v in LABEL_KOMPONEN.items()}
    bobot = {}
    for i, sel in _isi(t):
        nama = ke_teks(sel["komponen"][0])
        k = label.get(normal(nama))
        if k is None:
            masalah.append(galat(f"Komponen '{nama}' tidak dikenal di tabel Bobot. Gunakan: "
                                 f"{', '.join(LABEL_KOMPONEN.values())}.", sheet=ls.nama, baris=ls.nomor_baris(i),
                                 kolom=ls.huruf_kolom(t.kolom['komponen'])))
            continue
        if k in bobot:
            masalah.append(galat(f"Komponen {nama} tertulis dua kali di tabel Bobot.", sheet=ls.nama,
                                 baris=ls.nomor_baris(i), kolom=ls.huruf_kolom(t.kolom['komponen'])))
        x = _angka_param(sel["bobot"], PERSEN, f"Bobot {nama}", masalah)
        if x is not None:
            bobot[k] = x
    return {"bobot": bobot}


def _baca_kategori(ls: Lembar, masalah: list[Masalah]) -> dict:
    t = cari_tabel_kecil(ls, ["kategori", "batasbawah", "warna", "zona"])
    if t is None:
        _tidak_ada(ls, "Kategori (Kategori | Batas Bawah | Warna | Zona)", masalah)
        return {}
    kategori = []
    for _, sel in _isi(t):
        nama = ke_teks(sel["kategori"][0])
        if sel["batasbawah"][0] in (None, "", "-", "−"):
            batas = -math.inf
        else:
            batas = _angka_param(sel["batasbawah"], ANGKA, f"Batas Bawah {nama}", masalah)
        warna = (ke_teks(sel["warna"][0]) or "").upper()
        if warna and not warna.startswith("#"):
            warna = "#" + warna
        kategori.append(Kategori(nama, -math.inf if batas is None else batas, warna, ke_teks(sel["zona"][0]) or ""))
    return {"kategori": tuple(kategori)}


def _baca_hadiah(ls: Lembar, masalah: list[Masalah]) -> dict:
    t = cari_tabel_kecil(ls, ["peringkat", "hadiah", "sumber"])
    if t is None:
        _tidak_ada(ls, "Hadiah (Peringkat | Hadiah | Sumber)", masalah)
        return {}
    hadiah = []
    for _, sel in _isi(t):
        r = _angka_param(sel["peringkat"], BULAT, "Peringkat hadiah", masalah)
        x = _angka_param(sel["hadiah"], UANG, "Hadiah", masalah)
        if r is not None and x is not None:
            if x != int(x):
                masalah.append(galat(f"Hadiah peringkat {r:g} harus rupiah bulat.", sheet=ls.nama))
            hadiah.append(Hadiah(int(r), int(x), ke_teks(sel["sumber"][0]) or ""))
    return {"hadiah": tuple(hadiah)}


def _baca_tunggal(ls: Lembar, nama_terdefinisi: dict, masalah: list[Masalah]) -> dict:
    blok = {}
    t = cari_tabel_kecil(ls, ["nama", "nilai"])
    if t is not None:
        for i, sel in _isi(t):
            blok[normal(ke_teks(sel["nama"][0]))] = sel["nilai"]
    terdefinisi = {normal(k): v for k, v in nama_terdefinisi.items()}
    hasil = {}
    for nama in NAMA_TUNGGAL:
        kunci = normal(nama)
        if kunci in terdefinisi:
            v, fmt, lokasi = terdefinisi[kunci]
        elif kunci in blok:
            v, fmt, lokasi = blok[kunci]
        else:
            continue
        if nama in ("TahunAktif", "TriwulanAktif", "JumlahTerendah"):
            x, salah = baca_angka(v, BULAT, fmt)
            if nama == "TriwulanAktif" and x is not None and x not in (1, 2, 3, 4):
                salah = f"{x:g} tidak sah; isi 1, 2, 3 atau 4"
            if salah or x is None:
                masalah.append(galat(f"{nama}: nilai {salah or 'kosong'}.", **lokasi))
                continue
            field = {"TahunAktif": "tahun_aktif", "TriwulanAktif": "triwulan_aktif",
                     "JumlahTerendah": "jumlah_terendah"}[nama]
            hasil[field] = int(x)
        elif nama == "BatasCapaian":
            x, salah = baca_angka(v, ANGKA, None)
            if salah or x is None:
                masalah.append(galat(f"BatasCapaian: nilai {salah or 'kosong'}.", **lokasi))
                continue
            hasil["batas_capaian"] = x
        elif nama == "IzinkanHadiahSementara":
            ya = _YA.get(normal(ke_teks(v) or ""))
            if ya is None:
                masalah.append(galat(f"IzinkanHadiahSementara: '{v}' tidak dikenal; isi Ya atau Tidak.", **lokasi))
                continue
            hasil["izinkan_hadiah_sementara"] = ya
        elif nama == "AturanTahunan":
            teks = ke_teks(v) or ""
            pilihan = {"twiv": "TW IV", "tw4": "TW IV", "rata-rata": "Rata-rata", "ratarata": "Rata-rata"}
            hasil["aturan_tahunan"] = pilihan.get(normal(teks), teks)
    return hasil
