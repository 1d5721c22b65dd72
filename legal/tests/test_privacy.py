"""/donnees-personnelles/ is generated from the retention rules and their settings (invariant 3)."""

import html

from core import retention


def _page(client) -> str:
    response = client.get("/donnees-personnelles/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_retention_rule_is_on_the_privacy_page(client):
    page = _page(client)
    for rule in retention.rules():
        assert rule.data in page
        assert rule.then in page
        row = page[page.index(rule.data) :].split("</tr>")[0]
        assert f"<td>{rule.delay_in_words}</td>" in row
        assert rule.outcome.label in row


def test_the_page_follows_the_settings(client, settings):
    settings.VISIT_NOTE_RETENTION_DAYS = 30
    row = _page(client).split("Remarque libre saisie")[1].split("</tr>")[0]
    assert "<td>30 jours</td>" in row
    settings.VISIT_NOTE_RETENTION_DAYS = 14
    row = _page(client).split("Remarque libre saisie")[1].split("</tr>")[0]
    assert "<td>14 jours</td>" in row and "30 jours" not in row


def test_the_registrants_delay_is_the_one_the_purge_uses(client, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 45
    row = _page(client).split("Inscriptions à un événement")[1].split("</tr>")[0]
    assert "<td>45 jours</td>" in row


def test_the_note_purge_is_promised_only_while_its_rule_is_registered(client, settings, monkeypatch):
    settings.VISIT_NOTE_RETENTION_DAYS = 21
    sentence = "elle est effacée automatiquement au bout de 21 jours"
    assert sentence in _page(client)
    monkeypatch.delitem(retention._rules, "visit-notes")
    page = _page(client)
    assert "effacée automatiquement" not in page and "Remarque libre saisie" not in page


def test_the_page_names_the_legal_basis_the_rights_and_the_dpo(client, django_capture_on_commit_callbacks):
    from legal.models import LegalNotice

    page = _page(client)
    assert "article 6-1-e du RGPD" in page
    assert "droit d’accès, de rectification, d’effacement, de limitation et d’opposition" in page
    assert "Délégué à la protection des données, Département de la Haute-Marne" in page
    assert "ne dépose aucun cookie" in page
    with django_capture_on_commit_callbacks(execute=True):
        LegalNotice(dpo_email="dpo@example.fr").save()
    assert 'href="mailto:dpo@example.fr"' in _page(client)
