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
from maisons.tests.factories import CommuneFactory

from .registry import IMPORTERS
from .support import FUZZ, english_messages, hostile_text

ROW_ERROR = re.compile(r"^Ligne (?P<line>\d+), colonne (?P<column>[^ ]+) : (?P<reason>.+)$", re.DOTALL)
FILE_ERRORS = (
    re.compile(r"^Le fichier n’est pas encodé en UTF-8\.$"),
    re.compile(r"^Colonnes manquantes : .+\.$"),
    re.compile(r"^Ligne \d+ : lecture impossible, .+$"),
)

# Per column of the communes file: values the importer must accept, and values it must refuse. No line breaks
# here: a quoted line break makes a record span two lines, and the report counts records.
VALID = {
    "nom": st.sampled_from(["Langres", "Saint-Dizier", "L'Abergement-Clémenciat", "Œuilly", "Y"]),
    "departement": st.sampled_from(["52", "2A", "971"]),
    "region": st.sampled_from(["44", "94"]),
    "codes_postaux": st.sampled_from(["52200", "52100 52101", ""]),
    "population": st.one_of(st.just(""), st.integers(0, 3_000_000).map(str)),
    "epci_siren": st.sampled_from(["", "200072999"]),
    "epci_nom": st.sampled_from(["", "CC du Grand Langres", "Métropole d’Ici"]),
}
INVALID = {
    "code_insee": st.sampled_from(["", "5226", "ABCDE", "522690", "\u0665\u0662\u0662\u0666\u0669", "52 69", "\x00"]),
    "nom": st.sampled_from(["", "   ", "N" * 101, "Lan\x00gres", "Lan\x07gres", "\u202eserg\u202cnaL", "Nom\x0bbis"]),
    "departement": st.sampled_from(["", "5200", "\x00"]),
    "region": st.sampled_from(["", "4444"]),
    "codes_postaux": st.sampled_from(["5200", "ABCDE", "522000", "\uff15\uff12\uff12\uff10\uff10", "52200 52"]),
    "population": st.sampled_from(["beaucoup", "-3", "1.5", "99999999999", "\u00b2", "\u0665"]),
    "epci_siren": st.sampled_from(["1234567890", "\x00"]),
    "epci_nom": st.sampled_from(["E" * 201, "CC\x1bX"]),
}


def _csv_field(value: str, delimiter: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in f'"{delimiter}\r\n') else value


@st.composite
def faulty_files(draw, columns):
    """A CSV file of valid rows, some with one fault in one column; the (line, column) pairs expected."""
    delimiter = draw(st.sampled_from([",", ";"]))
    order = draw(st.permutations(columns))
    rows, expected = [], set()
    for index in range(draw(st.integers(0, 8))):
        line = index + 2
        row = {column: draw(VALID[column]) for column in columns if column != "code_insee"}
        row["code_insee"] = f"{10000 + index:05d}"  # Unique: a repeated code is a fault of its own.
        if draw(st.booleans()):
            column = draw(st.sampled_from(sorted(INVALID)))
            row[column] = draw(INVALID[column])
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


def _snapshot():
    return list(Commune.objects.order_by("code_insee").values_list())


@pytest.fixture
def existing_communes():
    """Communes already loaded: a refused file must leave them as they were, codes in the generated range too."""
    CommuneFactory(code_insee="10000", name="Déjà là", departement="52", region="44")
    CommuneFactory(code_insee="52269", name="Langres", departement="52", region="44")


def _check_report(report, before):
    assert english_messages(report.errors) == []
    for error in report.errors:
        assert ROW_ERROR.match(error) or any(pattern.match(error) for pattern in FILE_ERRORS), error
    if report.errors:
        assert _snapshot() == before, "un fichier refusé a modifié des communes"


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
def test_random_files_give_a_french_report_or_load_never_an_exception(importer, tmp_path, existing_communes):
    path = tmp_path / "import.csv"

    @FUZZ
    @given(data=random_files(importer.columns))
    def check(data):
        path.write_bytes(data)
        with transaction.atomic():
            before = _snapshot()
            report = importer.load(path)
            _check_report(report, before)
            transaction.set_rollback(True)

    check()


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
def test_every_faulty_row_and_column_is_reported_and_nothing_written(importer, tmp_path, existing_communes):
    path = tmp_path / "import.csv"

    @FUZZ
    @given(drawn=faulty_files(importer.columns))
    def check(drawn):
        data, expected, rows = drawn
        path.write_bytes(data)
        with transaction.atomic():
            before = _snapshot()
            report = importer.load(path)
            _check_report(report, before)
            reported = {(int(m["line"]), m["column"]) for m in map(ROW_ERROR.match, report.errors) if m}
            assert reported == expected
            assert len(report.errors) == len(expected), report.errors
            if not expected:
                assert report.created + report.updated == rows
            transaction.set_rollback(True)

    check()


def test_a_field_over_the_csv_limit_is_reported_not_raised(tmp_path, existing_communes):
    path = tmp_path / "import.csv"
    path.write_text(
        "code_insee,nom,departement,region,codes_postaux,population,epci_siren,epci_nom\n"
        f'52121,"{"C" * 200_000}",52,44,52000,1,,\n',
        encoding="utf-8",
    )
    before = _snapshot()

    report = IMPORTERS[0].load(path)

    assert report.errors == [
        "Ligne 2 : lecture impossible, une valeur est démesurément longue ; la suite du fichier n’a pas été lue."
    ]
    assert _snapshot() == before
