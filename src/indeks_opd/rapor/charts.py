"""Charts of the reports as PNG images (matplotlib, object API only: no pyplot global state).

Text in charts uses matplotlib's bundled DejaVu Sans and Indonesian number formatting, so
an image looks the same on every machine.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from indeks_opd.core.parameter import Parameter
from indeks_opd.present import fmt, style
from indeks_opd.rapor.model import RaporOPD

DPI = 200
INK = "#1F2937"
NEUTRAL = "#" + style.HEADER
GRID = "#D1D5DB"


def _figure(lebar_cm: float, tinggi_cm: float) -> Figure:
    fig = Figure(figsize=(lebar_cm / 2.54, tinggi_cm / 2.54))
    FigureCanvasAgg(fig)
    fig.set_layout_engine("constrained")
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def _style(ax, xlabel: str | None = None) -> None:
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    ax.tick_params(colors=INK, labelsize=7)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=7, color=INK)


_ANGKA = FuncFormatter(lambda x, _pos: fmt.angka(x, 0))


def component_chart(rapor: RaporOPD, lebar_cm: float = 8.5, tinggi_cm: float = 5.5) -> bytes:
    """Horizontal bars of the four components' capaian, labelled with capaian and weight."""
    fig = _figure(lebar_cm, tinggi_cm)
    ax = fig.add_subplot()
    komponen = list(reversed(rapor.komponen))
    y = np.arange(len(komponen))
    nilai = [0.0 if not k.berlaku else k.capaian for k in komponen]
    warna = rapor.warna or NEUTRAL
    ax.barh(y, nilai, color=warna, edgecolor=INK, linewidth=0.5, height=0.6)
    for yi, k in zip(y, komponen):
        teks = f"{fmt.angka(k.capaian)} (bobot {fmt.angka(k.bobot, 1)})" if k.berlaku else "tidak berlaku"
        ax.text(2, yi, teks, va="center", ha="left", fontsize=7, color=INK)
    ax.set_yticks(y, [k.label.replace("Capaian Kinerja Program", "Cakin Program") for k in komponen])
    ax.set_xlim(0, max(100.0, max(nilai, default=0)))
    ax.xaxis.set_major_formatter(_ANGKA)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    _style(ax, "Capaian (%)")
    ax.set_title("Capaian komponen", fontsize=8, color=INK)
    return _png(fig)


def _category_bands(ax, parameter: Parameter, bawah: float, atas: float) -> None:
    batas = [k.batas_bawah for k in parameter.kategori]
    for i, k in enumerate(parameter.kategori):
        hi = atas if i == 0 else batas[i - 1]
        lo = bawah if math.isinf(k.batas_bawah) else max(bawah, k.batas_bawah)
        if hi > lo:
            ax.axhspan(lo, hi, color=k.warna, alpha=0.18, linewidth=0)


def history_chart(rapor: RaporOPD, parameter: Parameter, lebar_cm: float = 8.5, tinggi_cm: float = 5.5) -> bytes:
    """The OPD's index over the available quarters, on the category bands."""
    fig = _figure(lebar_cm, tinggi_cm)
    ax = fig.add_subplot()
    r = rapor.riwayat
    x = np.arange(len(r))
    nilai = r["indeks"].astype(float).to_numpy() if len(r) else np.array([])
    bawah = min(50.0, math.floor(np.nanmin(nilai) / 10) * 10) if len(r) else 50.0
    _category_bands(ax, parameter, bawah, 100.0)
    if len(r):
        ax.plot(x, nilai, color=NEUTRAL, marker="o", markersize=4, linewidth=1.5)
        for xi, v in zip(x, nilai):
            ax.annotate(fmt.angka(v), (xi, v), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=6.5,
                        color=INK)
        ax.set_xticks(x, [fmt.periode_pendek(t, w) for t, w in zip(r["tahun"], r["triwulan"])])
        ax.set_xlim(-0.5, len(r) - 0.5)
    else:
        ax.text(0.5, 0.5, "Belum ada riwayat", transform=ax.transAxes, ha="center", fontsize=8)
    ax.set_ylim(bawah, 104)
    ax.yaxis.set_major_formatter(_ANGKA)
    _style(ax)
    ax.set_title("Indeks per triwulan", fontsize=8, color=INK)
    return _png(fig)


RANKING_WIDTH_CM = 17.0


def ranking_height_cm(n: int, judul: bool = False) -> float:
    """Height of the ranking chart for ``n`` ranked OPDs (one bar row each), with room for a title."""
    return max(4.0, 1.2 + 0.5 * n) + (0.5 if judul else 0.0)


def ranking_chart(hasil: pd.DataFrame, parameter: Parameter, lebar_cm: float = RANKING_WIDTH_CM,
                  judul: str | None = None) -> bytes:
    """The index of each ranked OPD of ``hasil`` (the core's ranked rows) as a horizontal bar coloured by its
    category, rank 1 on top; ``judul`` above it (with peer groups: one chart per group, docs/rapor.md)."""
    n = len(hasil)
    fig = _figure(lebar_cm, ranking_height_cm(n, judul is not None))
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    nilai = hasil["indeks_bulat"].to_numpy(dtype=float)
    ax.barh(y, nilai, color=list(hasil["warna"]), edgecolor=INK, linewidth=0.4, height=0.7)
    label = [f"{int(p)}. {fmt.pendek(s or nm, 40)}" for p, s, nm in zip(hasil["peringkat"], hasil["singkatan"],
                                                                         hasil["nama"])]
    ax.set_yticks(y, label)
    for yi, v in zip(y, nilai):
        ax.text(v + 0.3, yi, fmt.angka(v), va="center", ha="left", fontsize=7, color=INK)
    lo = math.floor((np.nanmin(nilai) if n else 50) / 10) * 10 - 10
    ax.set_xlim(max(0, min(lo, 50)), 104)
    ax.xaxis.set_major_formatter(_ANGKA)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.legend(handles=[Patch(facecolor=k.warna, edgecolor=INK, linewidth=0.4, label=fmt.pendek(k.nama, 30))
                       for k in parameter.kategori],
              fontsize=6.5, loc="lower right", frameon=True, ncols=1)
    _style(ax, "Indeks")
    if judul is not None:
        ax.set_title(judul, fontsize=8, color=INK, loc="left")
    return _png(fig)
