"""Period: the one reader of what users type for a quarter, and every label the product shows."""

import pytest

from indeks_opd.contract.numbers import WHOLE, read_number
from indeks_opd.core.period import Period, parse_triwulan


@pytest.mark.parametrize("typed", [4, 4.0, "4", " IV ", "iv", "TW4", "tw 4", "TW IV", "tw-iv", "Triwulan IV"])
def test_every_typed_form_of_a_quarter_is_read(typed):
    assert parse_triwulan(typed) == 4
    assert read_number(typed, WHOLE) == (4.0, None)  # a cell of the Triwulan column reads the same


@pytest.mark.parametrize("typed", [0, 5, 2.5, True, "V", "TW5", "", "empat"])
def test_an_impossible_quarter_is_refused_in_indonesian(typed):
    with pytest.raises(ValueError, match="isi 1, 2, 3 atau 4"):
        parse_triwulan(typed)


def test_a_period_is_validated_when_made():
    with pytest.raises(ValueError, match="Triwulan 5 tidak sah"):
        Period(2022, 5)
    with pytest.raises(ValueError, match="Tahun 22 tidak wajar"):
        Period(22, 4)
    assert Period.of(2022.0, "TW IV") == Period.of("2022", 4) == Period(2022, 4)


def test_previous_quarter_crosses_the_year_and_periods_sort():
    assert Period(2023, 1).previous() == Period(2022, 4)
    assert Period(2023, 3).previous() == Period(2023, 2)
    assert sorted([Period(2023, 1), Period(2022, 4)]) == [Period(2022, 4), Period(2023, 1)]
    tahun, triwulan = Period(2022, 4)
    assert (tahun, triwulan) == (2022, 4)


def test_every_label_form():
    p = Period(2022, 4)
    assert p.title() == "Tahun 2022 Triwulan IV"
    assert p.short() == str(p) == "TW IV 2022"
    assert p.folder_tag() == "2022 TW4"
    assert p.file_tag() == "2022_TW4"
