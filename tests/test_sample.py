"""The bundled sample workbook is what the sample module builds (cell by cell), so it never drifts."""

import openpyxl

from indeks_opd.files.sample import sample_path, sample_rows, write_contract_workbook


def cells(path):
    wb = openpyxl.load_workbook(path)
    hasil = {ws.title: [[(c.value, c.number_format) for c in row] for row in ws.iter_rows()] for ws in wb}
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    return hasil, names


def test_bundled_sample_equals_a_fresh_build(tmp_path):
    fresh = write_contract_workbook(tmp_path / "contoh.xlsx", sample_rows())
    assert cells(sample_path()) == cells(fresh)


def test_sample_rows_are_deterministic():
    assert sample_rows() == sample_rows()
