"""One schema, one rule: for every bounded field the master's validation, the template's validation and
the galat of the reader/core agree with the schema (docs/arsitektur.md, "Skema buku kerja").

The master is the committed xlsm (test_workbook_build checks it equals a fresh build); the
template is generated from the sample and saved; both are read back with openpyxl.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from helpers import data, indikator, opd, realisasi
from indeks_opd.artefacts.workbook import DATA_HEADER_ROW
from indeks_opd.contract.schema import BULAT, INPUT_TABLES, default_fields, fields, headers
from indeks_opd.core import compute_period
from indeks_opd.templat.generate import HEADER_ROW, IDENTITY
from templat_util import make_master, make_templates

ROOT = Path(__file__).resolve().parents[1]
BOUNDED = [(sheet, f.name) for sheet in ("Realisasi", "Indikator") for f in INPUT_TABLES[sheet]
           if f.minimum is not None or f.maximum is not None]


def test_every_data_sheet_has_bounded_fields():
    assert {f for _, f in BOUNDED} >= {"tahun", "triwulan", "pagu", "target_fisik", "target", "realisasi", "bobot"}


@pytest.fixture(scope="module")
def master():
    return openpyxl.load_workbook(ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("skema")
    return openpyxl.load_workbook(make_templates(make_master(folder), folder / "templat", kode=["2.15"])["2.15"])


def expected(sheet: str, name: str) -> tuple:
    """(type, operator, formula1, formula2) that the schema's bounds mean."""
    f = fields(sheet)[name]
    operator = "greaterThanOrEqual" if f.maximum is None else "between"
    return ("whole" if f.kind == BULAT else "decimal", operator, f"{f.minimum:g}",
            None if f.maximum is None else f"{f.maximum:g}")


def rule_at(ws, header_row: int, name: str, sheet: str):
    """The validation of the first data cell under the field's header, as (type, operator, formula1, formula2)."""
    col = headers(sheet).index(fields(sheet)[name].header) + 1
    assert ws.cell(header_row, col).value == fields(sheet)[name].header
    cell = ws.cell(header_row + 1, col).coordinate
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    if not found:
        return None
    (dv,) = found
    return dv.type, dv.operator or "between", dv.formula1, dv.formula2  # "between" is the file format's default


@pytest.mark.parametrize("sheet,name", BOUNDED)
def test_master_validation_is_the_schemas(master, sheet, name):
    assert rule_at(master[sheet], DATA_HEADER_ROW, name, sheet) == expected(sheet, name)


@pytest.mark.parametrize("sheet,name", BOUNDED)
def test_template_validation_is_the_schemas(template, sheet, name):
    ws = template[sheet]
    if name in IDENTITY:  # prefilled by Bappeda and locked: the OPD cannot type another value
        col = headers(sheet).index(fields(sheet)[name].header) + 1
        assert ws.cell(HEADER_ROW + 1, col).protection.locked and ws.protection.sheet
        return
    assert rule_at(ws, HEADER_ROW, name, sheet) == expected(sheet, name)


def _problems_at(sheet: str, name: str, value) -> list[str]:
    """Messages of the problems at the cell holding ``value`` in the one data row of ``sheet`` (Excel row 2)."""
    rows = {"Realisasi": [realisasi("A")], "Indikator": [indikator("A")]}
    names = [f.name for f in default_fields(sheet)]
    row = dict.fromkeys(names) | dict(zip(names, rows[sheet][0]))
    row[name] = value
    rows[sheet] = [tuple(row[n] for n in names)]
    d = data([opd("A")], rows["Realisasi"], rows["Indikator"])
    letter = chr(ord("A") + names.index(name))
    found = d.masalah + compute_period(d, 2023, 4).masalah
    return [m.pesan for m in found if m.lokasi == f"{sheet}!{letter}2" and m.blocking]


@pytest.mark.parametrize("sheet,name", BOUNDED)
def test_reader_and_core_refuse_a_value_just_outside_the_bounds(sheet, name):
    f = fields(sheet)[name]
    step = 1 if f.kind == BULAT else 0.01
    outside = [f.minimum - step] + ([f.maximum + step] if f.maximum is not None else [])
    for value in outside:
        assert _problems_at(sheet, name, value), (name, value)
    for value in [f.minimum] + ([f.maximum] if f.maximum is not None else []):
        bound = [p for p in _problems_at(sheet, name, value) if "negatif" in p or "melebihi" in p or "tidak sah" in p
                 or "tidak wajar" in p or "kurang dari" in p]
        assert bound == [], (name, value)


def test_the_on_demand_jadwal_table_is_read_by_its_schema_headers_and_never_missed_when_absent():
    """Jadwal (Ketepatan Waktu's deadlines) is a Parameter table of the schema that only some Pemda have."""
    import datetime as dt

    from helpers import parameter_rows
    from indeks_opd.contract import read_parameter
    from indeks_opd.contract.schema import PARAMETER_TABLES, on_demand_table
    from indeks_opd.contract.sheets import Sheet

    judul = [f.header for f in PARAMETER_TABLES["tblJadwal"]]
    assert judul == ["Tahun", "Triwulan", "Batas Pengumpulan"] and on_demand_table("tblJadwal")
    assert not any(on_demand_table(t) for t in ("tblBobot", "tblKategori", "tblHadiah"))
    grid = parameter_rows() + [[], [f" {h.upper()}" for h in judul], [2023, "TW IV", "13/01/2024"]]
    p, masalah = read_parameter(Sheet("Parameter", grid), {})
    assert p.deadline(2023, 4) == dt.date(2024, 1, 13) and masalah == []
    p, masalah = read_parameter(Sheet("Parameter", parameter_rows()), {})
    assert p.jadwal == () and masalah == []  # no "tabel Jadwal tidak ditemukan" for a Pemda without it
