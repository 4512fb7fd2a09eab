"""Generated VBA wrappers for xlwings UDFs and the check that fails the build when they disagree."""

from __future__ import annotations

import re
import sys
import textwrap

import pytest

from indeks_opd.artefacts.udf_wrappers import (
    UDF_MODULE_NAME,
    UdfWrapperMismatch,
    check_udf_wrappers,
    ensure_udf_wrappers_match,
    generate_udf_source,
    parse_wrappers,
    udf_module,
)
from indeks_opd.artefacts.vba_project import procedures


def test_wrappers_follow_the_python_signatures():
    source = generate_udf_source("udf_sample")
    assert source.startswith(f'Attribute VB_Name = "{UDF_MODULE_NAME}"\r\nOption Explicit\r\n')
    assert "\n" not in source.replace("\r\n", "")
    declared = procedures(source)
    # Only the decorated functions, with the Python argument names; defaults become Optional,
    # *args a ParamArray, and xw.arg(vba=...) arguments leave the signature.
    assert declared == {"ALAMAT": "", "JUMLAHKAN": "awal, ParamArray sisa()", "SKALA": "nilai, Optional faktor",
                        "TAMBAH": "a, b"}
    assert ('TAMBAH = XLPy.CallUDF("udf_sample", "TAMBAH", Array(a, b), ThisWorkbook, Application.Caller)'
            in source)
    assert 'XLPy.CallUDF("udf_sample", "ALAMAT", Array(Application.Caller), ' in source
    skala = source[source.index("Function SKALA"):source.index("End Function", source.index("Function SKALA"))]
    assert "Application.Volatile" in skala and "CommandBars" not in skala
    jumlahkan = source[source.index("Function JUMLAHKAN"):]
    assert 'If Not Application.CommandBars("Standard").Controls(1).Enabled Then Exit Function' in jumlahkan
    assert "argsArray(1 + k - LBound(sisa)) = sisa(k)" in jumlahkan
    assert check_udf_wrappers(source, "udf_sample") == []
    assert udf_module("udf_sample").source == source


@pytest.mark.parametrize("edit, problem", [
    (lambda s: s.replace("Function TAMBAH(a, b)", "Function TAMBAH(b, a)"), "TAMBAH: parameters differ"),
    (lambda s: s.replace("Optional faktor", "faktor"), "SKALA: parameters differ"),
    (lambda s: s.replace("Array(a, b)", "Array(a)"), "TAMBAH: arguments passed differ"),
    (lambda s: s.replace('"udf_sample", "SKALA"', '"udf_lama", "SKALA"'), "SKALA: Python module called differ"),
    (lambda s: s.replace("    Application.Volatile\r\n", ""), "SKALA: volatile differ"),
    (lambda s: re.sub(r"Function ALAMAT.*?End Function\r\n", "", s, flags=re.S), "ALAMAT: no VBA wrapper"),
    (lambda s: s + s[s.index("Function TAMBAH"):].replace("TAMBAH", "KURANG"),
     "KURANG: VBA wrapper without a Python UDF"),
])
def test_disagreement_fails_the_build(edit, problem):
    wrong = edit(generate_udf_source("udf_sample"))
    problems = check_udf_wrappers(wrong, "udf_sample")
    assert any(p.startswith(problem) for p in problems), problems
    with pytest.raises(UdfWrapperMismatch) as raised:
        ensure_udf_wrappers_match(wrong, "udf_sample")
    assert problem in str(raised.value)


def test_python_change_is_caught_against_old_wrappers(tmp_path, monkeypatch):
    """A wrapper shipped earlier no longer matches after the Python function gained an argument."""
    module = tmp_path / "udf_berubah.py"
    module.write_text("import xlwings as xw\n\n@xw.func\ndef NILAI(a):\n    return a\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    old = generate_udf_source("udf_berubah")
    module.write_text("import xlwings as xw\n\n@xw.func\ndef NILAI(a, b=2):\n    return a * b\n", encoding="utf-8")
    assert check_udf_wrappers(old, "udf_berubah") == [
        "NILAI: parameters differ (VBA 'Function NILAI(a)', Python 'Function NILAI(a, Optional b)')",
        "NILAI: arguments passed differ (VBA ('a',), Python ('a', 'b'))",
    ]
    assert "udf_berubah" not in sys.modules


def test_arguments_vba_cannot_take_are_refused(tmp_path, monkeypatch):
    (tmp_path / "udf_salah.py").write_text(textwrap.dedent("""
        import xlwings as xw

        @xw.func
        def SALAH(next, b):
            return b
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError, match="'next' cannot be a VBA parameter"):
        generate_udf_source("udf_salah")


def test_parse_reads_the_generated_text_back():
    wrappers = parse_wrappers(generate_udf_source("udf_sample"))
    assert wrappers["JUMLAHKAN"].call_args == ("awal", "sisa")
    assert wrappers["SKALA"].volatile and not wrappers["TAMBAH"].volatile


def test_product_udfs_get_matching_wrappers():
    import indeks_opd.udfs as udfs

    source = generate_udf_source("indeks_opd.udfs")
    declared = procedures(source)
    assert declared["INDEKS_OPD"] == "serapan, fisik, cakin, p3dn, Optional bobot, Optional lain"
    assert declared["PERINGKAT_OPD"] == "indeks, semua_indeks, Optional kelompok, Optional semua_kelompok"
    assert {"CAPAIAN", "KATEGORI_KINERJA", "ZONA_OPD", "PERINGKAT_OPD", "HADIAH_OPD"} <= set(declared)
    assert not any(name.startswith("_") for name in declared)
    assert check_udf_wrappers(source, "indeks_opd.udfs") == []
    # Generating re-imports the module with recording decorators; the real module stays in place.
    import indeks_opd

    assert sys.modules["indeks_opd.udfs"] is udfs and indeks_opd.udfs is udfs
