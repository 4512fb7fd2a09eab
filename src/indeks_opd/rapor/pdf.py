"""PDF reports with reportlab: Rapor OPD (one or many OPDs per file) and Laporan Rakorpok.

Fonts are matplotlib's bundled DejaVu Sans TTF files, registered with reportlab and
embedded (subset) in every PDF, so a report renders the same on any machine; the PDF is
written in reportlab's invariant mode (no timestamps or random ids inside).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from indeks_opd.contract.links import link_target
from indeks_opd.contract.output_sheets import provisional_banner
from indeks_opd.core.masalah import GALAT
from indeks_opd.core.parameter import Parameter, component_label
from indeks_opd.core.stability import DEFAULT_DELTA
from indeks_opd.files import replace_atomically
from indeks_opd.present import fmt, style
from indeks_opd.present.messages import sementara_opd, sementara_tahunan
from indeks_opd.rapor import charts
from indeks_opd.rapor.model import Rakorpok, RaporOPD

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
PAGE = A4
MARGIN = 1.6 * cm
WIDTH = PAGE[0] - 2 * MARGIN
DARK = colors.HexColor("#" + style.HEADER)
LIGHT = colors.HexColor("#EEF2F7")
GRID = colors.HexColor("#9CA3AF")
RED = colors.HexColor("#C00000")


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) from matplotlib's mpl-data once."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("teks", fontName=FONT, fontSize=8.5, leading=11, textColor=colors.HexColor("#111827"))
    return {
        "teks": base,
        "kecil": ParagraphStyle("kecil", parent=base, fontSize=7, leading=8.6),
        "sel": ParagraphStyle("sel", parent=base, fontSize=7.5, leading=9),
        "sel7": ParagraphStyle("sel7", parent=base, fontSize=7, leading=8.5),
        "judul": ParagraphStyle("judul", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, textColor=DARK),
        "subjudul": ParagraphStyle("subjudul", parent=base, fontSize=10, leading=13, textColor=DARK),
        "opd": ParagraphStyle("opd", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16),
        "bagian": ParagraphStyle("bagian", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, textColor=DARK,
                                 spaceBefore=8, spaceAfter=3),
        "subbagian": ParagraphStyle("subbagian", parent=base, fontName=FONT_BOLD, spaceBefore=4, spaceAfter=2),
        "banner": ParagraphStyle("banner", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12,
                                 textColor=colors.white, alignment=TA_CENTER),
        "besar": ParagraphStyle("besar", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22, alignment=TA_CENTER),
        "tengah": ParagraphStyle("tengah", parent=base, alignment=TA_CENTER),
    }


def _p(teks, style) -> Paragraph:
    return Paragraph(escape("" if teks is None else str(teks)), style)


def _evidence(r: RaporOPD, st) -> list:
    """The indicators' evidence links under their table, by indicator number, each a link annotation that
    opens it (docs/kontrak.md, "Bukti Dukung"); the address is printed whole so a paper copy still says it."""
    links = [(i, x.bukti_dukung) for i, x in enumerate(r.indikator.itertuples(index=False), 1)
             if isinstance(x.bukti_dukung, str) and x.bukti_dukung]
    if not links:
        return []
    out = [_p("Bukti dukung", st["teks"])]
    for i, link in links:
        out.append(Paragraph(f'{i}. <a href="{escape(link_target(link), {chr(34): "&quot;"})}" color="#{style.LINK}">'
                             f"{escape(link)}</a>", st["sel"]))
    return out


def _ink_on(warna: str) -> colors.Color:
    """Black or white text on a category colour, by WCAG contrast (:func:`fmt.ink_on`)."""
    return colors.HexColor(fmt.ink_on(warna))


def _table(rows, widths, header_rows: int = 1, extra: list | None = None, font_size: float = 7.5,
           header_align=TA_LEFT) -> Table:
    """A table whose header row(s) wrap and repeat on every page."""
    kepala = ParagraphStyle("kepala", fontName=FONT_BOLD, fontSize=font_size, leading=font_size * 1.2,
                            textColor=colors.white, alignment=header_align)
    rows = [[_p(c, kepala) if isinstance(c, str) else c for c in row] for row in rows[:header_rows]] + rows[header_rows:]
    t = Table(rows, colWidths=widths, repeatRows=header_rows)
    gaya = [
        ("FONT", (0, 0), (-1, -1), FONT, font_size),
        ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, font_size),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), DARK),
        ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    t.setStyle(TableStyle(gaya + (extra or [])))
    return t


def _banner(teks: str, st) -> Table:
    t = Table([[_p(teks, st["banner"])]], colWidths=[WIDTH])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT), ("BACKGROUND", (0, 0), (-1, -1), RED),
                           ("TOPPADDING", (0, 0), (-1, -1), 5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return t


def _image(png: bytes, lebar: float, tinggi: float) -> Image:
    return Image(io.BytesIO(png), width=lebar, height=tinggi)


def _document(path: Path, judul: str, kepala: str, dihitung: datetime) -> tuple[SimpleDocTemplate, callable]:
    register_fonts()
    doc = SimpleDocTemplate(str(path), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=1.5 * cm,
                            bottomMargin=1.4 * cm, title=judul, author="Bappeda — Indeks Kinerja OPD",
                            subject=kepala, creator="indeks-opd", invariant=1, lang="id-ID",
                            initialFontName=FONT, initialFontSize=8.5)

    def halaman(canvas, doc_):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#6B7280"))
        canvas.drawString(MARGIN, PAGE[1] - 1.0 * cm, kepala)
        canvas.drawRightString(PAGE[0] - MARGIN, 0.8 * cm, f"Halaman {doc_.page}")
        canvas.drawString(MARGIN, 0.8 * cm, f"Dihitung {fmt.tanggal_waktu(dihitung)} · indeks-opd")
        canvas.restoreState()

    return doc, halaman


# --- Rapor OPD ------------------------------------------------------------------------------

def _change_text(r: RaporOPD) -> str:
    t, w = r.periode_sebelumnya
    label = fmt.periode_pendek(t, w)
    if not r.dinilai:
        return f"Perubahan dibanding {label}: tidak dapat dihitung (OPD tidak dinilai periode ini)."
    if r.peringkat_sebelumnya is None:
        return f"Perubahan dibanding {label}: belum ada data {label} di riwayat."
    naik = r.perubahan_peringkat
    arah = "tetap" if naik == 0 else (f"naik {naik} ▲" if naik > 0 else f"turun {-naik} ▼")
    return (f"Perubahan dibanding {label}: indeks {fmt.angka(r.indeks_sebelumnya)} → {fmt.angka(r.indeks_bulat)} "
            f"({fmt.selisih(r.perubahan_indeks)}); peringkat {r.peringkat_sebelumnya} → {r.peringkat} ({arah}).")


def _prize_text(r: RaporOPD) -> str:
    if r.hadiah:
        return fmt.rupiah(r.hadiah)
    if r.prizes_withheld and r.peringkat is not None and r.peringkat <= 3:
        return "ditahan (sementara)"
    return "–"


def rapor_images(r: RaporOPD, parameter: Parameter) -> tuple[bytes | None, bytes]:
    """The component chart (None when the OPD is not ranked) and the history chart, as PNG."""
    return (charts.component_chart(r) if r.dinilai else None), charts.history_chart(r, parameter)


def rapor_story(r: RaporOPD, parameter: Parameter, st: dict, images: tuple | None = None) -> list:
    """The flowables of one OPD's report card (one or two pages)."""
    komponen_png, riwayat_png = images or rapor_images(r, parameter)
    lebar = WIDTH / 2 - 3
    out: list = [
        _p("RAPOR KINERJA OPD", st["judul"]),
        _p(fmt.periode(r.tahun, r.triwulan), st["subjudul"]),
        Spacer(1, 4),
        _p(fmt.pendek(r.nama, 240), st["opd"]),
        _p(f"Kode OPD {r.kode}" + (f" · {fmt.pendek(r.singkatan, 60)}" if r.singkatan else ""), st["teks"]),
        Spacer(1, 6),
    ]
    if r.sementara:
        out += [_banner(sementara_opd(r.prizes_withheld), st),
                Spacer(1, 6)]
    if r.dinilai:
        kepala = ["Indeks", "Peringkat", "Kategori", "Zona", "Hadiah"]
        nilai = [fmt.angka(r.indeks_bulat), f"{r.peringkat} dari {r.jumlah_kelompok or r.jumlah_dinilai}",
                 fmt.pendek(r.kategori, 20), fmt.pendek(r.zona, 12), _prize_text(r)]
        ink = _ink_on(r.warna)
        t = _table([kepala, nilai], [WIDTH * f for f in (0.2, 0.2, 0.22, 0.14, 0.24)], header_align=TA_CENTER, extra=[
            ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor(r.warna)), ("TEXTCOLOR", (0, 1), (-1, 1), ink),
            ("FONT", (0, 1), (-1, 1), FONT_BOLD, 12), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("TOPPADDING", (0, 1), (-1, 1), 6), ("BOTTOMPADDING", (0, 1), (-1, 1), 6)])
        out += [t, Spacer(1, 4)]
        if r.kelompok is not None:
            out.append(_p(f"Peringkat {r.peringkat} dari {r.jumlah_kelompok} OPD kelompok {r.kelompok}; peringkat umum "
                          f"{r.peringkat_umum} dari {r.jumlah_dinilai} OPD.", st["teks"]))
        if r.terendah:
            out.append(_p(f"Termasuk {parameter.jumlah_terendah} OPD dengan indeks terendah periode ini"
                          + (f" di kelompok {r.kelompok}." if r.kelompok is not None else "."), st["teks"]))
    else:
        out.append(_banner("TIDAK DINILAI — ada galat data OPD ini pada periode ini; lihat daftar masalah di bawah.",
                           st))
    out.append(_p(_change_text(r), st["teks"]))
    if r.tahunan:
        a = r.tahunan
        out.append(_p(
            f"Rekap tahunan {r.tahun} (aturan {a['aturan']}{', sementara' if a['sementara'] else ''}): indeks "
            f"{fmt.angka(a['indeks_bulat'])}, peringkat {a['peringkat']} dari {a['jumlah']}"
            + (f" OPD kelompok {a['kelompok']}" if a["kelompok"] else "") + f", {a['kategori']}"
            + (f", jumlah hadiah triwulan {fmt.rupiah(a['hadiah_triwulan'])}" if a["hadiah_triwulan"] else "") + ".",
            st["teks"]))

    if r.dinilai:
        out.append(_p("Komponen indeks", st["bagian"]))
        rows = [["Komponen", "Capaian (%)", "Bobot (%)", "Kontribusi"]]
        for k in r.komponen:
            rows.append([k.label, fmt.angka(k.capaian) if k.berlaku else "tidak berlaku", fmt.angka(k.bobot),
                         fmt.angka(k.kontribusi)])
        rows.append(["Indeks", "", fmt.angka(sum(k.bobot for k in r.komponen)), fmt.angka(r.indeks_bulat)])
        out.append(_table(rows, [WIDTH * f for f in (0.46, 0.18, 0.18, 0.18)], extra=[
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), FONT_BOLD, 7.5),
            ("BACKGROUND", (0, -1), (-1, -1), LIGHT)]))
        if not r.komponen[3].berlaku:
            out.append(_p("P3DN tidak berlaku (tanpa target belanja produk dalam negeri); bobotnya dibagi "
                          f"proporsional ke {'tiga ' if len(r.komponen) == 4 else ''}komponen lain.", st["kecil"]))
        out.append(Spacer(1, 6))
        grafik = Table([[_image(komponen_png, lebar, lebar * 5.5 / 8.5), _image(riwayat_png, lebar, lebar * 5.5 / 8.5)]],
                       colWidths=[WIDTH / 2, WIDTH / 2])
        grafik.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        out.append(grafik)
    else:
        out += [Spacer(1, 6), _image(riwayat_png, lebar, lebar * 5.5 / 8.5)]

    out.append(_p("Indikator kinerja program", st["bagian"]))
    if r.indikator.empty:
        out.append(_p("Tidak ada indikator program untuk periode ini.", st["teks"]))
    else:
        rows = [["No", "Program", "Indikator", "Satuan", "Arah", "Target", "Realisasi", "Capaian (%)"]]
        for i, x in enumerate(r.indikator.itertuples(index=False), 1):
            rows.append([str(i), _p(fmt.pendek(x.program, 250), st["sel"]),
                         _p(fmt.pendek(x.indikator, 250), st["sel"]),
                         _p(fmt.pendek(x.satuan, 30), st["sel"]), fmt.pendek(x.arah, 6), fmt.angka_bebas(x.target),
                         fmt.angka_bebas(x.realisasi), fmt.angka(x.capaian)])
        out.append(_table(rows, [WIDTH * f for f in (0.04, 0.26, 0.26, 0.1, 0.07, 0.09, 0.09, 0.09)],
                          extra=[("ALIGN", (5, 0), (-1, -1), "RIGHT")]))
        out += _evidence(r, st)

    out.append(_p("Masalah data", st["bagian"]))
    if not r.masalah:
        out.append(_p("Tidak ada masalah tercatat untuk OPD ini pada periode ini.", st["teks"]))
    else:
        rows = [["Tingkat", "Lokasi", "Pesan"]] + [
            [m.tingkat.capitalize(), fmt.pendek(m.lokasi, 28), _p(fmt.pendek(m.pesan, 900), st["sel"])]
            for m in r.masalah]
        merah = [("TEXTCOLOR", (0, i), (0, i), RED) for i, m in enumerate(r.masalah, 1) if m.tingkat == GALAT]
        out.append(_table(rows, [WIDTH * f for f in (0.12, 0.16, 0.72)], extra=merah))
    return out


def write_rapor_pdf(path: Path | str, rapors: list[RaporOPD], parameter: Parameter, dihitung: datetime,
                    images: dict | None = None) -> Path:
    """One PDF with the report cards of ``rapors``, each starting on a new page.

    ``images`` maps kode to :func:`rapor_images` already drawn (to draw each chart once
    when writing both the per-OPD files and the combined one).
    """
    path = Path(path)
    st = _styles()
    pertama = rapors[0]
    judul = (f"Rapor Kinerja OPD {fmt.pendek(pertama.nama)}" if len(rapors) == 1 else "Rapor Kinerja OPD") + \
        f" — {fmt.periode(pertama.tahun, pertama.triwulan)}"
    with replace_atomically(path, keep_backups=0) as tmp:  # a killed or failed run leaves the old file whole
        doc, halaman = _document(tmp, judul, f"Rapor Kinerja OPD · {fmt.periode(pertama.tahun, pertama.triwulan)}",
                                 dihitung)
        story: list = []
        for i, r in enumerate(rapors):
            if i:
                story.append(PageBreak())
            story += rapor_story(r, parameter, st, (images or {}).get(r.kode))
        doc.build(story, onFirstPage=halaman, onLaterPages=halaman)
    return path


# --- Laporan Rakorpok -----------------------------------------------------------------------

def _groups(hasil: pd.DataFrame) -> list[tuple[str | None, pd.DataFrame]]:
    """The ranked rows in their peer groups, each with its title (docs/metode.md: ranks are per group);
    one untitled block without groups."""
    groups = list(dict.fromkeys(hasil["kelompok"].dropna()))
    if not groups:
        return [(None, hasil)]
    return [(f"Kelompok {fmt.pendek(g, 40)}", hasil[hasil["kelompok"] == g]) for g in groups]


def _ranking_rows(k: Rakorpok, hasil: pd.DataFrame, st) -> tuple[list, list]:
    sebelum = fmt.periode_pendek(*k.periode_sebelumnya)
    rows = [["Peringkat", "Kode", "Nama OPD", "Indeks", "Kategori", "Hadiah", sebelum, "Naik/ turun"]]
    extra = []
    gerak = k.pergerakan.set_index("kode")
    for r in hasil.itertuples(index=False):
        i = len(rows)
        g = gerak.loc[r.kode]
        rows.append([str(r.peringkat), r.kode, _p(fmt.pendek(r.nama), st["sel7"]), fmt.angka(r.indeks_bulat),
                     fmt.pendek(r.kategori, 20), fmt.rupiah(r.hadiah) if r.hadiah else "–",
                     "–" if pd.isna(g.peringkat_sebelumnya) else str(int(g.peringkat_sebelumnya)), _movement(g.naik)])
        extra += [("BACKGROUND", (0, i), (-1, i), colors.HexColor(r.warna)),
                  ("TEXTCOLOR", (0, i), (-1, i), _ink_on(r.warna))]
    return rows, extra


def _method_text(res) -> str:
    """The scheme in one line: the weighted components and, with peer groups, that ranks are per group."""
    komponen = ", ".join(f"{component_label(k)} {fmt.angka_bebas(w)}" for k, w in res.parameter.weights().items() if w > 0)
    groups = list(dict.fromkeys(res.hasil["kelompok"].dropna()))
    return (f"Metode: indeks = rata-rata berbobot komponen ({komponen}); P3DN yang tidak berlaku dibagi ke komponen lain."
            + (f" Peringkat, hadiah dan OPD terendah per kelompok ({', '.join(groups)}); peringkat umum di antara semua "
               "OPD." if groups else ""))


def _with_group(r) -> str:
    """An OPD's name, with its peer group when there are groups (ranks are then per group)."""
    nama = fmt.pendek(r.nama)
    return nama if r.kelompok is None or pd.isna(r.kelompok) else f"{nama} (kelompok {fmt.pendek(r.kelompok, 40)})"


def _movement(naik) -> str:
    if pd.isna(naik):
        return "baru"
    naik = int(naik)
    return "=" if naik == 0 else (f"▲ {naik}" if naik > 0 else f"▼ {-naik}")


def rakorpok_story(k: Rakorpok, st: dict, dihitung: datetime) -> list:
    res, p = k.result, k.result.parameter
    out: list = [
        _p("LAPORAN RAKORPOK — INDEKS KINERJA OPD", st["judul"]),
        _p(fmt.periode(res.tahun, res.triwulan) + f" · {len(res.hasil)} OPD dinilai", st["subjudul"]),
        _p(f"Dihitung: {fmt.tanggal_waktu(dihitung)}", st["kecil"]),
        Spacer(1, 6),
    ]
    banner = provisional_banner(res)
    if banner:
        out += [_banner(banner, st), Spacer(1, 6)]
    out.append(_p(_method_text(res), st["kecil"]))

    out.append(_p("Tiga besar", st["bagian"]))
    rows = [["Peringkat", "OPD", "Indeks", "Hadiah", "Sumber hadiah"]]
    for r in k.tiga_besar.itertuples(index=False):
        rows.append([str(r.peringkat), _p(_with_group(r), st["sel"]), fmt.angka(r.indeks_bulat),
                     fmt.rupiah(r.hadiah) if r.hadiah else ("ditahan" if res.prizes_withheld else "–"), r.sumber])
    out.append(_table(rows, [WIDTH * f for f in (0.1, 0.5, 0.1, 0.15, 0.15)], extra=[
        ("BACKGROUND", (0, i), (-1, i), colors.HexColor(w)) for i, w in enumerate(k.tiga_besar["warna"], 1)] + [
        ("TEXTCOLOR", (0, i), (-1, i), _ink_on(w)) for i, w in enumerate(k.tiga_besar["warna"], 1)]))
    if res.prizes_withheld:
        out.append(_p("Hadiah ditahan karena hasil masih SEMENTARA (ada galat data).", st["kecil"]))

    out.append(_p(f"{fmt.bilangan(p.jumlah_terendah)} terendah", st["bagian"]))
    rows = [["Peringkat", "OPD", "Indeks", "Kategori", "Zona"]] + [
        [str(r.peringkat), _p(_with_group(r), st["sel"]), fmt.angka(r.indeks_bulat), fmt.pendek(r.kategori, 20),
         fmt.pendek(r.zona, 12)]
        for r in k.terendah.itertuples(index=False)]
    out.append(_table(rows, [WIDTH * f for f in (0.1, 0.5, 0.12, 0.16, 0.12)]))

    out.append(_p("Jumlah OPD per zona dan kategori", st["bagian"]))
    zona = "; ".join(f"zona {z}: {n} OPD" for z, n in k.per_zona)
    out.append(_p(zona[:1].upper() + zona[1:] + ".", st["teks"]))
    rows = [["Kategori", "Zona", "Jumlah OPD"]] + [[fmt.pendek(nm, 40), fmt.pendek(z, 20), str(n)]
                                                  for nm, _, z, n in k.per_kategori]
    out.append(_table(rows, [WIDTH * f for f in (0.3, 0.2, 0.2)], extra=[
        ("BACKGROUND", (0, i), (0, i), colors.HexColor(w)) for i, (_, w, _, _) in enumerate(k.per_kategori, 1)] + [
        ("TEXTCOLOR", (0, i), (0, i), _ink_on(w)) for i, (_, w, _, _) in enumerate(k.per_kategori, 1)]))

    groups = _groups(res.hasil)
    for i, (judul, hasil) in enumerate(groups):  # with peer groups: one chart per group
        tinggi = WIDTH * charts.ranking_height_cm(len(hasil), judul is not None) / charts.RANKING_WIDTH_CM
        out += [CondPageBreak(tinggi + (30 if i == 0 else 6))] + ([_p("Peringkat indeks", st["bagian"])] if i == 0
                                                                   else [Spacer(1, 6)])
        out.append(_image(charts.ranking_chart(hasil, p, judul=judul), WIDTH, tinggi))

    out.append(_p("Tabel peringkat dan pergerakan", st["bagian"]))
    out.append(_p(f"Kolom {fmt.periode_pendek(*k.periode_sebelumnya)} memuat peringkat triwulan sebelumnya "
                  f"(sumber: {k.sumber_riwayat or 'riwayat'}).", st["kecil"]))
    for judul, hasil in groups:  # and one table per group
        if judul is not None:
            out.append(_p(judul, st["subbagian"]))
        rows, extra = _ranking_rows(k, hasil, st)
        out.append(_table(rows, [WIDTH * f for f in (0.09, 0.055, 0.44, 0.07, 0.11, 0.107, 0.068, 0.06)],
                          extra=extra + [("ALIGN", (3, 1), (3, -1), "RIGHT")], font_size=7))
    if not res.unranked.empty:
        out.append(_p("Tidak dinilai (ada galat data): " + ", ".join(
            f"{fmt.pendek(r.nama)} ({r.kode})" for r in res.unranked.itertuples(index=False)) + ".", st["teks"]))
    out.append(_movement_summary(k, st))

    if k.stabilitas is not None and not k.stabilitas.empty:
        out.append(CondPageBreak(6 * cm))
        out.append(_p("Kestabilan peringkat terhadap bobot", st["bagian"]))
        out.append(_p(
            f"Bobot tiap komponen digeser acak dalam ±{fmt.angka(DEFAULT_DELTA, 0)} poin lalu dinormalkan kembali ke "
            "100, sebanyak "
            f"{fmt.angka(k.undian, 0)} undian (benih {k.benih}); indeks dan peringkat dihitung ulang dengan aturan "
            "yang sama. Artinya bagi tiap OPD (angkanya di lampiran):", st["teks"]))
        rows = [["OPD", "Artinya"]] + [
            [_p(fmt.pendek(r.nama), st["sel"]), _p(fmt.kestabilan(r.peringkat, r.peringkat_p5, r.peringkat_p95,
                                                      r.porsi_tiga_besar), st["sel"])]
            for r in k.stabilitas.itertuples(index=False)]
        out.append(_table(rows, [WIDTH * f for f in (0.42, 0.58)]))

    if k.tahunan is not None and not k.tahunan.hasil.empty:
        out += _annual_story(k, st)
    if k.stabilitas is not None and not k.stabilitas.empty:
        out += _stability_appendix(k, st)
    return out


def _stability_appendix(k: Rakorpok, st) -> list:
    """The stability figures behind the sentences: median rank, 5–95% range, share of draws in the top three."""
    rows = [["Peringkat", "OPD", "Peringkat median", "Rentang 5–95%", "Undian di 3 besar"]]
    kelompok = k.result.hasil.set_index("kode")["kelompok"]  # ranks are per peer group when there are groups
    for r in k.stabilitas.assign(kelompok=k.stabilitas["kode"].map(kelompok)).itertuples(index=False):
        rentang = str(r.peringkat_p5) if r.peringkat_p5 == r.peringkat_p95 else f"{r.peringkat_p5}–{r.peringkat_p95}"
        rows.append([str(r.peringkat), _p(_with_group(r), st["sel"]), fmt.angka(r.peringkat_median, 1), rentang,
                     fmt.persen(r.porsi_tiga_besar)])
    return [CondPageBreak(6 * cm), _p("Lampiran: angka kestabilan peringkat", st["bagian"]), _p(
        "Peringkat median dan rentang 5–95% dari semua undian bobot; rentang yang sempit berarti peringkat tidak "
        "bergantung pada pilihan bobot. Kolom terakhir: bagian undian yang menempatkan OPD di 3 besar.", st["teks"]),
        _table(rows, [WIDTH * f for f in (0.1, 0.48, 0.12, 0.15, 0.15)], extra=[("ALIGN", (2, 1), (-1, -1), "RIGHT")])]


def _movement_summary(k: Rakorpok, st) -> Paragraph:
    g = k.pergerakan.dropna(subset=["naik"])
    label = fmt.periode_pendek(*k.periode_sebelumnya)
    if g.empty:
        return _p(f"Pergerakan: belum ada peringkat {label} untuk dibandingkan.", st["teks"])
    naik = g[g["naik"] > 0].sort_values(["naik", "nama"], ascending=[False, True])
    turun = g[g["naik"] < 0].sort_values(["naik", "nama"])
    tetap = int((g["naik"] == 0).sum())
    bagian = [f"Pergerakan sejak {label}: {len(naik)} OPD naik, {len(turun)} turun, {tetap} tetap"]
    if not naik.empty:
        bagian.append("naik terbanyak " + ", ".join(f"{fmt.pendek(r.nama)} (▲ {int(r.naik)})"
                                                    for r in naik.head(3).itertuples()))
    if not turun.empty:
        bagian.append("turun terbanyak " + ", ".join(f"{fmt.pendek(r.nama)} (▼ {int(-r.naik)})"
                                                     for r in turun.head(3).itertuples()))
    return _p("; ".join(bagian) + ".", st["teks"])


def _annual_story(k: Rakorpok, st) -> list:
    a = k.tahunan
    out = [CondPageBreak(6 * cm), _p(f"Rekap tahunan {a.tahun}", st["bagian"]), _p(
        f"Aturan tahunan: {a.aturan} ("
        + fmt.aturan_tahunan(a.aturan)
        + "); peringkat, kategori dan hadiah dengan aturan yang sama seperti triwulan."
        + (" " + sementara_tahunan(a.prizes_withheld) if a.sementara else ""),
        st["teks"])]
    rows = [["Peringkat", "OPD", "TW I", "TW II", "TW III", "TW IV", "Tahunan", "Kategori", "Jumlah hadiah triwulan"]]
    extra = []
    for i, r in enumerate(a.hasil.itertuples(index=False), 1):
        hadiah = k.hadiah_triwulan.get(r.kode, 0)
        rows.append([str(r.peringkat), _p(_with_group(r), st["sel7"]),
                     *(fmt.angka(getattr(r, f"indeks_tw{q}")) for q in range(1, 5)),
                     fmt.angka(r.indeks_bulat), fmt.pendek(r.kategori, 20), fmt.rupiah(hadiah) if hadiah else "–"])
        extra += [("BACKGROUND", (6, i), (7, i), colors.HexColor(r.warna)), ("TEXTCOLOR", (6, i), (7, i), _ink_on(r.warna))]
    kota = a.kota
    rows.append(["", "Rata-rata semua OPD", *(fmt.angka(kota.get(f"tw{q}")) for q in range(1, 5)), fmt.angka(kota.get("tahun")),
                 "", ""])
    extra += [("FONT", (0, -1), (-1, -1), FONT_BOLD, 7), ("BACKGROUND", (0, -1), (-1, -1), LIGHT),
              ("ALIGN", (2, 1), (6, -1), "RIGHT")]
    out.append(_table(rows, [WIDTH * f for f in (0.09, 0.32, 0.07, 0.07, 0.07, 0.07, 0.08, 0.12, 0.11)], extra=extra,
                      font_size=7))
    out.append(_p("Jumlah hadiah triwulan: hadiah yang diterima OPD pada triwulan-triwulan tahun ini, dijumlahkan "
                  "(bukan hadiah tambahan).", st["kecil"]))
    if not a.unranked.empty:
        out.append(_p("Tidak masuk rekap tahunan (triwulan yang diperlukan tidak ada): " + ", ".join(
            f"{fmt.pendek(r.nama)} ({r.kode})" for r in a.unranked.itertuples(index=False)) + ".", st["teks"]))
    return out


def write_rakorpok_pdf(path: Path | str, k: Rakorpok, dihitung: datetime) -> Path:
    path = Path(path)
    periode = fmt.periode(k.result.tahun, k.result.triwulan)
    with replace_atomically(path, keep_backups=0) as tmp:  # a killed or failed run leaves the old file whole
        doc, halaman = _document(tmp, f"Laporan Rakorpok Indeks Kinerja OPD — {periode}",
                                 f"Laporan Rakorpok · Indeks Kinerja OPD · {periode}", dihitung)
        doc.build(rakorpok_story(k, _styles(), dihitung), onFirstPage=halaman, onLaterPages=halaman)
    return path
