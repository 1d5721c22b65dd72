import datetime
import re
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from accueil.enums import Channel, Outcome
from accueil.forms import parse_local_datetime
from accueil.models import Motif, Visit
from accueil.reference import reasons_sync
from accueil.services import check_not_in_future, motif_retire, visit_log
from accueil.tests.factories import MotifFactory, VisitFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def agent(user_with_role, maison_langres):
    return user_with_role(Role.AGENT, maisons=[maison_langres])


@pytest.fixture
def signed_in(client, agent):
    reasons_sync()
    client.force_login(agent)
    return client


def post_visit(client, *, token=None, htmx=False, **data):
    motif = Motif.objects.get(label="Logement")
    payload = {"token": str(token or uuid.uuid4()), "motifs": [motif.pk], "channel": "physique", "outcome": "repondu"}
    payload |= {"duration_band": "5_15"} | data
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/accueil/", payload, headers=headers)


def test_a_visit_is_logged_with_a_reason_and_the_defaults(signed_in, agent, maison_langres):
    response = post_visit(signed_in)
    assert response.status_code == 302 and response.url == "/accueil/"
    visit = Visit.objects.get()
    assert visit.maison == maison_langres and visit.agent == agent and visit.channel == Channel.IN_PERSON
    assert [m.label for m in visit.motifs.all()] == ["Logement"]
    assert "Visite enregistrée" in signed_in.get("/accueil/").content.decode()


def test_with_htmx_the_screen_comes_back_with_the_new_visit_and_a_fresh_token(signed_in):
    token = uuid.uuid4()
    response = post_visit(signed_in, token=token, htmx=True)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Visite enregistrée à" in html and str(token) not in html
    assert "Aujourd’hui : <strong>1</strong>" in html


def test_the_same_token_twice_logs_one_visit(signed_in):
    token = uuid.uuid4()
    post_visit(signed_in, token=token)
    post_visit(signed_in, token=token)
    assert Visit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_form_log_one_visit(agent, maison_langres):
    reasons_sync()
    motif = Motif.objects.get(label="Logement")
    token = uuid.uuid4()
    barrier = threading.Barrier(4)
    results = []

    def submit():
        try:
            barrier.wait()
            results.append(
                visit_log(agent=agent, maison=maison_langres, token=token, motifs=[motif], channel="physique")
            )
        finally:
            connection.close()  # Each thread had its own connection.

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and sum(created for _, created in results) == 1
    assert Visit.objects.count() == 1 and len({visit.pk for visit, _ in results}) == 1


def test_a_visit_needs_a_reason_and_other_needs_words(signed_in):
    response = signed_in.post("/accueil/", {"token": str(uuid.uuid4()), "channel": "physique", "outcome": "repondu"})
    assert response.status_code == 400 and "Choisissez au moins un motif" in response.content.decode()
    other = Motif.objects.get(label="Autre")
    response = post_visit(signed_in, motifs=[other.pk])
    assert "Précisez en quelques mots" in response.content.decode() and not Visit.objects.exists()
    post_visit(signed_in, motifs=[other.pk], other_motif="Chasse et pêche")
    assert Visit.objects.get().other_motif == "Chasse et pêche"


def test_a_visit_in_the_future_is_refused(signed_in):
    later = timezone.localtime() + datetime.timedelta(hours=1)
    response = post_visit(signed_in, occurred_at=later.strftime("%Y-%m-%dT%H:%M"))
    assert "dans le futur" in response.content.decode() and not Visit.objects.exists()


def test_never_in_the_future_across_the_dst_changes():
    # 25 October 2026, 02:45 CEST (00:45 UTC): clocks go back at 03:00, 02:00–03:00 happens twice.
    now = datetime.datetime(2026, 10, 25, 0, 45, tzinfo=datetime.UTC)
    check_not_in_future(parse_local_datetime("2026-10-25T02:30"), now=now)  # The first 02:30: past.
    with pytest.raises(Exception, match="futur"):
        check_not_in_future(parse_local_datetime("2026-10-25T02:55"), now=now)
    # After the change, 02:30 CET is 01:30 UTC; from 01:31 UTC the first 02:30 is long past.
    check_not_in_future(
        parse_local_datetime("2026-10-25T02:50"), now=datetime.datetime(2026, 10, 25, 1, 31, tzinfo=datetime.UTC)
    )
    # 29 March 2026: 02:30 does not exist; 03:10 CEST is 01:10 UTC.
    with pytest.raises(Exception, match="n’existe pas"):
        parse_local_datetime("2026-03-29T02:30")
    now = datetime.datetime(2026, 3, 29, 1, 5, tzinfo=datetime.UTC)  # 03:05 CEST.
    check_not_in_future(parse_local_datetime("2026-03-29T01:59"), now=now)
    check_not_in_future(parse_local_datetime("2026-03-29T03:06"), now=now)  # Within the tolerance.
    with pytest.raises(Exception, match="futur"):
        check_not_in_future(parse_local_datetime("2026-03-29T03:30"), now=now)


def test_the_commune_is_read_from_the_list_or_abroad(signed_in, commune_langres):
    post_visit(signed_in, commune="Langres (52269)")
    post_visit(signed_in, commune="Hors de France")
    post_visit(signed_in, commune="")
    assert sorted(Visit.objects.values_list("residence", flat=True)) == ["commune", "hors_france", "non_renseigne"]
    assert "Choisissez une commune" in post_visit(signed_in, commune="Atlantide").content.decode()


def test_an_orientation_names_its_partner(signed_in):
    response = post_visit(signed_in, outcome=Outcome.PARTNER)
    assert "Indiquez le partenaire" in response.content.decode() and not Visit.objects.exists()


def test_an_agent_corrects_and_deletes_their_visit_then_undoes_it(signed_in, agent, maison_langres):
    visit = VisitFactory(maison=maison_langres, agent=agent)
    response = signed_in.get(f"/accueil/visites/{visit.pk}/modifier/")
    assert response.status_code == 200
    logement = Motif.objects.get(label="Logement")
    data = {"motifs": [logement.pk], "channel": "telephone", "outcome": "repondu", "duration_band": "moins_5"}
    assert signed_in.post(f"/accueil/visites/{visit.pk}/modifier/", data).status_code == 302
    visit.refresh_from_db()
    assert visit.channel == "telephone" and list(visit.motifs.all()) == [logement]
    signed_in.post(f"/accueil/visites/{visit.pk}/supprimer/")
    assert not Visit.objects.exists()
    assert "Annuler la suppression" in signed_in.get("/accueil/").content.decode()
    signed_in.post(f"/accueil/visites/{visit.pk}/retablir/")
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_an_agent_cannot_change_a_colleagues_or_another_maisons_visit(signed_in, user_with_role, maison_saint_dizier):
    colleague = VisitFactory(
        maison=maison_saint_dizier, agent=user_with_role(Role.AGENT, maisons=[maison_saint_dizier])
    )
    for url in ("modifier", "supprimer", "retablir"):
        response = signed_in.post(f"/accueil/visites/{colleague.pk}/{url}/")
        assert response.status_code == 404
    assert Visit.objects.filter(pk=colleague.pk).exists()
    # Saint-Dizier is also a commune of residence in the screen's list: look for the Maison and its visit.
    html = signed_in.get("/accueil/").content.decode()
    assert "Maison du Département de Saint-Dizier" not in html
    assert f"/accueil/visites/{colleague.pk}/" not in html


def test_yesterdays_visit_can_no_longer_be_changed(signed_in, agent, maison_langres):
    visit = VisitFactory(maison=maison_langres, agent=agent)
    Visit.objects.filter(pk=visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    assert signed_in.get(f"/accueil/visites/{visit.pk}/modifier/").status_code == 404


def test_a_person_with_several_maisons_chooses_once(client, user_with_role, maison_langres, maison_saint_dizier):
    reasons_sync()
    client.force_login(user_with_role(Role.PROJECT_LEAD))
    assert "Dans quelle Maison" in client.get("/accueil/").content.decode()
    client.post("/accueil/", {"maison": maison_saint_dizier.pk})
    html = client.get("/accueil/").content.decode()
    assert "Maison du Département de Saint-Dizier" in html and "Enregistrer la visite" in html


def test_the_most_used_reasons_come_first(signed_in, agent, maison_langres):
    sport = Motif.objects.get(label="Sport")
    for _ in range(3):
        VisitFactory(maison=maison_langres, motifs=[sport])
    html = signed_in.get("/accueil/").content.decode()
    assert html.index("<kbd>1</kbd> Sport") > 0


def test_a_reason_in_use_is_retired_an_unused_one_deleted(maison_langres):
    used, unused = MotifFactory(label="Collèges"), MotifFactory(label="Jamais servi")
    VisitFactory(maison=maison_langres, motifs=[used])
    assert motif_retire(motif=used) is False and Motif.objects.get(pk=used.pk).is_active is False
    assert motif_retire(motif=unused) is True and not Motif.objects.filter(pk=unused.pk).exists()
    assert list(Visit.objects.get().motifs.all()) == [used]  # History stays true.


def test_the_screen_costs_a_bounded_number_of_queries(signed_in, agent, maison_langres, django_assert_max_num_queries):
    for _ in range(30):
        VisitFactory(maison=maison_langres, agent=agent)
    signed_in.get("/accueil/")
    with django_assert_max_num_queries(16):
        assert signed_in.get("/accueil/").status_code == 200


def test_a_plain_client_without_javascript_gets_a_form_that_works(agent, maison_langres):
    reasons_sync()
    client = Client(enforce_csrf_checks=False)
    client.force_login(agent)
    html = client.get("/accueil/").content.decode()
    assert 'name="token"' in html and 'action="/accueil/"' in html


# The partner of an orientation: typed, suggested from the directory, resolved by the server (issue 8's benchmark:
# a <select> of 5,000 partners made every answer of the screen 400 KB).


@pytest.fixture
def partners():
    from partenaires.tests.factories import PartnerFactory

    return {
        "caf": PartnerFactory(name="Caisse d’allocations familiales de la Haute-Marne", acronym="CAF"),
        "cpam": PartnerFactory(name="Caisse primaire d’assurance maladie", acronym="CPAM"),
        "adil": PartnerFactory(name="Agence départementale d’information sur le logement", acronym="ADIL"),
        "draft": PartnerFactory(name="Association en préparation", is_published=False),
        "retired": PartnerFactory(name="Mission locale fermée", retired_at=timezone.now()),
    }


def test_the_partner_is_the_name_typed_or_chosen_among_the_suggestions(signed_in, partners):
    for typed in ("Caisse primaire d’assurance maladie", "  caisse PRIMAIRE d’assurance   maladie ", "ADIL", "locale"):
        response = post_visit(signed_in, outcome=Outcome.PARTNER, partner=typed)
        assert response.status_code == 302 or typed == "locale", typed
    assert [visit.partner for visit in Visit.objects.order_by("pk")] == [partners["cpam"]] * 2 + [partners["adil"]]


def test_an_unknown_or_unpublished_partner_gets_a_clear_message(signed_in, partners):
    response = post_visit(signed_in, outcome=Outcome.PARTNER, partner="Atlantide")
    assert response.status_code == 400
    assert "Aucun partenaire publié de l’annuaire ne correspond à « Atlantide »" in response.content.decode()
    for name in ("Association en préparation", "Mission locale fermée"):
        html = post_visit(signed_in, outcome=Outcome.PARTNER, partner=name).content.decode()
        assert f"« {name} » ne figure pas dans l’annuaire publié" in html
    html = post_visit(signed_in, outcome=Outcome.PARTNER, partner_choice=partners["draft"].pk).content.decode()
    assert "Indiquez le partenaire" in html  # A draft chosen by its id is no better.
    assert not Visit.objects.exists()


def test_without_javascript_a_name_that_fits_several_partners_offers_them(agent, partners):
    reasons_sync()
    client = Client()
    client.force_login(agent)
    html = client.get("/accueil/").content.decode()
    assert 'name="partner"' in html and '<select name="partner"' not in html
    response = post_visit(client, outcome=Outcome.PARTNER, partner="caisse")
    html = response.content.decode()
    assert response.status_code == 400 and "Plusieurs partenaires peuvent correspondre à « caisse »" in html
    for key in ("caf", "cpam"):
        assert f'name="partner_choice" value="{partners[key].pk}"' in html
    # Not the ADIL, whose name does not fit (its id may equal a reason's, whose buttons also carry a value).
    assert f'name="partner_choice" value="{partners["adil"].pk}"' not in html
    response = post_visit(client, outcome=Outcome.PARTNER, partner="caisse", partner_choice=partners["caf"].pk)
    assert response.status_code == 302 and Visit.objects.get().partner == partners["caf"]


def test_the_partner_is_ignored_unless_the_visitor_is_oriented_to_one(signed_in, partners):
    assert post_visit(signed_in, outcome=Outcome.ANSWERED, partner="Atlantide").status_code == 302
    assert Visit.objects.get().partner is None


def test_the_suggestions_are_published_partners_by_name_acronym_or_words(signed_in, partners):
    def options(words):
        response = signed_in.get("/accueil/partenaires/", {"partner": words}, headers={"HX-Request": "true"})
        assert response.status_code == 200 and "<html" not in response.content.decode()
        return re.findall(r'data-value="([^"]+)"', response.content.decode())

    assert options("caisse") == [partners["caf"].name, partners["cpam"].name]
    assert options("cpam") == [partners["cpam"].name]
    assert options("departementale") == [partners["adil"].name]  # Accents aside.
    assert options("préparation") == options("fermée") == []  # Neither drafts nor retired partners.
    assert options("c") == []  # Two letters at least.
    nothing = signed_in.get("/accueil/partenaires/?partner=zzz").content.decode()
    assert "Aucun partenaire publié ne correspond" in nothing


def test_a_visit_logged_with_htmx_answers_the_form_and_what_changed_only(
    signed_in, agent, maison_langres, partners, django_assert_max_num_queries
):
    for _ in range(30):
        VisitFactory(maison=maison_langres, agent=agent)
    html = signed_in.get("/accueil/").content.decode()
    shown_until = re.search(r'name="shown_until" value="(\d+)"', html)[1]
    assert html.count('<tr class="is-deleted"') + html.count("<tr>") >= 31  # The page: the whole day.
    VisitFactory(maison=maison_langres)  # A colleague's, meanwhile.
    # 23 today: the session and its person (2), the Maison, the form's reasons and partner, the token, the visit, its
    # audit entry and its reasons, the daily summary kept in step once (3, accueil/stats/receivers.py), the answer's
    # reasons, directions, counters and new rows (2); 70 before the CHECK constraints were left to the database, 29
    # before the summary followed each visit once instead of at each step.
    with django_assert_max_num_queries(24):
        response = post_visit(
            signed_in, htmx=True, outcome=Outcome.PARTNER, partner=partners["cpam"].name, shown_until=shown_until
        )
    html = response.content.decode()
    assert response.status_code == 200 and "Visite enregistrée à" in html
    assert 'id="reception-counters" hx-swap-oob="true"' in html and "Aujourd’hui : <strong>32</strong>" in html
    # The two visits logged since the list was drawn, added at its top; not the whole day again, nor the directory.
    assert html.count("<tr>") == 2 and 'hx-swap-oob="afterbegin:#today-rows"' in html
    assert partners["caf"].name not in html and "<datalist" not in html
    assert len(response.content) < 25_000
    new_until = re.search(r'name="shown_until" value="(\d+)"', html)[1]
    assert int(new_until) == Visit.objects.latest("pk").pk


def test_a_visit_refused_with_htmx_answers_the_form_and_its_errors(signed_in):
    response = signed_in.post(
        "/accueil/",
        {"token": str(uuid.uuid4()), "channel": "physique", "outcome": "repondu"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Choisissez au moins un motif" in html
    assert '<div id="reception-saved" hx-swap-oob="innerHTML"></div>' in html and "reception-counters" not in html


def test_a_correction_shows_the_partner_by_name_and_keeps_it(signed_in, agent, maison_langres, partners):
    visit = VisitFactory(maison=maison_langres, agent=agent, outcome=Outcome.PARTNER, partner=partners["cpam"])
    html = signed_in.get(f"/accueil/visites/{visit.pk}/modifier/").content.decode()
    assert f'value="{partners["cpam"].name}"' in html and 'role="combobox"' in html
    logement = Motif.objects.get(label="Logement")
    data = {"motifs": [logement.pk], "channel": "telephone", "outcome": "partenaire", "duration_band": "moins_5"}
    response = signed_in.post(f"/accueil/visites/{visit.pk}/modifier/", data | {"partner": partners["adil"].name})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.partner == partners["adil"]


def test_a_fresh_form_logged_with_htmx_is_emptied_in_the_browser_and_gets_the_next_token(
    signed_in, agent, maison_langres, django_assert_max_num_queries
):
    VisitFactory(maison=maison_langres, agent=agent)
    html = signed_in.get("/accueil/").content.decode()
    assert 'name="fresh" value="1"' in html
    shown_until = re.search(r'name="shown_until" value="(\d+)"', html)[1]
    token = uuid.uuid4()
    with django_assert_max_num_queries(20):
        response = post_visit(signed_in, token=token, htmx=True, fresh="1", shown_until=shown_until)
    html = response.content.decode()
    assert response["HX-Reswap"] == "none" and response["HX-Trigger"] == "visit-logged"
    assert "data-visit-form" not in html and "Visite enregistrée à" in html and html.count("<tr>") == 1
    next_token = re.search(r'name="token" value="([0-9a-f-]+)" id="id_token" hx-swap-oob="true"', html)[1]
    assert next_token != str(token)
    assert f'value="{Visit.objects.latest("pk").pk}" id="shown-until" hx-swap-oob="true"' in html
    assert len(response.content) < 5_000
    # After its errors, the form is drawn again (bound, so without « fresh »), and its success too.
    response = post_visit(signed_in, htmx=True, fresh="1", motifs=[])
    assert "data-visit-form" in response.content.decode() and 'name="fresh"' not in response.content.decode()
    response = post_visit(signed_in, htmx=True)
    assert "HX-Reswap" not in response and 'name="fresh" value="1"' in response.content.decode()
