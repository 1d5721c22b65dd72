"""Importers fed with random files: a French report naming every faulty row and column, nothing half written.

Two kinds of files: arbitrary bytes (any encoding, separator, quoting), where the importer must only report or
load without an exception; and CSV files built row by row, some rows carrying one known fault in one known
column, where the report must name exactly those rows and columns.
"""

import re

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from maisons.models import Commune
from maisons.services import communes_load
from maisons.tests.factories import CommuneFactory

from .registry import IMPORTERS
from .support import FUZZ, english_messages, hostile_text

ROW_ERROR = re.compile(r"^Ligne (?P<line>\d+), colonne (?P<column>[^ ]+) : (?P<reason>.+)$", re.DOTALL)
FILE_ERRORS = (
    re.compile(r"^Le fichier n’est pas encodé en UTF-8\.$"),
    re.compile(r"^Colonnes manquantes : .+\.$"),
    re.compile(r"^Ligne \d+ : lecture impossible, .+$"),
)


def _csv_field(value: str, delimiter: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in f'"{delimiter}\r\n') else value


@st.composite
def faulty_files(draw, importer):
    """A CSV file of valid rows, some with one fault in one column; the (line, column) pairs expected."""
    delimiter = draw(st.sampled_from([",", ";"]))
    order = draw(st.permutations(importer.columns))
    rows, expected = [], set()
    for index in range(draw(st.integers(0, 8))):
        line = index + 2
        row = {column: draw(strategy) for column, strategy in importer.valid.items()}
        row[importer.key_column] = importer.key(index)  # Unique: a repeated key is a fault of its own.
        if draw(st.booleans()):
            column = draw(st.sampled_from(sorted(importer.invalid)))
            row[column] = draw(importer.invalid[column])
            expected.add((line, column))
        rows.append(delimiter.join(_csv_field(row[column], delimiter) for column in order))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    text = bom + "\r\n".join([delimiter.join(order), *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))
    return text.encode("utf-8"), expected, len(rows)


@st.composite
def random_files(draw, columns):
    """Files shaped like a CSV or not at all: wrong encodings, missing or extra columns, huge fields, quotes."""
    header = draw(st.lists(st.sampled_from([*columns, "autre", ""]), max_size=10))
    if draw(st.booleans()):
        header = list(columns)
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 5))):
        cells = draw(st.lists(hostile_text(max_size=20), max_size=len(columns) + 2))
        lines.append(delimiter.join(cells))
    text = draw(st.sampled_from(["", "\ufeff"])) + "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    return draw(st.one_of(st.just(data), st.binary(max_size=300), st.just(data + draw(st.binary(max_size=30)))))


def _snapshot(model):
    return list(model.objects.order_by("pk").values_list())


def _check_report(report, before, model):
    assert english_messages(report.errors) == []
    for error in report.errors:
        assert ROW_ERROR.match(error) or any(pattern.match(error) for pattern in FILE_ERRORS), error
    if report.errors:
        assert _snapshot(model) == before, "un fichier refusé a modifié des données"


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
def test_random_files_give_a_french_report_or_load_never_an_exception(importer, tmp_path):
    path = tmp_path / "import.csv"
    importer.seed()

    @FUZZ
    @given(data=random_files(importer.columns))
    def check(data):
        path.write_bytes(data)
        with transaction.atomic():
            before = _snapshot(importer.model)
            report = importer.load(path)
            _check_report(report, before, importer.model)
            transaction.set_rollback(True)

    check()


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
def test_every_faulty_row_and_column_is_reported_and_nothing_written(importer, tmp_path):
    path = tmp_path / "import.csv"
    importer.seed()

    @FUZZ
    @given(drawn=faulty_files(importer))
    def check(drawn):
        data, expected, rows = drawn
        path.write_bytes(data)
        with transaction.atomic():
            before = _snapshot(importer.model)
            report = importer.load(path)
            _check_report(report, before, importer.model)
            reported = {(int(m["line"]), m["column"]) for m in map(ROW_ERROR.match, report.errors) if m}
            assert reported == expected
            assert len(report.errors) == len(expected), report.errors
            if not expected:
                assert report.created + report.updated == rows
            transaction.set_rollback(True)

    check()


def test_a_field_over_the_csv_limit_is_reported_not_raised(tmp_path):
    CommuneFactory(code_insee="52269", name="Langres")
    path = tmp_path / "import.csv"
    path.write_text(
        "code_insee,nom,departement,region,codes_postaux,population,epci_siren,epci_nom\n"
        f'52121,"{"C" * 200_000}",52,44,52000,1,,\n',
        encoding="utf-8",
    )
    before = _snapshot(Commune)

    report = communes_load(path=path)

    assert report.errors == [
        "Ligne 2 : lecture impossible, une valeur est démesurément longue ; la suite du fichier n’a pas été lue."
    ]
    assert _snapshot(Commune) == before
