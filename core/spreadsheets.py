"""Cells safe to open in a spreadsheet (invariant 5: exports are safe against formula injection).

A spreadsheet runs a cell whose text starts with `=`, `+`, `-` or `@` as a formula, and some also after a leading tab
or carriage return. Every export (CSV, XLSX, ODS) passes each text value through `safe_cell()`, which prefixes such
a value with an apostrophe, the OWASP recommendation: the reader sees the text, no spreadsheet runs it. Numbers,
dates and booleans are left as they are (a negative number is a number, not a formula).
"""

import datetime
import decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """The value, with text that a spreadsheet would run as a formula neutralised."""
    if value is None or isinstance(
        value, bool | int | float | decimal.Decimal | datetime.date | datetime.datetime | datetime.time
    ):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(values):
    """Every cell of a row through `safe_cell()`."""
    return [safe_cell(value) for value in values]
