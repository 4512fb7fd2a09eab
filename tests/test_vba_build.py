"""vbaProject.bin, the .xlam package and the ribbon, read back with independent tools
(olefile, oletools/olevba, LibreOffice headless)."""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from indeks_opd.artefacts.ovba_compression import compress, decompress
from indeks_opd.artefacts.sources import addin_project, workbook_project
from indeks_opd.artefacts.vba_project import (
    ADDIN_WORKBOOK_TYPE,
    RIBBON_FILE,
    RIBBON_PART,
    RIBBON_RELATIONSHIP,
    VBA_DIR,
    WORKSHEET_BASE,
    Module,
    VbaProject,
    build_vba_project,
    document_module,
    encrypt_data,
    name_clashes,
    package_macro_names,
    package_workbook,
    procedures,
    ribbon_actions,
)
from indeks_opd.core.masalah import UnusableWorkbook
from vba_records import dir_records

RIBBON = RIBBON_FILE.read_text(encoding="utf-8")
SHEETS = {"Rekap": "Sheet1", "Peringkat": "Sheet2"}
BUTTON_MACROS = ("HitungIndeks", "BuatTemplat", "ImporTemplat", "Rapor", "StatusPeriode", "VerifikasiOPD", "PerluPerbaikan",
                 "KunciPeriode", "BukaPeriode")


def project() -> VbaProject:
    return workbook_project(VBA_DIR, list(SHEETS.values()), "udf_sample")


def test_addin_project_has_macros_but_no_udf_wrappers():
    addin = addin_project(VBA_DIR)
    assert [m.name for m in addin.modules] == ["ThisWorkbook", "Sheet1", "IndeksOPD", "RibbonIndeksOPD"]
    assert addin.name == "IndeksOPDAddIn"
    assert [m.name for m in project().modules][-1] == "xlwings_udfs"


def test_both_shipped_projects_have_no_name_clash():
    """The add-in was once a project "IndeksOPD" holding a module "IndeksOPD": VBA refuses that."""
    for built_project in (project(), addin_project(VBA_DIR)):
        assert name_clashes(built_project) == []
        build_vba_project(built_project)


@pytest.mark.parametrize("name, other, expected", [
    ("IndeksOPD", "Modul2", "proyek 'IndeksOPD' dan modul 'IndeksOPD'"),
    ("Proyek", "xlwings", "referensi 'xlwings' dan modul 'xlwings'"),
    ("Proyek", "HitungIndeks", "modul 'HitungIndeks' dan prosedur 'HitungIndeks' (modul IndeksOPD)"),
    ("Proyek", "Modul2\nSub Rapor()\nEnd Sub", "prosedur 'Rapor' (modul IndeksOPD) dan prosedur 'Rapor' (modul Modul2)"),
])
def test_build_refuses_clashing_vba_names_with_the_clash_named(name, other, expected):
    macros = next(m for m in addin_project(VBA_DIR).modules if m.name == "IndeksOPD")
    module_name, _, body = other.partition("\n")
    extra = Module(module_name, f'Attribute VB_Name = "{module_name}"\r\n{body}\r\n')
    with pytest.raises(UnusableWorkbook) as refused:
        build_vba_project(VbaProject(name, (macros, extra)))
    assert f"Nama VBA bentrok di proyek {name}: {expected}." in str(refused.value)


def test_a_private_procedure_or_a_document_module_procedure_is_no_clash():
    macros = next(m for m in addin_project(VBA_DIR).modules if m.name == "IndeksOPD")
    private = Module("Bantu", 'Attribute VB_Name = "Bantu"\r\nPrivate Sub Rapor()\r\nEnd Sub\r\n')
    sheet = Module("Sheet1", document_module("Sheet1", WORKSHEET_BASE).source + "Public Sub Rapor()\r\nEnd Sub\r\n",
                   kind="document")
    assert name_clashes(VbaProject("Proyek", (macros, private, sheet))) == []


def write_xlsm(path: Path, vba_bin: bytes) -> Path:
    """An .xlsm the way the workbook build writes it: XlsxWriter, our bin, a Hitung Indeks button."""
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_vba_name("ThisWorkbook")
    for name, codename in SHEETS.items():
        sheet = workbook.add_worksheet(name)
        sheet.set_vba_name(codename)
        sheet.write("A1", f"Sheet {name}")
        sheet.insert_button("B3", {"macro": "HitungIndeks", "caption": "Hitung Indeks", "width": 120})
    workbook.add_vba_project(io.BytesIO(vba_bin), is_stream=True)
    workbook.close()
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vba")
    vba_bin = build_vba_project(project())
    xlsm = write_xlsm(folder / "IndeksKinerjaOPD.xlsm", vba_bin)
    xlam = folder / "IndeksOPD.xlam"
    xlam.write_bytes(package_workbook(xlsm, addin=True, ribbon_xml=RIBBON))
    return {"bin": vba_bin, "xlsm": xlsm, "xlam": xlam, "folder": folder}


def olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code.replace("\r\n", "\n")
                for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_olevba_reads_every_module_back_equal_to_its_source(built):
    expected = {m.name: m.source.replace("\r\n", "\n") for m in project().modules}
    for package in (built["xlsm"], built["xlam"]):
        found = olevba_modules(package)
        assert found == expected
    bas = {p.stem: p.read_text(encoding="utf-8") for p in VBA_DIR.glob("*.bas")}
    assert set(bas) == {"IndeksOPD", "RibbonIndeksOPD"}
    for name, text in bas.items():
        assert found[name].rstrip("\n") == text.rstrip("\n")
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in found["Sheet2"]


def test_bin_is_a_compound_file_with_source_only_modules(built):
    assert olefile.isOleFile(io.BytesIO(built["bin"]))
    ole = olefile.OleFileIO(io.BytesIO(built["bin"]))
    streams = {"/".join(path) for path in ole.listdir()}
    names = [m.name for m in project().modules]
    assert streams == {"PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"} | {f"VBA/{n}" for n in names}
    # No performance cache: Excel must compile from source.
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")
    for module in project().modules:
        # The whole stream is the compressed source: text offset 0, no p-code in front of it.
        stream = ole.openstream(f"VBA/{module.name}").read()
        assert bytes(decompress_stream(bytearray(stream))) == module.source.encode("cp1252")
    text = ole.openstream("PROJECT").read().decode("cp1252")
    assert "Module=IndeksOPD\r\n" in text and "Document=Sheet2/&H00000000\r\n" in text
    assert 'Name="IndeksKinerjaOPD"' in text
    wm = ole.openstream("PROJECTwm").read()
    assert wm.endswith(b"xlwings_udfs\x00" + "xlwings_udfs".encode("utf-16-le") + b"\x00\x00\x00\x00")


def test_dir_stream_references_and_modules(built):
    ole = olefile.OleFileIO(io.BytesIO(built["bin"]))
    dir_stream = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    assert b"xlwings.xlam" in dir_stream  # project reference to the xlwings add-in (RunPython, XLPy)
    assert b"{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in dir_stream  # Office library: IRibbonControl
    count = struct.unpack_from("<H", dir_stream, dir_stream.index(b"\x0f\x00\x02\x00\x00\x00") + 6)[0]
    assert count == len(project().modules)
    # MODULEOFFSET records (id 0x0031, size 4) all say 0.
    offsets = re.findall(rb"\x31\x00\x04\x00\x00\x00(....)", dir_stream, re.DOTALL)
    assert offsets == [b"\x00\x00\x00\x00"] * count


def test_xlwings_reference_carries_the_version_of_the_xlwings_addin_the_package_ships(built):
    """MS-OVBA 2.3.4.2.2.5: a REFERENCEPROJECT's version is the referenced project's; it was 0.0."""
    import xlwings

    addin = Path(xlwings.__file__).parent / "addin" / "xlwings.xlam"
    with zipfile.ZipFile(addin) as z:
        xlwings_records = dir_records(z.read("xl/vbaProject.bin"))
    assert (0x0004, b"xlwings") in xlwings_records
    xlwings_version = next(p for i, p in xlwings_records if i == 0x0009)
    names = [p for i, p in dir_records(built["bin"]) if i == 0x0016]
    reference = [p for i, p in dir_records(built["bin"]) if i == 0x000E]
    assert names == [b"stdole", b"Office", b"xlwings"] and len(reference) == 1
    absolute = struct.unpack_from("<I", reference[0])[0]
    relative = struct.unpack_from("<I", reference[0], 4 + absolute)[0]
    assert reference[0][8 + absolute + relative:] == xlwings_version
    assert xlwings_version != bytes(6)


def test_decompression_reads_the_xlwings_addin_like_olevba():
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "addin" / "xlwings.xlam") as z:
        stream = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin"))).openstream("VBA/dir").read()
    assert decompress(stream) == bytes(decompress_stream(bytearray(stream)))


def test_project_protection_fields_decrypt_to_unprotected_visible():
    def decrypt(hex_text: str) -> bytes:  # MS-OVBA 2.4.3.3
        data = bytes.fromhex(hex_text)
        seed, version_enc, key_enc = data[:3]
        unencrypted, encrypted_1, encrypted_2 = seed ^ key_enc, key_enc, version_enc
        plain = []
        for byte_enc in data[3:]:
            byte = byte_enc ^ ((encrypted_2 + unencrypted) & 0xFF)
            plain.append(byte)
            encrypted_2, encrypted_1, unencrypted = encrypted_1, byte_enc, byte
        ignored = (seed & 6) // 2
        length = struct.unpack("<I", bytes(plain[ignored:ignored + 4]))[0]
        assert seed ^ version_enc == 2
        return bytes(plain[ignored + 4:ignored + 4 + length])

    # A CMG value written by Excel itself (the xlwings quickstart workbook) decodes the same way.
    assert decrypt("A7A58C2B7CDD73E173E173E173E1") == bytes(4)
    guid = "{E2E0E410-BF04-4DC5-BDD2-D3FBBA8B7D37}"
    for seed in (0x00, 0x41, 0xA7, 0xFE):
        assert decrypt(encrypt_data(b"\xff", guid, seed)) == b"\xff"
        assert encrypt_data(b"\xff", guid, seed).startswith(f"{seed:02X}{seed ^ 2:02X}{seed ^ 0x2B:02X}")


def test_same_sources_give_same_bytes(built, tmp_path):
    assert build_vba_project(project()) == built["bin"]
    again = package_workbook(built["xlsm"], addin=True, ribbon_xml=RIBBON)
    assert again == built["xlam"].read_bytes()
    with zipfile.ZipFile(built["xlam"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


VBA_WORDS = ["Public", "Sub", "Function", "End", "If", "Then", "RunPython", '"import x"', "(", ")", " ",
             "\r\n", "    ", "Dim", "As", "Variant", "' komentar", "OPD", "=", "1", "Err.Description"]


@given(st.lists(st.sampled_from(VBA_WORDS) | st.text(max_size=6).map(lambda t: t.encode("ascii", "ignore")
                                                                      .decode()), max_size=3000))
def test_compression_round_trips_through_olevba(words):
    data = "".join(words).encode("ascii")
    assert bytes(decompress_stream(bytearray(compress(data)))) == data
    assert decompress(compress(data)) == data


def test_incompressible_short_tail_is_refused_not_padded():
    noise = random.Random(4).randbytes(4096 + 4000)
    assert bytes(decompress_stream(bytearray(compress(noise[:4096])))) == noise[:4096]  # raw chunk
    with pytest.raises(ValueError, match="does not compress"):
        compress(noise)


@pytest.mark.parametrize("size", [0, 1, 3, 4095, 4096, 4097, 8192, 12289])
def test_compression_at_chunk_boundaries(size):
    repetitive = (b"Public Sub A()\r\n    RunPython \"x\"\r\nEnd Sub\r\n" * 400)[:size]
    incompressible = random.Random(size).randbytes(size)
    mixed = incompressible[:4096] + repetitive[4096:] if size >= 4096 else repetitive
    for data in (repetitive, mixed):
        packed = compress(data)
        assert bytes(decompress_stream(bytearray(packed))) == data
    assert len(compress(repetitive)) < max(len(repetitive), 64)


def test_addin_package_has_addin_type_and_ribbon(built):
    with zipfile.ZipFile(built["xlam"]) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("_rels/.rels").decode()
        ribbon = archive.read(RIBBON_PART).decode()
    assert f'PartName="/xl/workbook.xml" ContentType="{ADDIN_WORKBOOK_TYPE}"' in types
    assert f'Type="{RIBBON_RELATIONSHIP}" Target="{RIBBON_PART}"' in rels
    assert ribbon == RIBBON
    # The .xlsm keeps its workbook type; a ribbon can be added to it too, replacing an older one.
    xlsm_with_ribbon = package_workbook(package_workbook(built["xlsm"], addin=False, ribbon_xml="<old/>"),
                                        addin=False, ribbon_xml=RIBBON)
    with zipfile.ZipFile(io.BytesIO(xlsm_with_ribbon)) as archive:
        assert "macroEnabled.main+xml" in archive.read("[Content_Types].xml").decode()
        assert "addin" not in archive.read("[Content_Types].xml").decode()
        assert archive.read("_rels/.rels").decode().count(RIBBON_RELATIONSHIP) == 1
        assert archive.read(RIBBON_PART).decode() == RIBBON


def test_package_without_vba_is_refused(tmp_path):
    plain = tmp_path / "biasa.xlsx"
    workbook = xlsxwriter.Workbook(str(plain))
    workbook.add_worksheet()
    workbook.close()
    with pytest.raises(ValueError, match="no VBA project"):
        package_workbook(plain, addin=True)


def test_ribbon_tab_and_every_macro_name_a_procedure(built):
    sources = {p.stem: p.read_text(encoding="utf-8") for p in VBA_DIR.glob("*.bas")}
    declared = {}
    for text in sources.values():
        declared.update(procedures(text))
    assert re.search(r'<tab id="\w+" label="Indeks OPD">', RIBBON)
    labels = re.findall(r'<button [^>]*label="([^"]+)"', RIBBON)
    assert labels == ["Hitung Indeks", "Buat Templat", "Impor Templat", "Rapor",
                      "Status", "Verifikasi", "Perlu Perbaikan", "Kunci Periode",
                      "Buka Periode"]  # the quarter's workflow (docs/alur.md)
    actions = ribbon_actions(RIBBON)
    assert len(actions) == 9
    for action in actions:
        assert re.fullmatch(r"control As IRibbonControl", declared[action]), action
    named = package_macro_names(built["xlam"])
    assert named["ribbon"] == actions
    assert named["buttons"] and set(named["buttons"]) <= set(declared)
    for macro in BUTTON_MACROS:
        assert declared[macro] == ""
    calls = re.findall(r'RunPython "import indeks_opd\.excel as x; x\.(\w+)\(', sources["IndeksOPD"])
    assert calls == ["hitung_indeks_tombol", "buat_templat_tombol", "impor_templat_tombol", "rapor_tombol",
                     "status_periode_tombol", "verifikasi_opd_tombol", "perlu_perbaikan_tombol", "kunci_periode_tombol",
                     "buka_periode_tombol"]


@pytest.mark.libreoffice
def test_libreoffice_opens_xlsm_and_xlam_and_sees_the_modules(built):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: .ci/run installs libreoffice-calc-nogui"
    out = built["folder"] / "ods"
    profile = (built["folder"] / "lo-profile").as_uri()
    # LibreOffice's type detection does not claim the .xlam extension (xlwings' own add-in is
    # refused the same way), so the import filter is named; it is the one .xlsm files use.
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", "--outdir", str(out),
         str(built["xlsm"]), str(built["xlam"])],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    for stem in ("IndeksKinerjaOPD", "IndeksOPD"):
        with zipfile.ZipFile(out / f"{stem}.ods") as ods:
            basic = {n.split("/")[-1][:-4]: ods.read(n).decode() for n in ods.namelist()
                     if n.startswith("Basic/IndeksKinerjaOPD/") and not n.endswith("script-lb.xml")}
            assert "Sheet Rekap" in ods.read("content.xml").decode()
        assert set(basic) == {m.name for m in project().modules}
        assert "Public Sub HitungIndeks()" in basic["IndeksOPD"]
        assert "x.hitung_indeks_tombol()" in basic["IndeksOPD"]
        assert "Public Sub RibbonRapor(control As IRibbonControl)" in basic["RibbonIndeksOPD"]
        assert "Function TAMBAH(a, b)" in basic["xlwings_udfs"]


@pytest.mark.excel
@pytest.mark.skipif(sys.platform != "win32", reason="needs Microsoft Excel on Windows (COM)")
def test_excel_opens_the_built_files_without_repair(built):
    import xlwings as xw

    with xw.App(visible=False, add_book=False) as app:
        app.display_alerts = False
        book = app.books.open(str(built["xlsm"]))
        assert [sheet.name for sheet in book.sheets] == list(SHEETS)
        assert book.api.HasVBProject
        addin = app.books.open(str(built["xlam"]))
        assert addin.api.IsAddin and addin.api.HasVBProject


@given(st.dictionaries(
    st.tuples(st.sampled_from(["", "VBA/", "VBA/Sub/"]), st.text("abcXYZ_0", min_size=1, max_size=12)),
    st.integers(0, 9000), max_size=25))
def test_compound_file_round_trips_through_olefile(layout):
    from indeks_opd.artefacts.cfb import write_compound_file

    # Names never clash with the storage names or differ only by case (MS-CFB compares upper case).
    streams = {folder + name: random.Random(size).randbytes(size) for (folder, name), size in layout.items()}
    data = write_compound_file(streams)
    assert len(data) % 512 == 0
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert {"/".join(p) for p in ole.listdir()} == set(streams)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content
