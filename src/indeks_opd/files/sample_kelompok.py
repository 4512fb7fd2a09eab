"""The second sample: a fictional kabupaten with peer groups, a SAKIP score and timeliness weighted.

CONTOH / SAMPLE: every figure is invented (fixed seed). *Kabupaten Sukamaju* ranks its
dinas/badan and its kecamatan separately (``OPD.Kelompok``), scores each OPD's SAKIP
evaluation as an extra component (``Nilai SAKIP``) and weighs on-time submission
(``Ketepatan Waktu``, deadlines in the ``Jadwal`` table) — the rules of docs/metode.md
that the first sample leaves at Kota Magelang's defaults. The dinas/badan reuse the first
sample's data; the kecamatan are added here. Kecamatan have their own prize rows; the
dinas/badan share the rows without a group.

``python -m indeks_opd.files.sample_kelompok`` rewrites ``src/indeks_opd/data/contoh-kelompok.xlsx``.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import numpy as np

from indeks_opd.core.parameter import Hadiah, Jadwal, Parameter
from indeks_opd.files.sample import FINANCE_SHARE, FISIK_TARGET, YEAR, sample_rows, write_contract_workbook

SEED = 2023
DINAS = "Dinas/Badan"
KECAMATAN = "Kecamatan"
SAKIP = "Nilai SAKIP"
KECAMATAN_OPD = [("7.01", "Kecamatan Sukamaju"), ("7.02", "Kecamatan Cibening"), ("7.03", "Kecamatan Wanasari"),
                 ("7.04", "Kecamatan Karangjati"), ("7.05", "Kecamatan Sindanglaut")]
BATAS = {1: dt.date(YEAR, 4, 15), 2: dt.date(YEAR, 7, 15), 3: dt.date(YEAR, 10, 14), 4: dt.date(YEAR + 1, 1, 13)}
"""Batas Pengumpulan of each quarter of the sample year (the Jadwal table)."""

PARAMETER = Parameter(
    bobot={"serapan": 20.0, "fisik": 15.0, "cakin": 35.0, "p3dn": 10.0, SAKIP: 10.0, "ketepatan": 10.0},
    hadiah=(Hadiah(1, 5_000_000, "Bank Daerah"), Hadiah(2, 3_000_000, "Bank Daerah"), Hadiah(3, 1_000_000, "Bank Daerah"),
            Hadiah(1, 2_500_000, "Bank Daerah", KECAMATAN), Hadiah(2, 1_500_000, "Bank Daerah", KECAMATAN)),
    jadwal=tuple(Jadwal(YEAR, tw, batas) for tw, batas in BATAS.items()),
    pengurangan_per_hari=10.0,
)


def kelompok_rows() -> dict[str, list[list]]:
    """Rows (header first) of the OPD, Realisasi and Indikator sheets, 2022 TW I–IV."""
    rng = np.random.default_rng(SEED)
    base = sample_rows()
    opd = [[*base["OPD"][0], "Kelompok"]] + [[*r, DINAS] for r in base["OPD"][1:]]
    opd += [[kode, nama, nama.replace("Kecamatan ", "Kec. "), "Ya", KECAMATAN] for kode, nama in KECAMATAN_OPD]
    realisasi = [[*base["Realisasi"][0], SAKIP, "Tanggal Diterima"]]
    for r in base["Realisasi"][1:]:
        realisasi.append([*r, *_sakip_and_date(rng, r[1])])
    indikator = list(base["Indikator"])
    for tw in (1, 2, 3, 4):
        for i, (kode, _) in enumerate(KECAMATAN_OPD):
            mutu = 0.97 - 0.03 * i + rng.uniform(-0.02, 0.02)
            pagu = float((12 + 2 * i) * 1_000_000_000)
            target_keu = round(pagu * FINANCE_SHARE[tw], -3)
            real_keu = round(target_keu * min(1.0, mutu + 0.02), -3)
            real_fis = round(FISIK_TARGET[tw] * min(1.0, mutu + 0.015), 2)
            realisasi.append([YEAR, tw, kode, pagu, target_keu, real_keu, FISIK_TARGET[tw], real_fis, None, None,
                              *_sakip_and_date(rng, tw)])
            indikator.append([YEAR, tw, kode, "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
                              "Indeks kepuasan masyarakat kecamatan", "indeks", "Naik", 85,
                              round(85 * min(1.05, mutu + rng.uniform(-0.03, 0.03)), 2), None])
            indikator.append([YEAR, tw, kode, "Program Pemberdayaan Masyarakat Desa dan Kelurahan",
                              "Persentase desa berstatus mandiri", "%", "Naik", 40,
                              round(40 * min(1.05, mutu + rng.uniform(-0.05, 0.02)), 2), None])
    return {"OPD": opd, "Realisasi": realisasi, "Indikator": indikator}


def _sakip_and_date(rng, tw: int) -> list:
    """A SAKIP score (55–90) and a received date: mostly on time, sometimes 1–12 days late."""
    sakip = round(float(rng.uniform(55, 90)), 2)
    late = int(rng.choice([-6, -3, -1, 0, 0, 1, 3, 12], p=[0.15, 0.2, 0.15, 0.2, 0.1, 0.1, 0.06, 0.04]))
    jam = int(rng.integers(8, 16))
    return [sakip, dt.datetime.combine(BATAS[tw] + dt.timedelta(days=late), dt.time(jam, 0))]


def write_kelompok_sample(path: Path | str) -> Path:
    return write_contract_workbook(path, kelompok_rows(), PARAMETER)


def kelompok_sample_path() -> Path:
    """The bundled second sample workbook."""
    return Path(str(resources.files("indeks_opd") / "data" / "contoh-kelompok.xlsx"))


if __name__ == "__main__":
    print(write_kelompok_sample(Path(__file__).parents[1] / "data" / "contoh-kelompok.xlsx"))
