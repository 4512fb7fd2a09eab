"""Reproducible benchmark data: master workbooks, filled OPD templates, and the "by hand" workbook.

Everything is drawn from a fixed seed, so the same arguments always give the same figures.

- :func:`contract_rows` — the OPD, Realisasi and Indikator rows (header first, the shape of
  :func:`indeks_opd.files.sample.sample_rows`) of N OPDs with Indonesian names, M program
  indicators per OPD and quarters 1..Q of :data:`TAHUN`.
- :func:`write_master` — a contract workbook of those rows. The ``Parameter`` sheet comes
  from the product's own :func:`indeks_opd.files.sample.write_contract_workbook` (so its layout
  and defined names are the product's); the data sheets are written with XlsxWriter, several
  times faster than openpyxl's writer for 22,000 OPDs x 20 indicators, with a shared string
  table like Excel's (see :data:`WRITER_OPTIONS`). The benchmark reads the files only
  through the product.
- :func:`write_templates` — one template per OPD for a period made by the product's own
  ``templat`` generation (:func:`indeks_opd.templat.generate.generate_from_master`), then filled
  the way an OPD would: Realisasi row and every indicator's Realisasi typed in (openpyxl).
- :func:`write_formula_workbook` — the same data with the job done by native Excel
  formulas for the LibreOffice baseline, in two designs (:data:`FORMULA_DESIGNS`): SUMIFS
  over the whole table per OPD, or an analyst's lookup of precomputed rows.
- :func:`history_rows` — Riwayat and Log rows of earlier quarters (a workbook hitung has
  already run on for a while).

``python benchmarks/generate.py --opd 40 --indikator 20 --triwulan 4 --keluaran DIR [--templat]``
writes a master (and its filled templates) into DIR.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from indeks_opd.contract import default_headers  # noqa: E402
from indeks_opd.core.parameter import COMPONENTS, Parameter  # noqa: E402
from indeks_opd.files.sample import NUMBER_FORMATS, write_contract_workbook  # noqa: E402
from indeks_opd.templat.generate import HEADER_ROW, generate_from_master  # noqa: E402

SEED = 20240
TAHUN = 2024
VERSION = 2
"""Bumped whenever the generated content changes (cached files carry it in their name)."""

JENIS_OPD = [
    ("Dinas Pendidikan", "Disdik"), ("Dinas Kesehatan", "Dinkes"), ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Dinas Perumahan dan Kawasan Permukiman", "Disperkim"), ("Satuan Polisi Pamong Praja", "Satpol PP"),
    ("Dinas Sosial", "Dinsos"), ("Dinas Tenaga Kerja", "Disnaker"), ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"), ("Dinas Perhubungan", "Dishub"),
    ("Dinas Komunikasi dan Informatika", "Diskominfo"), ("Dinas Koperasi dan Usaha Mikro", "Dinkop UM"),
    ("Dinas Penanaman Modal dan PTSP", "DPMPTSP"), ("Dinas Kepemudaan dan Olahraga", "Dispora"),
    ("Dinas Kebudayaan dan Pariwisata", "Disbudpar"), ("Dinas Perpustakaan dan Kearsipan", "Dispusip"),
    ("Dinas Pertanian dan Pangan", "Dispertan"), ("Dinas Perdagangan", "Disdag"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"), ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("Badan Kepegawaian dan Pengembangan SDM", "BKPSDM"), ("Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol"), ("Inspektorat Daerah", "Inspektorat"),
    ("Sekretariat Daerah", "Setda"), ("Sekretariat DPRD", "Setwan"), ("Rumah Sakit Umum Daerah", "RSUD"),
    ("Kecamatan Tengah", "Kec. Tengah"), ("Kecamatan Utara", "Kec. Utara"), ("Kecamatan Selatan", "Kec. Selatan"),
]
SUKU = ["ba", "ja", "ma", "ka", "ra", "sa", "ta", "wa", "lang", "sari", "jaya", "tu", "gu", "bo", "lo", "ngan",
        "pu", "ko", "se", "di", "man", "rejo", "mulyo", "pa", "ti", "tan", "kar", "sum", "ban", "to"]
PROGRAM = [
    "Program Penunjang Urusan Pemerintahan Daerah", "Program Pengelolaan Pendidikan",
    "Program Pemenuhan Upaya Kesehatan", "Program Penyelenggaraan Jalan", "Program Pengelolaan Persampahan",
    "Program Pelayanan Penanaman Modal", "Program Pemberdayaan Usaha Mikro", "Program Pendaftaran Penduduk",
    "Program Penanggulangan Bencana", "Program Perencanaan Pembangunan Daerah",
]
INDIKATOR = [
    ("Persentase layanan tepat waktu", "%", "Naik", 95), ("Indeks kepuasan masyarakat", "indeks", "Naik", 85),
    ("Jumlah kegiatan terlaksana", "kegiatan", "Naik", 24), ("Persentase aduan yang ditindaklanjuti", "%", "Naik", 100),
    ("Waktu penyelesaian layanan", "hari", "Turun", 5), ("Angka kejadian", "kejadian", "Turun", 40),
    ("Nilai SAKIP", "nilai", "Naik", 80), ("Persentase dokumen tepat waktu", "%", "Naik", 90),
]
WRITER_OPTIONS = {"constant_memory": False}
"""Shared strings, like a file saved by Excel. XlsxWriter's constant_memory mode would write
every text cell as an inline string, which Excel never does and which openpyxl reads about
twice as slowly (it builds a rich-text object per cell), so it would misstate both the
product and its I/O floor."""
FINANCE_SHARE = {1: 0.18, 2: 0.42, 3: 0.71, 4: 0.96}
FISIK_TARGET = {1: 20.0, 2: 45.0, 3: 75.0, 4: 100.0}


def _wilayah(rng, n: int) -> list[str]:
    nama = set()
    hasil = []
    while len(hasil) < n:
        w = "".join(rng.choice(SUKU, size=int(rng.integers(2, 4)))).capitalize()
        if w not in nama:
            nama.add(w)
            hasil.append(("Kota " if rng.random() < 0.2 else "Kabupaten ") + w)
    return hasil


def opd_rows(n: int, seed: int = SEED) -> list[tuple[str, str, str]]:
    """``(kode, nama, singkatan)`` of ``n`` OPDs: every agency type of a region, region after region."""
    rng = np.random.default_rng(seed)
    wilayah = _wilayah(rng, n // len(JENIS_OPD) + 1)
    hasil = []
    for i in range(n):
        w, (jenis, singkat) = divmod(i, len(JENIS_OPD))[0], JENIS_OPD[i % len(JENIS_OPD)]
        hasil.append((f"{1 + i % 7}.{1 + (i // 7) % 99:02d}.{i + 1:05d}", f"{jenis} {wilayah[w]}",
                      f"{singkat} {wilayah[w].split()[-1]}"))
    return hasil


def contract_rows(n_opd: int, m_indikator: int, quarters: int, seed: int = SEED) -> dict[str, list[list]]:
    """Rows (header first) of OPD, Realisasi and Indikator for quarters 1..``quarters`` of TAHUN."""
    opd = opd_rows(n_opd, seed)
    rng = np.random.default_rng(seed + 1)
    mutu = rng.uniform(0.55, 1.0, n_opd)                      # each OPD's overall quality
    pagu = rng.integers(5, 500, n_opd) * 100_000_000.0
    tanpa_p3dn = rng.random(n_opd) < 0.1                      # P3DN not applicable
    ind = rng.integers(0, len(INDIKATOR), (n_opd, m_indikator))
    prog = rng.integers(0, len(PROGRAM), (n_opd, m_indikator))
    rows = {s: [list(default_headers(s))] for s in ("OPD", "Realisasi", "Indikator")}
    rows["OPD"] += [[k, n, s, "Ya"] for k, n, s in opd]
    for tw in range(1, quarters + 1):
        q = np.clip(mutu + rng.uniform(-0.08, 0.05, n_opd), 0.3, 1.0)
        target_keu = np.round(pagu * FINANCE_SHARE[tw], -3)
        real_keu = np.round(target_keu * np.minimum(1.0, q + 0.02), -3)
        real_fis = np.round(FISIK_TARGET[tw] * np.minimum(1.0, q + 0.01), 2)
        t_p3dn = np.round(target_keu * 0.4, -3)
        r_p3dn = np.round(t_p3dn * np.minimum(1.0, q + 0.03), -3)
        acak = rng.uniform(-0.1, 0.08, (n_opd, m_indikator))
        for i, (kode, _, _) in enumerate(opd):
            p3 = (None, None) if tanpa_p3dn[i] else (float(t_p3dn[i]), float(r_p3dn[i]))
            rows["Realisasi"].append([TAHUN, tw, kode, float(pagu[i]), float(target_keu[i]), float(real_keu[i]),
                                      FISIK_TARGET[tw], float(real_fis[i]), *p3])
            for j in range(m_indikator):
                nama, satuan, arah, target = INDIKATOR[ind[i, j]]
                f = q[i] + acak[i, j]
                real = round(target * (f if arah == "Naik" else 2 - f), 2)
                rows["Indikator"].append([TAHUN, tw, kode, PROGRAM[prog[i, j]], f"{nama} ({j + 1})", satuan, arah,
                                          target, max(real, 0.0), None])
    return rows


def _parameter_grid(tahun_aktif: int, triwulan_aktif: int, tmp: Path):
    """Cells and defined names of the product's own Parameter sheet."""
    write_contract_workbook(tmp, {}, tahun_aktif=tahun_aktif, triwulan_aktif=triwulan_aktif)
    wb = openpyxl.load_workbook(tmp)
    ws = wb["Parameter"]
    cells = [(c.row - 1, c.column - 1, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    tmp.unlink()
    return cells, names


def history_rows(n_opd: int, quarters: int, seed: int = SEED) -> dict[str, list[list]]:
    """``Riwayat`` and ``Log`` rows (header first) of ``quarters`` earlier quarters, ending with TW IV of TAHUN - 1.

    The shape hitung writes (:data:`indeks_opd.contract.output_sheets.RIWAYAT_HEADERS`): every OPD ranked in
    every quarter, rows sorted by period and rank, one Log row per quarter.
    """
    from indeks_opd.contract.output_sheets import LOG_HEADERS, RIWAYAT_HEADERS

    opd = opd_rows(n_opd, seed)
    rng = np.random.default_rng(seed + 2)
    riwayat, log = [list(RIWAYAT_HEADERS)], [list(LOG_HEADERS)]
    for k in range(quarters):
        tahun, tw = TAHUN - 1 - (quarters - 1 - k) // 4, 4 - (quarters - 1 - k) % 4
        komponen = np.round(rng.uniform(40, 100, (n_opd, 4)), 6)
        indeks = komponen.mean(axis=1)
        waktu = f"{tahun}-{3 * tw:02d}-28T10:00:00"
        for rank, i in enumerate(np.argsort(-indeks), start=1):
            kode, nama, _ = opd[i]
            riwayat.append([tahun, tw, kode, nama, *map(float, komponen[i]), float(indeks[i]), rank,
                            "Tinggi", "Hijau", 5_000_000 if rank == 1 else 0, "Tidak", "Tidak", waktu])
        log.append([waktu, tahun, tw, "Tidak", n_opd, 0, 0, "0" * 64, "{}", "0.1.0"])
    return {"Riwayat": riwayat, "Log": log}


def write_master(path: Path | str, rows: dict[str, list[list]], tahun_aktif: int = TAHUN,
                 triwulan_aktif: int = 1) -> Path:
    """A contract workbook of ``rows`` (see the module docstring for why XlsxWriter).

    ``rows`` may also hold output sheets (``Riwayat``, ``Log`` of :func:`history_rows`): they
    are written after the contract sheets, as a workbook that hitung has run on before."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cells, names = _parameter_grid(tahun_aktif, triwulan_aktif, path.with_suffix(".param.xlsx"))
    wb = xlsxwriter.Workbook(str(path), WRITER_OPTIONS)
    ws = wb.add_worksheet("Parameter")
    for r, c, v in sorted(cells):
        ws.write(r, c, v)
    for nama, ref in names.items():
        wb.define_name(nama, "=" + ref)
    bold = wb.add_format({"bold": True})
    formats = {h: wb.add_format({"num_format": f}) for h, f in NUMBER_FORMATS.items()}
    for sheet, baris in rows.items():
        ws = wb.add_worksheet(sheet)
        header = baris[0]
        ws.write_row(0, 0, header, bold)
        fmt = [formats.get(h) for h in header]
        for i, rec in enumerate(baris[1:], start=1):
            for j, v in enumerate(rec):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(i, j, v)
                else:
                    ws.write_number(i, j, v, fmt[j])
    wb.close()
    return path


def write_templates(master: Path, keluaran: Path, values: dict[str, list[list]], tahun: int,
                    triwulan: int) -> list[Path]:
    """Templates for (tahun, triwulan) by the product, filled from ``values`` (rows of that period)."""
    paths = generate_from_master(master, keluaran, tahun, triwulan).paths
    realisasi = {r[2]: r for r in values["Realisasi"][1:] if (r[0], r[1]) == (tahun, triwulan)}
    indikator: dict[str, list] = {}
    for r in values["Indikator"][1:]:
        if (r[0], r[1]) == (tahun, triwulan):
            indikator.setdefault(r[2], []).append(r)
    for path in paths:
        fill_template(path, realisasi, indikator)
    return paths


def _columns(ws) -> dict[str, int]:
    return {ws.cell(HEADER_ROW, j).value: j for j in range(1, ws.max_column + 1) if ws.cell(HEADER_ROW, j).value}


def fill_template(path: Path, realisasi: dict[str, list], indikator: dict[str, list]) -> None:
    """Type an OPD's figures into its template, as the OPD would (then save it)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Realisasi"]
    kol = _columns(ws)
    kode = ws.cell(HEADER_ROW + 1, kol["Kode OPD"]).value
    rec = dict(zip(default_headers("Realisasi"), realisasi[kode]))
    for h in list(default_headers("Realisasi"))[3:]:
        ws.cell(HEADER_ROW + 1, kol[h], rec[h])
    ws = wb["Indikator"]
    kol = _columns(ws)
    rows = indikator.get(kode, [])
    r = HEADER_ROW + 1
    for rec in rows:
        rec = dict(zip(default_headers("Indikator"), rec))
        if ws.cell(r, kol["Indikator"]).value is None:  # no prefilled indicator: type the whole row
            for h in ("Program", "Indikator", "Satuan", "Arah", "Target"):
                ws.cell(r, kol[h], rec[h])
        ws.cell(r, kol["Realisasi"], rec["Realisasi"])
        r += 1
    wb.save(path)


# --- the job "by hand": native formulas ------------------------------------------------------------

FORMULA_DESIGNS = ("sumifs", "lookup")
"""How the "by hand" workbook finds each OPD's rows: ``sumifs`` — SUMIFS/COUNTIFS over the whole
table in every Rekap row (quadratic: every OPD scans every row); ``lookup`` — what an analyst
who knows Excel writes for a large table: per-row results and per-OPD running totals computed
once next to the data (Indikator rows are grouped by OPD, as the generator and any sorted
sheet have them), then one exact MATCH per OPD and INDEX into those precomputed rows."""


def write_formula_workbook(path: Path | str, rows: dict[str, list[list]], tahun: int, triwulan: int,
                           parameter: Parameter | None = None, design: str = "sumifs") -> Path:
    """The same data with capaian, index, rank, category and prize as native Excel formulas.

    Sheet ``Rekap`` holds one row per OPD: A kode, B nama, C serapan, D fisik, E cakin,
    F target P3DN, G p3dn, H indeks, I indeks rounded, J peringkat, K kategori, L hadiah
    (the ``lookup`` design adds M key, N Realisasi row, O Indikator row).
    ``Indikator!K`` holds every indicator's capaian. Formulas are written without usable
    cached values, so whatever a reader finds after LibreOffice saved the file was
    recalculated by LibreOffice. ``design`` is one of :data:`FORMULA_DESIGNS`.
    """
    p = parameter or Parameter()
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), WRITER_OPTIONS)
    ws = wb.add_worksheet("Parameter")
    ws.write_row(0, 0, ["Nama", "Nilai", *[f"Bobot {k}" for k in COMPONENTS]])
    ws.write_row(1, 2, [p.bobot[k] for k in COMPONENTS])           # C2:F2 weights serapan, fisik, cakin, p3dn
    ws.write_row(1, 0, ["BatasCapaian", p.batas_capaian])        # B2
    ws.write_row(2, 0, ["TahunAktif", tahun])                     # B3
    ws.write_row(3, 0, ["TriwulanAktif", triwulan])               # B4
    kategori = sorted(p.kategori, key=lambda k: k.batas_bawah)
    ws.write_row(5, 0, ["Batas Bawah", "Kategori"])
    for i, k in enumerate(kategori):                               # A7:B11 ascending lower bounds
        ws.write_row(6 + i, 0, [-1e9 if k.batas_bawah == float("-inf") else k.batas_bawah, k.nama])
    kat_end = 6 + len(kategori)
    ws.write_row(12, 0, ["Peringkat", "Hadiah"])
    for i, h in enumerate(p.hadiah):                               # A14:B.. prizes
        ws.write_row(13 + i, 0, [h.peringkat, h.jumlah])
    hadiah_end = 13 + len(p.hadiah)
    n_real, n_ind = len(rows["Realisasi"]), len(rows["Indikator"])
    lookup = design == "lookup"
    for sheet in ("OPD", "Realisasi", "Indikator"):
        ws = wb.add_worksheet(sheet)
        for i, rec in enumerate(rows[sheet]):
            for j, v in enumerate(rec):
                if v is not None:
                    ws.write(i, j, v)
            r = i + 1
            if sheet == "Indikator":
                if i == 0:
                    ws.write_row(0, 10, ["Capaian", "Kunci", "Jumlah Capaian OPD", "Jumlah Indikator OPD"])
                    continue
                ws.write_formula(i, 10, f'=IF(G{r}="Turun",MAX(0,MIN(Parameter!$B$2,(2*H{r}-I{r})/H{r}*100)),'
                                        f'MAX(0,MIN(Parameter!$B$2,I{r}/H{r}*100)))', None, "")
                if lookup:  # key, and running totals from the bottom of each OPD's block up to its first row
                    ws.write_formula(i, 11, f'=A{r}&"|"&B{r}&"|"&C{r}', None, "")
                    ws.write_formula(i, 12, f"=IF(L{r}=L{r + 1},M{r + 1}+K{r},K{r})", None, "")
                    ws.write_formula(i, 13, f"=IF(L{r}=L{r + 1},N{r + 1}+1,1)", None, "")
            elif sheet == "Realisasi" and lookup:
                if i == 0:
                    ws.write(0, 10, "Kunci")
                else:
                    ws.write_formula(i, 10, f'=A{r}&"|"&B{r}&"|"&C{r}', None, "")
    ws = wb.add_worksheet("Rekap")
    ws.write_row(0, 0, ["Kode OPD", "Nama OPD", "Serapan", "Fisik", "Cakin", "Target P3DN", "P3DN", "Indeks",
                        "Indeks Bulat", "Peringkat", "Kategori", "Hadiah"] + (["Kunci", "Baris Realisasi",
                                                                                 "Baris Indikator"] if lookup else []))
    n = len(rows["OPD"]) - 1
    periode = f"Realisasi!$A$2:$A${n_real},Parameter!$B$3,Realisasi!$B$2:$B${n_real},Parameter!$B$4"
    periode_ind = f"Indikator!$A$2:$A${n_ind},Parameter!$B$3,Indikator!$B$2:$B${n_ind},Parameter!$B$4"

    def real(col: str, r: int) -> str:
        if lookup:
            return f"INDEX(Realisasi!${col}$2:${col}${n_real},$N{r})"
        return f"SUMIFS(Realisasi!${col}$2:${col}${n_real},Realisasi!$C$2:$C${n_real},$A{r},{periode})"

    last = n + 1
    for i, (kode, nama, *_) in enumerate(rows["OPD"][1:], start=1):
        r = i + 1
        ws.write_string(i, 0, kode)
        ws.write_string(i, 1, nama)
        ws.write_formula(i, 2, f"=MIN(Parameter!$B$2,{real('F', r)}/{real('E', r)}*100)", None, "")
        ws.write_formula(i, 3, f"=MIN(Parameter!$B$2,{real('H', r)}/{real('G', r)}*100)", None, "")
        if lookup:
            ws.write_formula(i, 4, f"=INDEX(Indikator!$M$2:$M${n_ind},$O{r})/INDEX(Indikator!$N$2:$N${n_ind},$O{r})",
                             None, "")
        else:
            ws.write_formula(i, 4, f"=SUMIFS(Indikator!$K$2:$K${n_ind},Indikator!$C$2:$C${n_ind},$A{r},{periode_ind})"
                                   f"/COUNTIFS(Indikator!$C$2:$C${n_ind},$A{r},{periode_ind})", None, "")
        ws.write_formula(i, 5, f"={real('I', r)}", None, "")
        ws.write_formula(i, 6, f'=IF(F{r}>0,MIN(Parameter!$B$2,{real("J", r)}/F{r}*100),"")', None, "")
        ws.write_formula(i, 7, f"=IF(F{r}>0,(SUMPRODUCT(C{r}:E{r},Parameter!$C$2:$E$2)+G{r}*Parameter!$F$2)"
                               f"/SUM(Parameter!$C$2:$F$2),SUMPRODUCT(C{r}:E{r},Parameter!$C$2:$E$2)"
                               f"/SUM(Parameter!$C$2:$E$2))", None, "")
        ws.write_formula(i, 8, f"=ROUND(H{r},2)", None, "")
        ws.write_formula(i, 9, f"=RANK(I{r},$I$2:$I${last},0)", None, "")
        ws.write_formula(i, 10, f"=LOOKUP(I{r},Parameter!$A$7:$A${kat_end},Parameter!$B$7:$B${kat_end})", None, "")
        ws.write_formula(i, 11, f"=INT(SUMPRODUCT((Parameter!$A$14:$A${hadiah_end}>=J{r})*"
                                f"(Parameter!$A$14:$A${hadiah_end}<J{r}+COUNTIF($I$2:$I${last},I{r}))*"
                                f"Parameter!$B$14:$B${hadiah_end})/COUNTIF($I$2:$I${last},I{r}))", None, "")
        if lookup:
            ws.write_formula(i, 12, f'=Parameter!$B$3&"|"&Parameter!$B$4&"|"&A{r}', None, "")
            ws.write_formula(i, 13, f"=MATCH(M{r},Realisasi!$K$2:$K${n_real},0)", None, "")
            ws.write_formula(i, 14, f"=MATCH(M{r},Indikator!$L$2:$L${n_ind},0)", None, "")
    wb.close()
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Tulis buku kerja induk (dan templat terisi) untuk benchmark.")
    ap.add_argument("--opd", type=int, default=40)
    ap.add_argument("--indikator", type=int, default=20)
    ap.add_argument("--triwulan", type=int, default=4, help="triwulan berisi data (1..Q); Q = triwulan aktif")
    ap.add_argument("--keluaran", type=Path, required=True)
    ap.add_argument("--templat", action="store_true", help="juga templat terisi untuk triwulan Q+1")
    ap.add_argument("--rumus", action="store_true", help="juga buku kerja berumus ('cara manual')")
    a = ap.parse_args(argv)
    q = a.triwulan
    rows = contract_rows(a.opd, a.indikator, q + 1 if a.templat else q)
    data = {s: [r for r in rs if s == "OPD" or r is rs[0] or r[1] <= q] for s, rs in rows.items()}
    master = write_master(a.keluaran / f"induk_{a.opd}x{a.indikator}x{q}.xlsx", data, TAHUN,
                          q + 1 if a.templat else q)
    print(master)
    if a.rumus:
        for design in FORMULA_DESIGNS:
            print(write_formula_workbook(a.keluaran / f"rumus_{design}_{a.opd}x{a.indikator}x{q}.xlsx", data, TAHUN,
                                         q, design=design))
    if a.templat:
        paths = write_templates(master, a.keluaran / f"templat_{a.opd}x{a.indikator}", rows, TAHUN, q + 1)
        print(f"{len(paths)} templat terisi")
    return 0


if __name__ == "__main__":
    sys.exit(main())
