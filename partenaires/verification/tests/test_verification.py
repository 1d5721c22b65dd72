"""Freshness without accounts: who is due, the e-mail and its link, the partner's answer, the project lead's review."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail, signing
from django.utils import timezone

from accounts.enums import Role
from partenaires.models import Partner
from partenaires.tests.factories import PartnerContactFactory, PartnerFactory, ServiceFactory
from partenaires.verification import services
from partenaires.verification.enums import ProposalStatus
from partenaires.verification.models import TOKEN_SALT, ChangeProposal, VerificationRequest
from partenaires.verification.tests.factories import ChangeProposalFactory, VerificationRequestFactory

LONG = "Accompagnement dans les démarches administratives, sur place ou par téléphone, pour tous. " * 4


def _good_partner(**kwargs):
    partner = PartnerFactory(email="contact@exemple.fr", **kwargs)
    ServiceFactory(
        partner=partner,
        description=LONG,
        audiences=["tous-publics"],
        access_modes=["sur_place", "telephone"],
        fees="gratuit",
        themes=[],
    )
    return partner


def test_partners_due_by_age_and_quality():
    today = timezone.localdate()
    never = _good_partner(name="Jamais vérifié")
    fresh = _good_partner(name="Vérifié récemment", last_verified_on=today - relativedelta(months=2))
    stale = _good_partner(name="Vérifié il y a sept mois", last_verified_on=today - relativedelta(months=7))
    weak = PartnerFactory(
        name="Fiche faible", email="faible@exemple.fr", last_verified_on=today - relativedelta(months=4)
    )
    ServiceFactory(partner=weak, summary="", description="")  # Scores under 0.5: due after 3 months.
    medium = _good_partner(name="Bonne fiche à quatre mois", last_verified_on=today - relativedelta(months=4))
    PartnerFactory(name="Sans adresse", email="")
    PartnerFactory(name="Non publié", email="x@exemple.fr", is_published=False)
    asked = _good_partner(name="Déjà sollicité")
    VerificationRequestFactory(partner=asked)
    due = {partner.name for partner in services.partners_due()}
    assert due == {never.name, stale.name, weak.name}
    assert fresh.name not in due and medium.name not in due


def test_the_request_email_is_french_text_and_html(django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    partner = _good_partner(name="Mission locale")
    with django_capture_on_commit_callbacks(execute=False):
        request = services.verification_request_create(partner=partner)
    assert services.verification_request_send(request_id=request.pk) is True
    assert services.verification_request_send(request_id=request.pk) is False  # Once.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contact@exemple.fr"]
    assert "Mission locale" in message.subject
    assert request.link in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and request.link.replace("&", "&amp;") in html
    assert "valable jusqu’au" in message.body


def test_token_is_signed_and_expires(client):
    request = VerificationRequestFactory()
    assert services.request_from_token(request.token).request == request
    forged = signing.dumps({"r": request.pk, "n": "devine"}, salt=TOKEN_SALT, compress=True)
    assert services.request_from_token(forged).request is None
    assert services.request_from_token("n-importe-quoi").request is None
    assert client.get(f"/partenaires/verification/{forged}/").status_code == 404
    expired = VerificationRequestFactory(expired=True)
    assert client.get(f"/partenaires/verification/{expired.token}/").status_code == 410
    answered = VerificationRequestFactory(answered=True)
    assert client.get(f"/partenaires/verification/{answered.token}/").status_code == 410


def test_the_link_page_sets_no_cookie_and_changes_nothing(client):
    request = VerificationRequestFactory(partner=PartnerFactory(name="France Services Joinville"))
    response = client.get(f"/partenaires/verification/{request.token}/")
    assert response.status_code == 200
    assert "France Services Joinville" in response.content.decode()
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    request.refresh_from_db()
    assert request.answered_at is None


def test_the_link_page_never_shows_contacts(client):
    request = VerificationRequestFactory()
    PartnerContactFactory(partner=request.partner, name="Camille Secrète", notes="Note interne")
    text = client.get(f"/partenaires/verification/{request.token}/").content.decode()
    assert "Camille" not in text and "Note interne" not in text


def test_confirm_updates_last_verified(client):
    request = VerificationRequestFactory()
    url = f"/partenaires/verification/{request.token}/confirmer/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200
    assert "confirmée" in response.content.decode()
    request.partner.refresh_from_db()
    assert request.partner.last_verified_on == timezone.localdate()
    request.refresh_from_db()
    assert request.confirmed and request.answered_at
    assert client.post(url).status_code == 410  # A link serves once.


def test_propose_changes_then_publish_with_a_diff(client, client_for, maison_saint_dizier):
    partner = PartnerFactory(phone="03 25 00 00 00", website="https://ancien.exemple.fr", last_verified_on=None)
    request = VerificationRequestFactory(partner=partner)
    url = f"/partenaires/verification/{request.token}/modifier/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "description": partner.description,
        "address": partner.address,
        "postal_code": partner.postal_code,
        "commune": "",
        "phone": "03 25 11 22 33",
        "email": partner.email,
        "website": "https://nouveau.exemple.fr",
        "opening_hours": "Mo-Fr 09:00-12:00",
        "comment": "Nous ne tenons plus de permanence le jeudi.",
    }
    response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    proposal = ChangeProposal.objects.get()
    assert proposal.changes == {
        "phone": "03 25 11 22 33",
        "website": "https://nouveau.exemple.fr",
        "opening_hours": "Mo-Fr 09:00-12:00",
    }
    partner.refresh_from_db()
    assert partner.phone == "03 25 00 00 00"  # Nothing published before the review.

    lead = client_for(Role.PROJECT_LEAD)
    listing = lead.get("/gestion/partenaires/verifications/").content.decode()
    assert partner.name in listing
    page = lead.get(f"/gestion/partenaires/verifications/{proposal.pk}/").content.decode()
    assert "03 25 00 00 00" in page and "03 25 11 22 33" in page and "<del>" in page and "<ins>" in page
    assert "permanence le jeudi" in page
    response = lead.post(f"/gestion/partenaires/verifications/{proposal.pk}/publier/")
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.phone, partner.website) == ("03 25 11 22 33", "https://nouveau.exemple.fr")
    assert partner.last_verified_on == timezone.localdate()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED and proposal.reviewed_by is not None
    # Published twice? No.
    lead.post(f"/gestion/partenaires/verifications/{proposal.pk}/publier/")
    assert ChangeProposal.objects.get().status == ProposalStatus.PUBLISHED


def test_an_invalid_proposal_is_refused_in_french(client):
    request = VerificationRequestFactory()
    response = client.post(
        f"/partenaires/verification/{request.token}/modifier/",
        {"phone": "pas un numéro", "opening_hours": "n’importe quand", "email": "faux", "website": "ftp://x"},
    )
    assert response.status_code == 200
    assert "erreur" in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_nothing_changed_is_not_a_proposal(client):
    partner = PartnerFactory()
    request = VerificationRequestFactory(partner=partner)
    response = client.post(
        f"/partenaires/verification/{request.token}/modifier/",
        {"description": partner.description, "phone": partner.phone, "email": partner.email},
    )
    assert "Vous n’avez rien modifié" in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_reject_leaves_the_entry(client_for):
    proposal = ChangeProposalFactory()
    phone = proposal.partner.phone
    lead = client_for(Role.PROJECT_LEAD)
    assert lead.post(f"/gestion/partenaires/verifications/{proposal.pk}/ecarter/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert Partner.objects.get(pk=proposal.partner_id).phone == phone


def test_link_pages_are_rate_limited(client):
    request = VerificationRequestFactory()
    url = f"/partenaires/verification/{request.token}/"
    statuses = [client.get(url).status_code for _ in range(32)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_quality_page_lists_weakest_first(client_for, django_assert_max_num_queries):
    strong = _good_partner(name="Fiche complète")
    weak = ServiceFactory(partner=PartnerFactory(name="Fiche pauvre"), summary="", description="", name="Pauvre")
    lead = client_for(Role.PROJECT_LEAD)
    for count in (2, 20):
        for _ in range(count):
            ServiceFactory(partner=PartnerFactory())
        with django_assert_max_num_queries(14):
            response = lead.get("/gestion/partenaires/qualite/")
    text = response.content.decode()
    assert text.index("Pauvre") < text.index(strong.services.get().name)
    assert "Indiquez à qui s’adresse le service" in text
    assert weak.name in text


def test_beat_task_asks_each_due_partner(django_capture_on_commit_callbacks):
    from partenaires.verification.tasks import verification_requests_send_task

    _good_partner(name="CCAS de Chaumont")
    _good_partner(name="Vérifié hier", last_verified_on=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert verification_requests_send_task() == 1
    assert len(callbacks) == 1  # Its e-mail, queued once the request is committed.
    assert VerificationRequest.objects.get().partner.name == "CCAS de Chaumont"
    assert verification_requests_send_task() == 0  # Asked already: not again before the link expires.


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_request_once(celery_worker_thread, smtp_inbox):
    from partenaires.verification.tasks import verification_request_send_task

    partner = _good_partner(name="CCAS de Chaumont")
    request = VerificationRequest.objects.create(
        partner=partner, email=partner.email, expires_at=timezone.now() + datetime.timedelta(days=30)
    )
    first = verification_request_send_task.apply_async(args=[request.pk], queue=celery_worker_thread)
    assert first.get(timeout=30) is True
    again = verification_request_send_task.apply_async(args=[request.pk], queue=celery_worker_thread)
    assert again.get(timeout=30) is False  # Already sent: never twice.
    assert len(smtp_inbox.messages) == 1
    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["contact@exemple.fr"]
    assert "CCAS de Chaumont" in message["Subject"]
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
    request.refresh_from_db()
    assert request.sent_at is not None
