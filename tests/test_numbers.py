"""Numbers as Indonesian users type them (docs/metode.md): read right, or reported — never guessed."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indeks_opd.contract.numbers import (
    MONEY,
    NUMBER,
    PERCENT,
    WHOLE,
    looks_like_formula,
    read_number,
    read_text,
)


@pytest.mark.parametrize("value, kind, fmt, expected", [
    (75, PERCENT, "General", 75.0),
    ("75%", PERCENT, None, 75.0),
    ("75,5", PERCENT, None, 75.5),
    (" 75,5 % ", PERCENT, None, 75.5),
    (0.75, PERCENT, "0%", 75.0),
    (0.755, PERCENT, "0.00%", 75.5),
    (0.07, PERCENT, "0%", 7.0),          # not 7.000000000000001
    ("Rp1.250.000,00", MONEY, None, 1_250_000.0),
    ("Rp 1.250.000", MONEY, None, 1_250_000.0),
    ("Rp. 1.250.000", MONEY, None, 1_250_000.0),
    ("1.250.000", MONEY, None, 1_250_000.0),
    ("1.250", MONEY, None, 1_250.0),      # Indonesian: the dot groups thousands
    ("1\u00a0250\u00a0000", MONEY, None, 1_250_000.0),  # non-breaking spaces from web copies
    (1250000, MONEY, '"Rp"#,##0', 1_250_000.0),
    (0.5, MONEY, "0%", 0.5),             # a percent format on money is not a reason to multiply
    ("-5", MONEY, None, -5.0),           # read; negative values are the checks' business
    (2022.0, WHOLE, None, 2022.0),
    ("4", WHOLE, None, 4.0),
    ("TW IV", WHOLE, None, 4.0),
    ("iii", WHOLE, None, 3.0),
    ("12,5", NUMBER, None, 12.5),
    (0.75, PERCENT, "General", 0.75),    # a plain float in a cell without a percent format
    (0.75, NUMBER, '"Rp"#,##0.00', 0.75),
    (12.5, MONEY, None, 12.5),
])
def test_readable_numbers(value, kind, fmt, expected):
    assert read_number(value, kind, fmt) == (expected, None)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_is_none_without_a_message(value):
    assert read_number(value, MONEY) == (None, None)


@pytest.mark.parametrize("value, kind, fragment", [
    ("75.5", PERCENT, "tulis dengan koma: '75,5'"),       # English decimal point: ambiguous, reported
    ("12,3,4", NUMBER, "tidak terbaca sebagai angka"),
    ("1.25.000", MONEY, "tidak terbaca"),
    ("sepuluh", NUMBER, "tidak terbaca"),
    ("=SUM(A1:A3)", MONEY, "tampak seperti rumus"),
    ("@A1", NUMBER, "tampak seperti rumus"),
    ("+A1", NUMBER, "tampak seperti rumus"),
    ("#DIV/0!", NUMBER, "nilai galat Excel #DIV/0!"),
    (True, NUMBER, "TRUE"),
    (dt.datetime(2023, 3, 1), MONEY, "tanggal"),
    ("50%", MONEY, "persen"),
    (2.5, WHOLE, "bukan bilangan bulat"),
    (float("nan"), NUMBER, "bukan angka"),
])
def test_unreadable_values_are_reported(value, kind, fragment):
    x, pesan = read_number(value, kind)
    assert x is None
    assert fragment in pesan


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\u00a0\u202f\u2003\x1c\x85é"), max_size=8))
def test_a_text_is_tidied_as_the_rule_says_whatever_its_whitespace(text):
    """Every run of whitespace (tab, line break, non-breaking and other Unicode spaces) is one space, the ends
    trimmed, nothing left is blank; texts already tidy take a shortcut that must give the same."""
    assert read_text(text) == (re.sub(r"[\s\u00a0\u202f]+", " ", text).strip() or None)


def test_text_cells():
    assert read_text(" Dinas  Kesehatan ") == "Dinas Kesehatan"
    assert read_text(2.15) == "2.15"
    assert read_text(3.0) == "3"
    assert read_text("") is None
    assert looks_like_formula("=1+1") and looks_like_formula("-2") and not looks_like_formula("Dinas")
