"""The audit trail (django-auditlog): who created, changed or deleted what, seen by administrators only."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.forms import FileField, MultiWidget
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accueil.models import Motif
from accueil.tests.factories import VisitFactory
from partenaires.models import Partner


def admin_form_data(response, **changes) -> dict:
    """The POST data of an admin change form as rendered, with `changes` applied (multi-widgets split, lists kept)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled or isinstance(field, FileField):  # An unchanged file is not sent again.
            continue
        value = form[name].value()
        value = changes.get(name, value)
        if isinstance(field.widget, MultiWidget):
            parts = value if isinstance(value, list) else field.widget.decompress(value)
            for index, part in enumerate(parts):
                data[f"{name}_{index}"] = "" if part is None else part
        elif isinstance(value, list | tuple):
            data[name] = [str(item.pk if hasattr(item, "pk") else item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


@pytest.fixture
def administrator(user_with_role):
    return user_with_role(Role.ADMINISTRATOR, email="admin.audit@haute-marne.fr")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_a_partner_changed_in_the_admin_is_logged_with_its_author_and_fields(admin_client, administrator):
    partner = Partner.objects.create(name="Caisse d’allocations familiales", slug="caf", phone="")
    url = f"/admin/partenaires/partner/{partner.pk}/change/"
    data = admin_form_data(admin_client.get(url), acronym="CAF", description="Prestations familiales")
    response = admin_client.post(url, data, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    entry = LogEntry.objects.get_for_object(partner).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == administrator
    assert set(entry.changes_dict) == {"acronym", "description"}
    assert entry.changes_dict["acronym"] == ["", "CAF"]
    assert entry.remote_addr == "192.0.2.10"


def test_changing_a_persons_roles_is_logged(admin_client, administrator, user_with_role):
    agent = user_with_role(Role.AGENT)
    url = f"/admin/accounts/user/{agent.pk}/change/"
    response = admin_client.get(url)
    project_lead = Group.objects.get(name=Role.PROJECT_LEAD.group_name)
    data = admin_form_data(response, groups=[*agent.groups.all(), project_lead])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    assert agent.groups.filter(pk=project_lead.pk).exists()
    entry = LogEntry.objects.get_for_object(agent).filter(changes__has_key="groups", actor=administrator).get()
    assert entry.changes_dict["groups"]["operation"] == "add"
    assert entry.changes_dict["groups"]["objects"] == [str(project_lead)]
    # Never the password nor the sign-in time.
    assert not LogEntry.objects.get_for_object(agent).filter(changes__has_key="password").exists()


def test_a_visit_change_is_logged_without_its_note(admin_client, administrator, maison_langres):
    motif = Motif.objects.create(label="Carte de transport scolaire")
    occurred_at = timezone.now().replace(second=0, microsecond=0)  # As the form shows it.
    visit = VisitFactory(maison=maison_langres, motifs=[motif], note="Rappeler lundi", occurred_at=occurred_at)
    assert LogEntry.objects.get_for_object(visit).get().action == LogEntry.Action.CREATE
    url = f"/admin/accueil/visit/{visit.pk}/change/"
    data = admin_form_data(admin_client.get(url), note="Madame Dupont, 12 rue des Lilas", channel="telephone")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    visit.refresh_from_db()
    assert visit.note == "Madame Dupont, 12 rue des Lilas"
    entries = LogEntry.objects.get_for_object(visit)
    update = entries.get(action=LogEntry.Action.UPDATE)
    assert update.actor == administrator
    assert set(update.changes_dict) == {"channel"}
    for entry in entries:
        assert "Dupont" not in str(entry.changes) + entry.changes_text + str(entry.serialized_data)
        assert "Rappeler" not in str(entry.changes) + entry.changes_text


def test_the_change_history_is_searchable_by_administrators(admin_client, administrator):
    Partner.objects.create(name="Mission locale du Pays de Langres", slug="mission-locale")
    Partner.objects.create(name="France Travail", slug="france-travail")
    response = admin_client.get("/admin/audit/changelogentry/", {"q": "Mission locale"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mission locale du Pays de Langres" in html
    assert "France Travail" not in html
    assert "historique des modifications" in html.lower()

    entry = LogEntry.objects.get(object_repr="France Travail")
    detail = admin_client.get(f"/admin/audit/changelogentry/{entry.pk}/change/").content.decode()
    assert "création" in detail and "Champ" in detail


@pytest.mark.parametrize(
    "url", ["/admin/audit/changelogentry/", "/admin/audit/securityevent/", "/admin/audit/erasurerecord/"]
)
@pytest.mark.parametrize("role", [Role.PROJECT_LEAD, Role.AGENT, Role.COMMUNICATION])
def test_journals_are_for_administrators_only(client, user_with_role, url, role):
    # Even a member of staff who reached /admin/ some other way cannot read the journals.
    client.force_login(user_with_role(role, is_staff=True))
    assert client.get(url).status_code in (302, 403)


def test_auditlog_own_admin_is_replaced(admin_client):
    assert admin_client.get("/admin/auditlog/logentry/").status_code == 404


def test_journals_cannot_be_edited_by_hand(admin_client, administrator):
    partner = Partner.objects.create(name="CPAM", slug="cpam")
    entry = LogEntry.objects.get_for_object(partner).get()
    assert admin_client.post(f"/admin/audit/changelogentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert admin_client.get("/admin/audit/securityevent/add/").status_code == 403


def test_created_users_are_logged_without_password(admin_client):
    user = User.objects.create_user("nouvelle@haute-marne.fr", password="un-mot-de-passe-long-52")
    entry = LogEntry.objects.get_for_object(user).get()
    assert "password" not in entry.changes_dict and "last_login" not in entry.changes_dict
    assert entry.changes_dict["email"] == [None, "nouvelle@haute-marne.fr"]


def test_the_recorded_address_is_the_one_the_trusted_proxy_saw(admin_client, settings):
    # auditlog's own middleware would record the first X-Forwarded-For entry, which the client writes itself.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    partner = Partner.objects.create(name="Mission locale", slug="mission-locale")
    url = f"/admin/partenaires/partner/{partner.pk}/change/"
    data = admin_form_data(admin_client.get(url), acronym="ML")
    response = admin_client.post(url, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(partner).get(action=LogEntry.Action.UPDATE)
    assert entry.remote_addr == "203.0.113.5"
