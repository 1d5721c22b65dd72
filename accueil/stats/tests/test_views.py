import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from accueil.enums import MotifGroup, Outcome
from maisons.tests.factories import CommuneFactory, DirectionFactory

from ..forms import Preset, StatisticsFilterForm, preset_period
from . import utils
from .utils import at, motif, visit

URL = "/accueil/statistiques/"


@pytest.fixture
def data(maison_langres, maison_saint_dizier):
    today = timezone.localdate()
    routes, caf = motif("Routes et déplacements"), motif("=CAF", MotifGroup.PARTNERS)
    direction = DirectionFactory(name="Direction des routes")
    commune = CommuneFactory(code_insee="52121", name="Chalindrey", epci_siren="200072684", epci_name="CC Vingeanne")
    for offset in range(6):
        day = today - datetime.timedelta(days=offset)
        visit(
            maison_langres,
            motifs=[routes, caf],
            occurred_at=min(at(day, 9), timezone.now()),
            outcome=Outcome.DIRECTION,
            direction=direction,
            commune=commune,
            other_motif="=1+1",
        )
        visit(maison_saint_dizier, motifs=[caf], occurred_at=min(at(day, 10), timezone.now()))
    return {"routes": routes, "caf": caf, "direction": direction}


def test_an_agent_sees_the_figures_of_their_maison(client_for, data):
    client = client_for(Role.AGENT)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maison du Département de Langres" in html
    assert "Maison du Département de Saint-Dizier" not in html
    assert "Direction des routes" in html and "Chalindrey" in html and "CC Vingeanne" in html
    stats = response.context["stats"]
    assert stats.total == stats.counts["total"][""]
    assert 1 <= stats.total <= 6  # Langres only, this month.


def test_an_agent_cannot_read_another_maison_by_changing_the_parameter(client_for, data):
    client = client_for(Role.AGENT)
    assert client.get(URL, {"maison": "saint-dizier"}).status_code == 404
    assert client.get(reverse("accueil_stats:visits_csv"), {"maison": "saint-dizier"}).status_code == 404
    assert client.get(reverse("accueil_stats:monthly_report"), {"maison": "saint-dizier"}).status_code == 404
    assert client.get(reverse("accueil_stats:france_services_csv"), {"maison": "saint-dizier"}).status_code == 404
    assert (
        client.get(reverse("accueil_stats:aggregate_csv", args=["motifs"]), {"maison": "saint-dizier"}).status_code
        == 404
    )


def test_the_project_lead_sees_every_maison_and_can_choose_one(client_for, data, maison_saint_dizier):
    client = client_for(Role.PROJECT_LEAD)
    both = client.get(URL, {"periode": Preset.WEEK}).context["stats"].total
    one = client.get(URL, {"periode": Preset.WEEK, "maison": "saint-dizier"}).context["stats"].total
    assert both > one > 0


def test_other_roles_are_refused(client_for):
    assert client_for(Role.ELECTED).get(URL).status_code == 403
    assert client_for(Role.COMMUNICATION).get(URL).status_code == 403


def test_custom_dates_are_validated_in_french(client_for, data):
    client = client_for(Role.AGENT)
    response = client.get(URL, {"periode": Preset.CUSTOM, "du": "2026-03-10", "au": "2026-03-01"})
    assert response.status_code == 200
    assert "Le dernier jour doit suivre le premier." in response.content.decode()
    assert "stats" not in response.context
    response = client.get(URL, {"periode": Preset.CUSTOM, "du": "pas une date"})
    assert "Indiquez le dernier jour." in response.content.decode()
    response = client.get(URL, {"periode": Preset.CUSTOM, "du": "2020-01-01", "au": "2026-01-01"})
    assert "trois ans au plus" in response.content.decode()
    assert client.get(reverse("accueil_stats:visits_csv"), {"periode": "personnalisee"}).status_code == 400


def test_presets_and_the_previous_period():
    today = datetime.date(2026, 5, 14)
    week = preset_period(Preset.WEEK, today)
    assert (week.start, week.end, week.previous_start) == (
        datetime.date(2026, 5, 11),
        datetime.date(2026, 5, 17),
        datetime.date(2026, 5, 4),
    )
    month = preset_period(Preset.MONTH, today)
    assert (month.start, month.end, month.previous_start, month.previous_end) == (
        datetime.date(2026, 5, 1),
        datetime.date(2026, 5, 31),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 4, 30),
    )
    quarter = preset_period(Preset.QUARTER, today)
    assert (quarter.start, quarter.end, quarter.previous_start) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 1, 1),
    )
    assert quarter.label == "2e trimestre 2026"
    year = preset_period(Preset.YEAR, datetime.date(2026, 1, 3))
    assert (year.start, year.previous_start, year.previous_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    form = StatisticsFilterForm({"periode": Preset.CUSTOM, "du": "2026-03-01", "au": "2026-03-10"}, today=today)
    assert form.is_valid()
    period = form.cleaned_data["period"]
    assert (period.previous_start, period.previous_end) == (datetime.date(2026, 2, 19), datetime.date(2026, 2, 28))


def test_the_page_costs_a_bounded_number_of_queries(client_for, data, django_assert_max_num_queries):
    client = client_for(Role.PROJECT_LEAD)
    client.get(URL)
    for _ in range(20):
        visit(
            data["direction"] and utils.Visit.objects.first().maison,
            motifs=[data["routes"]],
            occurred_at=timezone.now(),
        )
    # Session and person (3), the request's savepoint (2), the Maisons (2), the figures of both periods with the
    # curve by month (1), the reference lists shown (reasons, themes, directions, partners, and communes with their
    # intercommunalities: at most 5).
    with django_assert_max_num_queries(13):
        response = client.get(URL, {"periode": Preset.YEAR})
    assert response.status_code == 200
    with django_assert_max_num_queries(14):  # A curve by day is one more query.
        assert client.get(URL, {"periode": Preset.MONTH}).status_code == 200


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_visits_csv_is_streamed_and_formula_safe(client_for, data, monkeypatch):
    from .. import exports

    monkeypatch.setattr(exports, "BATCH", 4)  # Several batches: the keyset pagination loses and repeats nothing.
    client = client_for(Role.PROJECT_LEAD)
    response = client.get(reverse("accueil_stats:visits_csv"), {"periode": Preset.WEEK})
    assert response.streaming
    rows = _csv(response)
    assert rows[0][0] == "identifiant"
    ids = [int(row[0]) for row in rows[1:]]
    assert (
        len(ids)
        == len(set(ids))
        == utils.Visit.objects.filter(
            occurred_at__gte=at(preset_period(Preset.WEEK, timezone.localdate()).start, 0)
        ).count()
    )
    langres = [row for row in rows[1:] if row[1] == "Maison du Département de Langres"]
    assert langres and all(row[6] == "'=1+1" for row in langres)
    assert all("'=CAF" in row[5] for row in langres)
    assert "remarque" not in rows[0]


def test_the_visits_xlsx(client_for, data):
    response = client_for(Role.AGENT).get(reverse("accueil_stats:visits_xlsx"), {"periode": Preset.WEEK})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.values)
    assert rows[0][0] == "identifiant"
    assert {row[1] for row in rows[1:]} == {"Maison du Département de Langres"}


def test_each_aggregate_exports(client_for, data):
    client = client_for(Role.PROJECT_LEAD)
    for chart in ["motifs", "communes", "intercommunalites", "evolution", "affluence", "directions"]:
        response = client.get(reverse("accueil_stats:aggregate_csv", args=[chart]), {"periode": Preset.WEEK})
        assert response.status_code == 200, chart
        assert len(_csv(response)) > 1
    rows = _csv(client.get(reverse("accueil_stats:aggregate_csv", args=["motifs"]), {"periode": Preset.WEEK}))
    assert "'=CAF" in [row[0] for row in rows]
    response = client.get(reverse("accueil_stats:aggregate_xlsx", args=["canaux"]), {"periode": Preset.WEEK})
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).active["A1"].value == "Canal"
    assert client.get(reverse("accueil_stats:aggregate_csv", args=["inconnu"])).status_code == 404


def test_the_monthly_report_has_one_page_per_maison(client_for, data):
    client = client_for(Role.PROJECT_LEAD)
    month = timezone.localdate().strftime("%Y-%m")
    html = client.get(reverse("accueil_stats:monthly_report"), {"mois": month}).content.decode()
    assert html.count('class="report-page"') == 2
    assert client.get(reverse("accueil_stats:monthly_report"), {"mois": "2026-13"}).status_code == 400
    agent_html = client_for(Role.AGENT).get(reverse("accueil_stats:monthly_report"), {"mois": month}).content.decode()
    assert agent_html.count('class="report-page"') == 1


def test_the_france_services_export(client_for, data):
    client = client_for(Role.PROJECT_LEAD)
    month = timezone.localdate().strftime("%Y-%m")
    rows = _csv(client.get(reverse("accueil_stats:france_services_csv"), {"mois": month}))
    assert rows[1][:2] == ["indicateur", "valeur"]
    total = next(row for row in rows if row[0] == "Visites")
    assert int(total[-1]) == int(total[2]) + int(total[3])
    operators = [row for row in rows if row[0].startswith("Opérateur")]
    assert [row[1] for row in operators] == ["'=CAF"]  # Only partners' matters; the label is formula-safe.
    assert any(row[1].startswith("orienté") for row in rows if row[0] == "Suite donnée")
    response = client.get(reverse("accueil_stats:france_services_xlsx"), {"mois": month})
    assert response.status_code == 200
