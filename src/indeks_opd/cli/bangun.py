"""``indeks-opd bangun``: build the master workbook and the add-in from the text sources."""

from __future__ import annotations

from pathlib import Path

from indeks_opd.core.masalah import UnusableWorkbook, galat
from indeks_opd.present.messages import EXIT_OK


def register(sub) -> None:
    p = sub.add_parser(
        "bangun", help="bangun xlsm/IndeksKinerjaOPD.xlsm dan addin/IndeksOPD.xlam dari sumber teks",
        description="Membangun buku kerja induk Bappeda (xlsm/IndeksKinerjaOPD.xlsm) dan add-in "
                    "(addin/IndeksOPD.xlam) dari sumber teks di repositori: tata letak sheet (Python), "
                    "makro VBA (addin/vba/*.bas) dan pita (ribbon). Hasilnya sama persis setiap kali dibangun "
                    "ulang dari sumber yang sama.",
    )
    p.add_argument("--keluaran", metavar="DIR", type=Path,
                   help="folder tujuan; berkas ditulis ke DIR/xlsm/ dan DIR/addin/ (bawaan: akar repositori)")
    p.add_argument("--sumber", metavar="DIR", type=Path,
                   help="akar repositori yang berisi addin/vba/*.bas dan addin/customUI14.xml "
                        "(bawaan: repositori tempat paket ini dipasang)")
    p.set_defaults(run=run)


def build_all(keluaran: Path | None = None, sumber: Path | None = None) -> tuple[Path, Path]:
    """Write both files under ``keluaran`` (``xlsm/`` and ``addin/``; default both: the repository root
    the package is installed from); returns their paths."""
    # the builders (XlsxWriter, the VBA project) are imported by this command only
    from indeks_opd.artefacts.addin import ADDIN_NAME, ADDIN_SHEETS, build_addin
    from indeks_opd.artefacts.sources import SOURCE_ROOT, vba_parts
    from indeks_opd.artefacts.workbook import SHEETS, WORKBOOK_NAME, build_workbook

    keluaran, sumber = keluaran or SOURCE_ROOT, sumber or SOURCE_ROOT

    vba = vba_parts(sumber, len(SHEETS), ADDIN_SHEETS)
    buku = build_workbook(keluaran / "xlsm" / WORKBOOK_NAME, vba_project=vba.workbook_bin)
    addin = build_addin(keluaran / "addin" / ADDIN_NAME, vba.addin_bin, vba.ribbon_xml)
    return buku, addin


def run(args) -> int:
    try:
        buku, addin = build_all(args.keluaran, args.sumber)
    except FileNotFoundError as e:  # exit code 2 with the message, like any unusable input
        raise UnusableWorkbook([galat(f"Sumber tidak ditemukan: {e}. Jalankan dari salinan repositori "
                                      "(pip install -e .) atau beri --sumber AKAR_REPOSITORI.")]) from None
    print(f"Ditulis: {buku}")
    print(f"Ditulis: {addin}")
    return EXIT_OK
