"""A reception agent of Langres logs five different visits with the keyboard alone and finds them in today's list
and in the week's statistics; an agent of Langres cannot see nor change Saint-Dizier's visits, even by direct URL,
nor find them in the statistics (issue 8, « Browser journeys »).
The entry screen and the statistics have no axe violation."""

from playwright.sync_api import expect

from accounts.enums import Role
from accueil.models import Visit
from accueil.reference import reasons_sync
from accueil.tests.factories import VisitFactory

from .axe import assert_no_axe_violations


def test_an_agent_logs_five_visits_with_the_keyboard_alone(page, live_server, sign_in, user_with_role, maison_langres):
    reasons_sync()
    sign_in(user_with_role(Role.AGENT, maisons=[maison_langres]))
    page.goto(f"{live_server.url}/accueil/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accueil des visiteurs")
    assert_no_axe_violations(page)
    labels = []
    for key in ("1", "2", "3", "4", "5"):
        page.keyboard.press(key)
        box = page.locator(f"[data-shortcut='{key}']")
        expect(box).to_be_checked()
        labels.append(page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().split(" ", 1)[1])
        page.keyboard.press("Enter")  # Two interactions: a reason, then Enter.
        expect(page.get_by_role("status").filter(has_text="Visite enregistrée")).to_be_visible()
        expect(page.locator("#reception-counters")).to_contain_text(f"Aujourd’hui : {len(labels)}")
        expect(box).not_to_be_checked()  # The form is empty again, ready for the next visitor.
    today = page.get_by_role("region", name="Visites d’aujourd’hui")
    for label in labels:
        expect(today).to_contain_text(label)
    assert Visit.objects.count() == 5
    assert_no_axe_violations(page)

    # The week's statistics count them, reason by reason.
    page.goto(f"{live_server.url}/accueil/statistiques/?periode=semaine")
    visits = page.locator(".key-figure").filter(has=page.get_by_text("Visites", exact=True))
    expect(visits.locator(".key-figure__value")).to_have_text("5")
    charts = page.locator("main")
    for label in labels:
        expect(charts).to_contain_text(label)
    assert_no_axe_violations(page)


def test_a_langres_agent_cannot_see_or_change_saint_dizier_visits(
    page, live_server, sign_in, user_with_role, maison_langres, maison_saint_dizier
):
    reasons_sync()
    colleague = user_with_role(Role.AGENT, maisons=[maison_saint_dizier])
    visit = VisitFactory(maison=maison_saint_dizier, agent=colleague, other_motif="")
    sign_in(user_with_role(Role.AGENT, maisons=[maison_langres]))
    page.goto(f"{live_server.url}/accueil/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Langres")
    expect(page.locator("main")).not_to_contain_text("Saint-Dizier")
    for url in (f"/accueil/visites/{visit.pk}/modifier/", f"/accueil/visites/{visit.pk}/mise-en-relation/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404
    assert Visit.objects.filter(pk=visit.pk, deleted_at__isnull=True).exists()
    page.goto(f"{live_server.url}/accueil/statistiques/?periode=semaine")
    expect(page.get_by_label("Maison")).not_to_contain_text("Saint-Dizier")
    expect(page.locator("main")).not_to_contain_text("Maison du Département de Saint-Dizier")


def test_an_agent_orients_a_visitor_to_a_partner_found_by_typing(
    page, live_server, sign_in, user_with_role, maison_langres
):
    """The partner field: a few letters, the directory's suggestions, the arrow keys and Enter; no axe violation with
    the suggestions open; the visit logged with that partner, and the next one on the fresh form."""
    from partenaires.tests.factories import PartnerFactory

    reasons_sync()
    PartnerFactory(name="Caisse d’allocations familiales de la Haute-Marne", acronym="CAF")
    cpam = PartnerFactory(name="Caisse primaire d’assurance maladie", acronym="CPAM")
    PartnerFactory(name="Caisse en brouillon", is_published=False)
    sign_in(user_with_role(Role.AGENT, maisons=[maison_langres]))
    page.goto(f"{live_server.url}/accueil/")
    page.keyboard.press("1")
    page.get_by_label("Orienté vers un partenaire").check()
    field = page.get_by_role("combobox", name="Partenaire")
    field.focus()
    page.keyboard.type("caisse")
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_count(2)  # Not the draft.
    expect(field).to_have_attribute("aria-expanded", "true")
    assert_no_axe_violations(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(suggestions.get_by_role("option", selected=True)).to_contain_text("Caisse primaire")
    page.keyboard.press("Enter")  # Chooses; does not send the form yet.
    expect(field).to_have_value(cpam.name)
    expect(suggestions).to_be_hidden()
    assert not Visit.objects.exists()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Visite enregistrée")).to_be_visible()
    expect(page.locator("#reception-counters")).to_contain_text("Aujourd’hui : 1")
    expect(page.get_by_role("region", name="Visites d’aujourd’hui")).to_contain_text(cpam.name)
    assert Visit.objects.get().partner == cpam
    # The fresh form: the partner field empty again, Escape closes the suggestions without clearing the form.
    expect(page.get_by_role("combobox", name="Partenaire")).to_have_value("")
    page.keyboard.press("2")
    page.get_by_role("combobox", name="Partenaire").focus()
    page.keyboard.type("cpam")
    expect(suggestions.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(page.locator("[data-shortcut='2']")).to_be_checked()
    assert_no_axe_violations(page)
