"""One workbook, three ways: the UDFs in cells, Hitung Indeks through xlwings, the CLI file writer.

- the UDFs (through xlwings Server's call path), ``hitung_indeks`` (xlwings remote engine) and
  the core give the very same numbers for the sample workbook;
- the xlwings Server script runs the same code path as the button;
- the CLI (``indeks-opd hitung --keluaran``) and the xlwings path write identical output sheets:
  values, number formats, fills, bold, wrapped and centred cells, header heights and frozen rows,
  apart from the run's own timestamp.
"""

from __future__ import annotations

import math
from datetime import datetime

import openpyxl
import pytest

from conftest import run_cli
from indeks_opd.core import compute_period
from indeks_opd.excel import hitung_indeks
from indeks_opd.files.reader import read_workbook
from indeks_opd.files.sample import sample_rows
from officejs import Workbook, book_json, run_remote

NOW = datetime(2026, 11, 28, 9, 5)


def _column(rows):
    return [[v] for v in rows]


def test_udfs_hitung_indeks_and_core_agree_on_the_sample(sample_workbook, xlwings_server):
    core = compute_period(read_workbook(sample_workbook), 2022, 4).hasil
    wb, _, _ = run_remote(book_json(sample_workbook), lambda book: hitung_indeks(book, now=NOW))
    peringkat = wb.sheet("Peringkat").rows()[5:]

    source = openpyxl.load_workbook(sample_workbook, data_only=True)
    realisasi = [[c.value for c in r] for r in source["Realisasi"].iter_rows()]
    indikator = [[c.value for c in r] for r in source["Indikator"].iter_rows()]
    kode = _column(core["kode"])
    call = xlwings_server.call
    udf = {k: call("KOMPONEN_OPD", kode, 2022, 4, realisasi, k) for k in ("serapan", "fisik", "p3dn")}
    udf["cakin"] = call("CAKIN_OPD", kode, 2022, 4, indikator)
    udf["indeks"] = call("INDEKS_OPD", udf["serapan"], udf["fisik"], udf["cakin"], udf["p3dn"])
    udf["kategori"] = call("KATEGORI_KINERJA", udf["indeks"])
    udf["zona"] = call("ZONA_OPD", udf["indeks"])
    udf["peringkat"] = call("PERINGKAT_OPD", udf["indeks"], udf["indeks"])
    udf["hadiah"] = call("HADIAH_OPD", udf["indeks"], udf["indeks"])

    assert any(math.isnan(p) for p in core["p3dn"])  # the sample has OPDs without a P3DN target
    for i, r in enumerate(core.itertuples(index=False)):
        sheet = peringkat[i]
        for field, col in (("serapan", 4), ("fisik", 5), ("cakin", 6), ("p3dn", 7), ("indeks", 8),
                           ("kategori", 9), ("zona", 10), ("peringkat", 0), ("hadiah", 11)):
            expected = getattr(r, field)
            if isinstance(expected, float) and math.isnan(expected):
                assert udf[field][i] == [""] and sheet[col] is None, (r.kode, field)
            else:
                assert udf[field][i] == [expected] and sheet[col] == expected, (r.kode, field)


def test_server_script_is_the_button_code_path(sample_workbook, xlwings_server):
    payload = book_json(sample_workbook)
    actions = xlwings_server.script("hitung_indeks_server", payload)
    wb = Workbook(payload).apply(actions)
    direct, _, _ = run_remote(payload, hitung_indeks)
    assert wb.names() == direct.names()
    for name in ("Peringkat", "Riwayat", "Masalah"):
        a, b = wb.sheet(name), direct.sheet(name)
        if name == "Peringkat":  # the run time may differ by a minute
            a.values.pop((2, 1)), b.values.pop((2, 1))
        if name == "Riwayat":
            for rc in [rc for rc in a.values if rc[1] == 16 and rc[0] > 1]:
                a.values.pop(rc), b.values.pop(rc)
        assert (a.values, a.formats, a.fills, a.bold) == (b.values, b.formats, b.fills, b.bold), name
    assert wb.alerts == direct.alerts


def _workbook_with_everything(write_workbook):
    """Sample data plus a blocking problem, formula-like text, Rekap and earlier Riwayat/Log rows."""
    sheets = sample_rows()
    row = next(i for i, r in enumerate(sheets["Realisasi"]) if r[:3] == [2022, 4, "1.03"])
    sheets["Realisasi"][row][7] = "sembilan puluh"
    sheets["OPD"][2][1] = "=Dinas Kependudukan"
    sheets["OPD"][3][2] = "@Bappeda"
    path = write_workbook(sheets, nama="lengkap.xlsx")
    wb = openpyxl.load_workbook(path)
    rekap = wb.create_sheet("Rekap")
    rekap.append(["Rekap"])
    rekap.append(["Kode OPD", "Nama OPD", "Indeks"])
    for i, r in enumerate(sheets["OPD"][1:]):
        rekap.cell(3 + i, 1, r[0])
        rekap.cell(3 + i, 2, r[1]).data_type = "s"  # text, even "=Dinas ..."
    wb.save(path)
    return path


def _cli_sheets(path):
    wb = openpyxl.load_workbook(path)
    hasil = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
                cells[(c.row, c.column)] = (c.value, c.number_format if c.number_format != "General" else None,
                                            ("#" + fill[-6:]).upper() if isinstance(fill, str) else None,
                                            bool(c.font and c.font.b), bool(c.alignment.wrap_text),
                                            c.alignment.horizontal == "center")
        hasil[ws.title] = cells
    return hasil


def _xlwings_sheets(wb: Workbook):
    hasil = {}
    for st in wb.sheets:
        keys = set(st.values) | set(st.formats) | set(st.fills) | set(st.bold) | st.wrap | st.centred
        hasil[st.name] = {rc: (st.values.get(rc), st.formats.get(rc), st.fills.get(rc), rc in st.bold, rc in st.wrap,
                               rc in st.centred) for rc in keys}
    return hasil


def _visible(cells: dict, volatile: set) -> dict:
    """Cells that show something, without the run's timestamps."""
    return {rc: v for rc, v in cells.items() if v != (None, None, None, False, False, False) and rc not in volatile}


def _frozen_rows_and_heights(path) -> dict:
    """Per sheet: the rows frozen at the top and the row heights set, as the CLI saved them."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: (int(ws.freeze_panes[1:]) - 1 if ws.freeze_panes else 0,
                       {r: d.height for r, d in ws.row_dimensions.items() if d.height})
            for ws in wb.worksheets}


def test_cli_and_xlwings_write_identical_sheets(write_workbook, tmp_path):
    path = _workbook_with_everything(write_workbook)
    keluar = tmp_path / "hasil-cli.xlsx"
    r = run_cli("hitung", path, "--keluaran", keluar, "--diam")
    assert r.returncode == 3, r.stderr  # provisional: one galat
    cli = _cli_sheets(keluar)
    wb, _, result = run_remote(book_json(path), lambda book: hitung_indeks(book, now=NOW))
    xl = _xlwings_sheets(wb)

    assert list(cli) == wb.names()
    n_riwayat = len(result.hasil) + 1
    volatile = {
        "Peringkat": {(2, 1)},
        "Riwayat": {(r, 16) for r in range(2, n_riwayat + 1)},
        "Log": {(2, 1)},
    }
    for name in ("Peringkat", "Riwayat", "Masalah", "Log", "Rekap"):
        a = _visible(cli[name], volatile.get(name, set()))
        b = _visible(xl[name], volatile.get(name, set()))
        assert a == b, name
    frozen = _frozen_rows_and_heights(keluar)
    for name in ("Peringkat", "Riwayat", "Masalah", "Log"):
        st = wb.sheet(name)
        assert frozen[name] == (st.frozen_rows, st.heights), name
    assert frozen["Peringkat"] == (5, {5: 45.0})
    assert cli["Peringkat"][(2, 1)][0].startswith("Dihitung: ")
    assert cli["Peringkat"][(3, 1)][0].startswith("SEMENTARA — ada 1 galat data")
    assert xl["Peringkat"][(7, 3)][0] == "=Dinas Kependudukan"
    assert any(v[2] for rc, v in xl["Rekap"].items())


@pytest.mark.parametrize("name", ["Peringkat", "Log"])
def test_cli_output_read_back_by_xlwings_is_recomputed_the_same(write_workbook, tmp_path, name):
    """The xlwings path can continue a workbook the CLI wrote (and keeps its Log rows)."""
    path = _workbook_with_everything(write_workbook)
    keluar = tmp_path / "hasil-cli.xlsx"
    assert run_cli("hitung", path, "--keluaran", keluar, "--diam").returncode == 3
    wb, _, _ = run_remote(book_json(keluar), lambda book: hitung_indeks(book, now=NOW))
    rows = wb.sheet(name).rows()
    if name == "Log":
        assert len(rows) == 3 and rows[1][7] == rows[2][7]
    else:
        assert rows[1][0] == "Dihitung: 28 November 2026 09:05" and rows[2][0].startswith("SEMENTARA")
