"""The workbook schema: every input table and field of the contract, declared once.

For each field: the header users see, its kind (one vocabulary, :data:`KINDS`), whether the
column must exist, its number format and column width, its bounds and the data-validation
rule with its Indonesian message. The contract reader (headers, kinds, optional columns),
the core's checks (labels and bounds, passed in through ``InputData.fields``), the master
workbook build, the OPD templates and the sample all derive from here.
``docs/arsitektur.md`` ("Skema buku kerja") says how to add a column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indeks_opd.contract.numbers import MONEY, NUMBER, PERCENT, WHOLE
from indeks_opd.core.inputs import SHEET_INDIKATOR, SHEET_OPD, SHEET_REALISASI
from indeks_opd.core.parameter import Parameter
from indeks_opd.core.period import TAHUN_MAX, TAHUN_MIN, TRIWULAN

TEKS = "teks"
KODE = "kode"
TANGGAL = "tanggal"
TAUTAN = "tautan"
UANG, PERSEN, ANGKA, BULAT = MONEY, PERCENT, NUMBER, WHOLE
KINDS = (TEKS, KODE, TANGGAL, TAUTAN, UANG, PERSEN, ANGKA, BULAT)
"""What a cell holds. The numeric kinds are the kinds :func:`~indeks_opd.contract.numbers.read_number` reads;
a ``tanggal`` is read by :func:`~indeks_opd.contract.numbers.read_date`, a ``tautan`` (an evidence link)
by :func:`~indeks_opd.contract.links.read_link`."""
NUMERIC = (UANG, PERSEN, ANGKA, BULAT)

NUMBER_FORMATS = {TEKS: None, KODE: "@", TAUTAN: None, TANGGAL: "dd/mm/yyyy hh:mm", UANG: '"Rp"#,##0', PERSEN: "0.00",
                  ANGKA: "General", BULAT: "0"}
"""Number format of each kind; Excel shows them with the PC's separators (Rp1.250.000 in Indonesian)."""

NILAI_TIDAK_SAH = "Nilai tidak sah"
PILIHAN_TIDAK_SAH = "Pilihan tidak sah"


@dataclass(frozen=True)
class Validation:
    """A data-validation rule as Excel knows it, independent of the library that writes it.

    ``type``: ``whole``, ``decimal``, ``list`` or ``custom``; ``operator``: ``between`` or
    ``greaterThanOrEqual``; ``formula``: the list source (``=DaftarKodeOPD``) or the custom
    formula of the first cell.
    """

    type: str
    title: str
    prompt: str
    error_title: str
    error: str
    operator: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    formula: str | None = None


@dataclass(frozen=True)
class Field:
    """One column of an input table.

    ``rule`` is a custom validation formula with ``{col}`` and ``{row}`` for the column letter
    and the first data row (e.g. a uniqueness rule); ``daftar`` a list source formula.
    ``pesan`` is the input message and, unless ``galat`` is given, the error message.
    ``on_demand``: a column only a Pemda that uses it has (peer groups, Ketepatan Waktu;
    docs/metode.md); the master, the templates and the sample leave it out.
    """

    name: str
    header: str
    kind: str = TEKS
    width: float = 12
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    daftar: str | None = None
    rule: str | None = None
    pesan: str = ""
    galat_judul: str | None = None
    galat: str | None = None
    on_demand: bool = False

    @property
    def label(self) -> str:
        """How problems name the field: its header."""
        return self.header

    @property
    def satuan(self) -> str:
        """The unit problems print after a value of this field (``%`` for percentages)."""
        return "%" if self.kind == PERSEN else ""

    @property
    def format(self) -> str | None:
        """The cell number format (``None``: the default, General)."""
        return NUMBER_FORMATS[self.kind]

    def validation(self, col: str = "A", row: int = 1) -> Validation | None:
        """The data-validation rule of this field, its custom formula placed at ``col``/``row``."""
        if not self.pesan:
            return None
        error = self.galat or self.pesan
        if self.choices or self.daftar:
            return Validation("list", self.header, self.pesan, self.galat_judul or PILIHAN_TIDAK_SAH, error,
                              choices=self.choices, formula=self.daftar)
        if self.rule:
            return Validation("custom", self.header, self.pesan, self.galat_judul or NILAI_TIDAK_SAH, error,
                              formula=self.rule.format(col=col, row=row))
        if self.minimum is None and self.maximum is None:
            return None
        operator = "greaterThanOrEqual" if self.maximum is None else "between"
        return Validation("whole" if self.kind == BULAT else "decimal", self.header, self.pesan,
                          self.galat_judul or NILAI_TIDAK_SAH, error, operator, self.minimum, self.maximum)


_UANG_KUMULATIF = "Isi rupiah sebagai angka ≥ 0 (tanpa 'Rp' dan titik), kumulatif s.d. triwulan."
_FISIK = "Isi persen 0–100 (mis. 75,5), kumulatif s.d. triwulan."


_TAUTAN_RULE = ('=OR(LEFT({col}{row},7)="http://",LEFT({col}{row},8)="https://",LEFT({col}{row},2)="\\\\",'
                'MID({col}{row},2,2)=":\\")')
"""Excel's first check of an evidence link as it is typed (the readers apply the full rule,
:mod:`indeks_opd.contract.links`)."""


def tahun(width: float = 8) -> Field:
    return Field("tahun", "Tahun", BULAT, width, minimum=TAHUN_MIN, maximum=TAHUN_MAX,
                 pesan="Isi tahun empat angka, mis. 2024.")


def triwulan(width: float = 9) -> Field:
    return Field("triwulan", "Triwulan", BULAT, width, minimum=TRIWULAN[0], maximum=TRIWULAN[-1],
                 pesan="Isi 1, 2, 3 atau 4 (triwulan I–IV).")


def _kode_dari_daftar() -> Field:
    return Field("kode", "Kode OPD", KODE, 10, daftar="=DaftarKodeOPD",
                 pesan="Pilih Kode OPD yang ada di sheet OPD. OPD baru: tambahkan dulu di sheet OPD.")


def _uang(name: str, header: str, pesan: str = _UANG_KUMULATIF) -> Field:
    return Field(name, header, UANG, 19, minimum=0, pesan=pesan)


def _fisik(name: str, header: str) -> Field:
    return Field(name, header, PERSEN, 11, minimum=0, maximum=100, pesan=_FISIK)


INPUT_TABLES: dict[str, tuple[Field, ...]] = {
    SHEET_OPD: (
        Field("kode", "Kode OPD", KODE, 11, rule="=COUNTIF(${col}:${col},${col}{row})=1",
              pesan="Kode unik OPD, mis. 2.15. Ditulis sebagai teks.", galat_judul="Kode ganda",
              galat="Kode OPD ini sudah dipakai OPD lain. Setiap OPD harus punya kode sendiri."),
        Field("nama", "Nama OPD", TEKS, 52),
        Field("singkatan", "Singkatan", TEKS, 14, required=False),
        Field("aktif", "Aktif", TEKS, 9, required=False, choices=("Ya", "Tidak"),
              pesan="Pilih Ya (dinilai) atau Tidak (tidak dinilai)."),
        Field("kelompok", "Kelompok", TEKS, 16, required=False, on_demand=True),
    ),
    SHEET_REALISASI: (
        tahun(), triwulan(), _kode_dari_daftar(),
        _uang("pagu", "Pagu Anggaran"),
        _uang("target_keuangan", "Target Keuangan"),
        _uang("realisasi_keuangan", "Realisasi Keuangan"),
        _fisik("target_fisik", "Target Fisik"),
        _fisik("realisasi_fisik", "Realisasi Fisik"),
        _uang("target_p3dn", "Target P3DN", "Rupiah ≥ 0. Kosongkan bila OPD tidak punya target belanja produk dalam "
                                            "negeri (P3DN tidak dinilai, bobotnya dibagi ke komponen lain)."),
        _uang("realisasi_p3dn", "Realisasi P3DN"),
        Field("tanggal_diterima", "Tanggal Diterima", TANGGAL, 16, required=False, on_demand=True),
    ),
    SHEET_INDIKATOR: (
        tahun(), triwulan(), _kode_dari_daftar(),
        Field("program", "Program", TEKS, 45),
        Field("indikator", "Indikator", TEKS, 45),
        Field("satuan", "Satuan", TEKS, 12, required=False),
        Field("arah", "Arah", TEKS, 8, choices=("Naik", "Turun"),
              pesan="Naik: makin tinggi makin baik. Turun: makin rendah makin baik (mis. angka kecelakaan).",
              galat="Pilih Naik atau Turun dari daftar."),
        Field("target", "Target", ANGKA, 11, minimum=0, pesan="Isi angka target indikator, 0 atau lebih."),
        Field("realisasi", "Realisasi", ANGKA, 11, minimum=0, pesan="Isi angka realisasi indikator, 0 atau lebih."),
        Field("bobot", "Bobot", ANGKA, 8, required=False, minimum=0,
              pesan="Opsional: bobot indikator ≥ 0. Kosong semua = rata-rata biasa."),
        Field("bukti_dukung", "Bukti Dukung", TAUTAN, 40, required=False, rule=_TAUTAN_RULE,
              pesan="Opsional: satu tautan bukti dukung, alamat https://… atau jalur berkas di server kantor "
                    r"(\\server\folder\berkas.pdf).", galat_judul="Bukan tautan",
              galat="Isi satu alamat http:// atau https://, atau jalur berkas \\\\server\\… atau S:\\…; "
                    "tanpa keterangan lain."),
    ),
}
"""The data tables OPD, Realisasi and Indikator, fields in contract order (the order the master shows).

The Realisasi table also takes one score column per extra component of the Bobot table, headed
by its label (docs/metode.md); those columns are named by the Parameter sheet, not here."""


def fields(sheet: str) -> dict[str, Field]:
    """The fields of an input table by name, in contract order."""
    return {f.name: f for f in INPUT_TABLES[sheet]}


def default_fields(sheet: str) -> tuple[Field, ...]:
    """The fields a new workbook, template or sample writes: all but the on-demand ones."""
    return tuple(f for f in INPUT_TABLES[sheet] if not f.on_demand)


def headers(sheet: str) -> list[str]:
    """The headers of a new workbook's table, in contract order (the header row of every workbook we write)."""
    return [f.header for f in default_fields(sheet)]


# --- Parameter sheet -------------------------------------------------------------------------

PARAMETER_TABLES: dict[str, tuple[Field, ...]] = {
    "tblBobot": (
        Field("komponen", "Komponen"),
        Field("bobot", "Bobot", ANGKA, minimum=0, maximum=100,
              pesan="Bobot komponen 0–100; jumlah keempat bobot harus 100."),
    ),
    "tblKategori": (
        Field("kategori", "Kategori"),
        Field("batas_bawah", "Batas Bawah", ANGKA, minimum=0, maximum=1000,
              pesan="Nilai indeks terendah kategori ini (inklusif). Kosongkan untuk kategori terbawah."),
        Field("warna", "Warna", rule='=AND(LEN({col}{row})=7,LEFT({col}{row},1)="#")',
              pesan="Kode warna #RRGGBB, mis. #00B050 (hijau).", galat_judul="Warna tidak sah",
              galat="Tulis kode warna 7 karakter diawali #, mis. #00B050."),
        Field("zona", "Zona"),
    ),
    "tblHadiah": (
        Field("peringkat", "Peringkat", BULAT, minimum=1, maximum=1000,
              pesan="Peringkat yang diberi hadiah (1, 2, 3, ...)."),
        Field("hadiah", "Hadiah", UANG, minimum=0, pesan="Hadiah dalam rupiah bulat ≥ 0."),
        Field("sumber", "Sumber"),
        Field("kelompok", "Kelompok", required=False, on_demand=True),
    ),
    "tblJadwal": (
        replace(tahun(), on_demand=True),
        replace(triwulan(), on_demand=True),
        Field("batas_pengumpulan", "Batas Pengumpulan", TANGGAL, 16, on_demand=True,
              pesan="Tanggal terakhir templat OPD periode ini diterima tepat waktu (Ketepatan Waktu)."),
    ),
}
"""The Parameter tables (found by their headers; the Excel table names are the master's). A table whose
fields are all on demand (``tblJadwal``, the deadlines of Ketepatan Waktu) is read when present, without a
warning when absent, and left out of the master and the sample (:func:`on_demand_table`)."""


def on_demand_table(name: str) -> bool:
    """Whether a Parameter table is one only some Pemda have (every field on demand)."""
    return all(f.on_demand for f in PARAMETER_TABLES[name])


def extra_score(label: str) -> Field:
    """The Realisasi column of an extra component: headed by its Bobot label, a score ≥ 0 that Bappeda types
    (docs/metode.md); never in the master, the templates or the sample."""
    return Field(label, label, ANGKA, 12, minimum=0, on_demand=True)


@dataclass(frozen=True)
class SingleValue:
    """A single value of the Parameter sheet: a defined name and a row of the ``Nama | Nilai`` block.

    ``field.name`` is the :class:`~indeks_opd.core.parameter.Parameter` attribute it sets.
    """

    name: str
    keterangan: str
    field: Field


SINGLE_VALUES: tuple[SingleValue, ...] = (
    SingleValue("TahunAktif", "Tahun yang dihitung di Rekap dan oleh Hitung Indeks.",
                replace(tahun(), name="tahun_aktif")),
    SingleValue("TriwulanAktif", "Triwulan yang dihitung (1–4).", replace(triwulan(), name="triwulan_aktif")),
    SingleValue("BatasCapaian", "Batas atas setiap capaian (persen), bawaan 100.",
                Field("batas_capaian", "BatasCapaian", ANGKA, minimum=100, pesan="Isi angka ≥ 100 (bawaan 100).")),
    SingleValue("JumlahTerendah", "Berapa OPD terendah yang disebut (seri ikut).",
                Field("jumlah_terendah", "JumlahTerendah", BULAT, minimum=0, maximum=100,
                      pesan="Isi bilangan bulat ≥ 0 (bawaan 3).")),
    SingleValue("IzinkanHadiahSementara", "Ya: hadiah tetap dibagi walau hasil SEMENTARA (ada galat data).",
                Field("izinkan_hadiah_sementara", "IzinkanHadiahSementara", choices=("Ya", "Tidak"),
                      pesan="Pilih Ya atau Tidak.")),
    SingleValue("AturanTahunan", "Nilai tahunan: TW IV atau Rata-rata keempat triwulan.",
                Field("aturan_tahunan", "AturanTahunan", choices=("TW IV", "Rata-rata"),
                      pesan="Pilih TW IV atau Rata-rata.")),
    SingleValue("PenguranganPerHari", "Poin Ketepatan Waktu yang berkurang per hari keterlambatan.",
                Field("pengurangan_per_hari", "PenguranganPerHari", ANGKA, minimum=0, on_demand=True,
                      pesan="Isi angka ≥ 0 (bawaan 10).")),
)
"""Single values, in the order of the ``Nama | Nilai`` block."""


def single_values(p: Parameter, tahun: int, triwulan: int) -> list[tuple[SingleValue, object]]:
    """Each single value with what a workbook shows for ``p`` and the active period (Ya/Tidak for flags).

    An on-demand value (PenguranganPerHari) only when ``p`` has a Jadwal table.
    """
    value = {"tahun_aktif": tahun, "triwulan_aktif": triwulan,
             "izinkan_hadiah_sementara": "Ya" if p.izinkan_hadiah_sementara else "Tidak"}
    return [(sv, value.get(sv.field.name, getattr(p, sv.field.name, None))) for sv in SINGLE_VALUES
            if not sv.field.on_demand or p.jadwal]
