"""What Excel checks in a file ``hitung`` edited, checked on the files a user would open: the hidden
filter names follow their autoFilters, the shared-string counts stay true, no cell holds more text
than Excel allows, and an output table that cannot be refitted is refused, not left stale."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table

from conftest import run_cli
from indeks_opd.contract.output_sheets import LOG_HEADERS, MAX_CELL_TEXT
from indeks_opd.core.parameter import Hadiah, Parameter
from indeks_opd.files.sample import sample_rows, write_contract_workbook
from templat_util import parts

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_XLSM = ROOT / "xlsm" / "IndeksKinerjaOPD.xlsm"
LAST = get_column_letter(len(LOG_HEADERS))
"""The Log table's last column."""
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_parts(parts: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """(sheet name, worksheet XML) in workbook order."""
    wb = etree.fromstring(parts["xl/workbook.xml"])
    rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(parts["xl/_rels/workbook.xml.rels"])}
    return [(s.get("name"), parts["xl/" + rels[s.get(R_ID)].lstrip("/").removeprefix("xl/")])
            for s in wb.find(f"{M}sheets")]


@pytest.fixture
def hitung_twice(tmp_path) -> Path:
    """The shipped workbook after two hitung runs (the second one rewrites what the first wrote)."""
    path = tmp_path / "IndeksKinerjaOPD.xlsm"
    shutil.copy(SHIPPED_XLSM, path)
    for _ in range(2):
        r = run_cli("hitung", path)
        assert r.returncode in (0, 3), r.stderr
    return path


def test_filter_database_names_follow_each_autofilter(hitung_twice):
    package = parts(hitung_twice)
    names = {d.get("localSheetId"): d.text for d in etree.fromstring(package["xl/workbook.xml"]).iter(f"{M}definedName")
             if d.get("name") == "_xlnm._FilterDatabase"}
    filtered = 0
    for index, (name, xml) in enumerate(_sheet_parts(package)):
        af = etree.fromstring(xml).find(f"{M}autoFilter")
        if af is None:
            assert str(index) not in names, name
            continue
        filtered += 1
        first, last = af.get("ref").split(":")
        absolute = "${}${}".format(*re.match(r"([A-Z]+)(\d+)", first).groups()) + ":" + \
                   "${}${}".format(*re.match(r"([A-Z]+)(\d+)", last).groups())
        assert names[str(index)] == f"{name}!{absolute}"
    assert filtered == 4  # Peringkat, Riwayat, Masalah, Log
    peringkat = openpyxl.load_workbook(hitung_twice, read_only=True)["Peringkat"]
    assert peringkat.max_row > 6  # the filter spans more than the header: the ranked rows


def test_shared_string_counts_stay_true(hitung_twice):
    package = parts(hitung_twice)
    references = sum(len(etree.fromstring(xml).xpath("//m:c[@t='s']", namespaces={"m": M[1:-1]}))
                     for _, xml in _sheet_parts(package))
    sst = etree.fromstring(package["xl/sharedStrings.xml"])
    assert int(sst.get("count")) == references
    assert int(sst.get("uniqueCount")) == len(sst.findall(f"{M}si"))
    with zipfile.ZipFile(SHIPPED_XLSM) as z:  # the runs did drop references (the output sheets' headers)
        assert int(etree.fromstring(z.read("xl/sharedStrings.xml")).get("count")) > references


def test_log_parameter_json_longer_than_an_excel_cell_is_cut_with_a_marker(tmp_path):
    panjang = "Sumbangan Bank Pembangunan Daerah Jawa Tengah untuk OPD berprestasi, cabang utama " * 2
    parameter = Parameter(hadiah=tuple(Hadiah(i, 1_000_000, panjang) for i in range(1, 301)))
    path = write_contract_workbook(tmp_path / "hadiah.xlsx", sample_rows(), parameter=parameter)
    r = run_cli("hitung", path)
    assert r.returncode in (0, 3), r.stderr
    log = openpyxl.load_workbook(path)["Log"]
    column = LOG_HEADERS.index("Parameter") + 1
    text = log.cell(2, column).value
    assert len(text) <= MAX_CELL_TEXT
    assert text.startswith('{"AturanTahunan"') and re.search(r" …\[dipotong \d+ karakter\]$", text)
    longest = max(len(c.value) for row in openpyxl.load_workbook(path).worksheets for r in row.iter_rows()
                  for c in r if isinstance(c.value, str))
    assert longest <= MAX_CELL_TEXT


def _with_log_table(tmp_path, ref: str) -> Path:
    path = write_contract_workbook(tmp_path / "tabel.xlsx", sample_rows())
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Log")
    width = openpyxl.utils.cell.range_boundaries(ref)[2]
    for j, header in enumerate(LOG_HEADERS[:width], start=1):
        ws.cell(1, j, header)
    ws.add_table(Table(displayName="tblLog", ref=ref))
    wb.save(path)
    return path


def test_an_output_table_that_cannot_be_refitted_is_refused_and_nothing_written(tmp_path):
    path = _with_log_table(tmp_path, "A1:C2")
    before = path.read_bytes()
    r = run_cli("hitung", path)
    assert r.returncode == 2
    assert ("Tabel Excel 'tblLog' (A1:C2) di sheet Log tidak dapat disesuaikan dengan hasil baru, yang mengisi "
            f"A1:{LAST}2 ({len(LOG_HEADERS)} kolom). Ubah tabel itu menjadi rentang biasa") in r.stderr
    assert "Traceback" not in r.stderr
    assert path.read_bytes() == before


def test_an_output_table_over_the_whole_header_follows_the_rows(tmp_path):
    path = _with_log_table(tmp_path, f"A1:{LAST}2")
    for _ in range(2):
        assert run_cli("hitung", path).returncode in (0, 3)
    table = openpyxl.load_workbook(path)["Log"].tables["tblLog"]
    assert table.ref == f"A1:{LAST}3"
    assert [c.name for c in table.tableColumns] == list(LOG_HEADERS)
