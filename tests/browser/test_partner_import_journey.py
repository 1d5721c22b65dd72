"""As the project lead: import a file of partners with two faulty rows, read the report, fix the file, import it
(issue 7, « Browser journeys »). Every page of the way without an accessibility violation."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from maisons.tests.factories import CommuneFactory
from partenaires.models import Partner
from partenaires.themes import themes_sync

from .axe import assert_no_axe_violations

FIXTURES = Path(__file__).resolve().parents[2] / "partenaires" / "tests" / "fixtures"


@pytest.fixture
def communes():
    themes_sync()  # A live server test's flush removes the themes the migration loads.
    for code, name in [("52121", "Chaumont"), ("52269", "Langres"), ("52448", "Saint-Dizier")]:
        CommuneFactory(code_insee=code, name=name, departement="52", region="44")


def test_import_a_file_with_two_faulty_rows_fix_it_and_import_it(page_as, live_server, communes, tmp_path):
    page = page_as(Role.PROJECT_LEAD)
    page.goto(live_server.url + "/gestion/partenaires/")
    page.get_by_role("link", name="Importer un fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des partenaires")
    assert_no_axe_violations(page)

    page.get_by_label("organisations").check()
    page.get_by_label("Fichier").set_input_files(FIXTURES / "organisations_deux_erreurs.csv")
    page.get_by_role("button", name="Vérifier le fichier").click()

    # The report: two rows, each with its line, its column and the reason; nothing imported.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import « organisations_deux_erreurs.csv »")
    expect(page.get_by_role("status")).to_contain_text("erreurs à corriger")
    expect(page.get_by_role("alert").first).to_contain_text("2 erreurs sur 4 lignes : rien n’a été importé.")
    errors = page.get_by_role("table", name=re.compile("Lignes à corriger"))
    email_row = errors.get_by_role("row", name=re.compile("^4 courriel"))
    expect(email_row).to_contain_text("Saisissez une adresse de courriel valide.")
    expect(errors.get_by_role("row", name=re.compile("^5 commune_insee"))).to_contain_text("commune inconnue")
    assert_no_axe_violations(page)
    page.screenshot(path=str(tmp_path / "rapport-erreurs.png"), full_page=True)
    assert Partner.objects.count() == 0

    # The fixed file: checked, then what it will do, then imported.
    page.get_by_role("link", name="Déposer le fichier corrigé").click()
    page.get_by_label("organisations").check()
    page.get_by_label("Fichier").set_input_files(FIXTURES / "organisations_corrige.csv")
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("status")).to_contain_text("vérifié, prêt à importer")
    expect(page.get_by_role("table", name=re.compile("Ce que l’import va faire"))).to_contain_text("4")
    assert_no_axe_violations(page)
    assert Partner.objects.count() == 0

    page.get_by_role("button", name="Importer ces 4 lignes").click()
    expect(page.get_by_text("État : importé")).to_be_visible()
    expect(page.get_by_text("est importé : 4 créations")).to_be_visible()
    assert_no_axe_violations(page)
    page.screenshot(path=str(tmp_path / "import-fait.png"), full_page=True)
    assert Partner.objects.count() == 4
    assert Partner.objects.get(slug="relais-emploi").email == "relais@emploi-langres.exemple.fr"
