import datetime
import decimal

import pytest

from core.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+33 3 25 00 00 00", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x","clic")', "＝1+1"],
)
def test_text_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["CAF de la Haute-Marne", "52000 Chaumont", "", "a=b", "Saint-Dizier"])
def test_ordinary_text_is_unchanged(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value", [None, -3, 2.5, decimal.Decimal("-1.5"), True, datetime.date(2026, 3, 29), datetime.datetime(2026, 1, 1)]
)
def test_numbers_dates_and_booleans_keep_their_type(value):
    assert safe_cell(value) is value


def test_a_row_is_made_safe_cell_by_cell():
    assert safe_row(["=x", 3, "ok"]) == ["'=x", 3, "ok"]
