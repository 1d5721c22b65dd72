import datetime

import pytest

from partenaires import opening_hours
from partenaires.opening_hours import OpeningHoursError, parse

T = datetime.time


def test_the_issue_example_in_french():
    week = parse("Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off")
    assert week.lines() == [
        "du lundi au vendredi de 8 h 30 à 12 h 00 et de 13 h 30 à 17 h 00",
        "le samedi de 9 h 00 à 12 h 00",
        "fermé les jours fériés",
    ]
    assert week.days[0] == ((T(8, 30), T(12)), (T(13, 30), T(17)))
    assert 6 not in week.days
    assert week.holidays == ()


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Mo,We,Fr 09:00-12:00", ["le lundi, le mercredi et le vendredi de 9 h 00 à 12 h 00"]),
        ("Mo-Tu 14:00-16:30", ["le lundi et le mardi de 14 h 00 à 16 h 30"]),
        ("Mo-We,Fr 09:00-12:00", ["du lundi au mercredi et le vendredi de 9 h 00 à 12 h 00"]),
        ("08:00-18:00", ["tous les jours de 8 h 00 à 18 h 00"]),
        ("Mo-Su 08:00-20:00", ["tous les jours de 8 h 00 à 20 h 00"]),
        ("24/7", ["tous les jours toute la journée"]),
        ("Sa-Mo 10:00-12:00", ["du samedi au lundi de 10 h 00 à 12 h 00"]),
        (
            "Tu 09:00-12:00,13:30-16:00,17:00-19:00",
            ["le mardi de 9 h 00 à 12 h 00, de 13 h 30 à 16 h 00 et de 17 h 00 à 19 h 00"],
        ),
        ("Mo-Fr 22:00-24:00", ["du lundi au vendredi de 22 h 00 à 24 h 00"]),
        ("PH 10:00-12:00", ["les jours fériés de 10 h 00 à 12 h 00"]),
        ("Mo-Fr 09:00-17:00;", ["du lundi au vendredi de 9 h 00 à 17 h 00"]),
        (
            "  Mo-Fr   09:00-17:00 ;  Sa  09:00-12:00 ",
            ["du lundi au vendredi de 9 h 00 à 17 h 00", "le samedi de 9 h 00 à 12 h 00"],
        ),
        ("", []),
    ],
)
def test_french_rendering(text, lines):
    assert parse(text).lines() == lines


def test_a_later_rule_overrides_the_earlier_one_for_its_days():
    week = parse("Mo-Fr 09:00-17:00; We off")
    assert week.days[2] == ()
    assert week.lines() == ["le lundi, le mardi, le jeudi et le vendredi de 9 h 00 à 17 h 00"]
    assert parse("Mo-Fr 09:00-17:00; We 09:00-12:00").lines() == [
        "le lundi, le mardi, le jeudi et le vendredi de 9 h 00 à 17 h 00",
        "le mercredi de 9 h 00 à 12 h 00",
    ]


def test_closed_is_a_synonym_of_off_and_days_and_holidays_combine():
    week = parse("Mo-Fr,PH 09:00-12:00; Sa closed")
    assert week.holidays == ((T(9), T(12)),)
    assert week.days[5] == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Lu-Ve 09:00-12:00", "« Lu-Ve » n’est pas un jour reconnu"),
        ("Mo-Fr 9:00-12:00", "« 9:00-12:00 » n’est pas un horaire reconnu"),
        ("Mo-Fr 09h00-12h00", "n’est pas un horaire reconnu"),
        ("Mo-Fr 12:00-09:00", "la fin doit suivre le début"),
        ("Mo-Fr 22:00-02:00", "passent minuit"),
        ("Mo-Fr 25:00-26:00", "une heure qui n’existe pas"),
        ("Mo-Fr 09:60-10:00", "une heure qui n’existe pas"),
        ("Mo-Fr 09:00-12:00,11:00-14:00", "se chevauchent"),
        ("Mo-Fr", "indiquez les horaires"),
        ("Mo - Fr 09:00-12:00", "sans espace"),
        ("Mo-Fr 09:00-12:00, 14:00-17:00", "sans espace"),
        ("Jan-Mar Mo 09:00-12:00", "sans espace"),
        ("Mo-Fr 09:00-12:00;; Sa 09:00-12:00", "La règle n° 2 est vide"),
        ("Su sunrise-sunset", "n’est pas un horaire reconnu"),
        ("week 1-10 Mo 09:00-12:00", "sans espace"),
    ],
)
def test_refused_with_a_french_message(text, message):
    with pytest.raises(OpeningHoursError) as error:
        parse(text)
    assert message in str(error.value)


def test_the_message_names_the_faulty_rule():
    with pytest.raises(OpeningHoursError, match=r"Règle n° 2 \(« Sa 9-12 »\)"):
        parse("Mo-Fr 09:00-12:00; Sa 9-12")


def test_schema_org_values():
    week = parse("Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off")
    assert week.schema_org() == ["Mo-Fr 08:30-12:00", "Mo-Fr 13:30-17:00", "Sa 09:00-12:00"]
    assert parse("Mo,We 09:00-24:00").schema_org() == ["Mo,We 09:00-24:00"]
    assert parse("Sa-Mo 10:00-12:00").schema_org() == ["Sa-Mo 10:00-12:00"]
    assert parse("Su,Mo 10:00-12:00").lines() == ["le dimanche et le lundi de 10 h 00 à 12 h 00"]


def test_say_time():
    assert opening_hours.say_time(T(8, 5)) == "8 h 05"
    assert opening_hours.say_time(opening_hours.END_OF_DAY) == "24 h 00"
