"""The import engine (partenaires/imports.py) with real files: partenaires/tests/fixtures/."""

import datetime
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import filesizeformat

from maisons.tests.factories import CommuneFactory
from partenaires import imports
from partenaires.models import ImportKind, Partner, PartnerContact, Service
from partenaires.tests.factories import PartnerFactory
from partenaires.themes import themes_sync

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def communes():
    themes_sync()  # The migration's themes, which a transactional test's flush removes.
    for code, name in [("52121", "Chaumont"), ("52269", "Langres"), ("52448", "Saint-Dizier")]:
        CommuneFactory(code_insee=code, name=name, departement="52", region="44")


def load(name: str, kind=ImportKind.PARTNERS, *, dry_run=False, author=None):
    return imports.import_path(FIXTURES / name, kind, dry_run=dry_run, author=author)


def errors_at(report) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in report.row_errors]


def partner_history():
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Partner))


def test_a_dry_run_says_what_would_be_created_and_writes_nothing():
    report = load("organisations_propre.csv", dry_run=True)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert Partner.objects.count() == 0
    assert not partner_history().exists()


def test_a_clean_file_is_imported_with_its_themes_commune_and_dates(user_with_role):
    author = user_with_role("chef_projet")
    report = load("organisations_propre.csv", author=author)

    assert report.errors == [] and report.applied
    caf = Partner.objects.get(slug="caf-52")
    assert caf.siret == "53408366500032"
    assert caf.commune_id == "52121"
    assert caf.last_verified_on == datetime.date(2025, 3, 15)
    assert caf.holds_permanences and caf.is_published
    assert caf.themes.count() == 2
    assert caf.search_vector is not None
    # An identifier left empty is made from the name; a website without its scheme gets https://.
    assert Partner.objects.get(name="Secours populaire de Saint-Dizier").slug == "secours-populaire-de-saint-dizier"
    assert Partner.objects.get(slug="mission-locale-sud").website == "https://www.mission-locale.exemple.fr"
    # One history entry per row, by the author, even though the rows were written in bulk.
    assert partner_history().filter(action=LogEntry.Action.CREATE, actor=author).count() == 4
    entry = partner_history().get(object_id=caf.pk)
    assert entry.changes["name"] == ["None", caf.name]
    assert entry.additional_data["fichier"] == "organisations_propre.csv"


def test_importing_the_same_file_again_changes_nothing():
    load("organisations_propre.csv")
    before = list(Partner.objects.order_by("pk").values())
    history = partner_history().count()

    report = load("organisations_propre.csv")

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert list(Partner.objects.order_by("pk").values()) == before
    assert partner_history().count() == history


def test_a_changed_row_is_updated_and_its_change_recorded(tmp_path):
    load("organisations_propre.csv")
    text = (FIXTURES / "organisations_propre.csv").read_text().replace("03 25 00 11 22", "03 25 00 11 23")
    (tmp_path / "maj.csv").write_text(text)

    report = imports.import_path(tmp_path / "maj.csv", ImportKind.PARTNERS)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    caf = Partner.objects.get(slug="caf-52")
    assert caf.phone == "03 25 00 11 23"
    entry = partner_history().get(object_id=caf.pk, action=LogEntry.Action.UPDATE)
    assert entry.changes == {"phone": ["03 25 00 11 22", "03 25 00 11 23"]}


def test_rows_are_matched_by_siret_when_the_identifier_is_empty(tmp_path):
    existing = PartnerFactory(slug="caisse-allocations", name="CAF 52", siret="53408366500032")
    text = (FIXTURES / "organisations_propre.csv").read_text().replace("caf-52,", ",", 1)
    (tmp_path / "siret.csv").write_text(text)

    report = imports.import_path(tmp_path / "siret.csv", ImportKind.PARTNERS)

    assert report.errors == []
    existing.refresh_from_db()
    assert existing.name == "Caisse d’allocations familiales de la Haute-Marne"
    assert existing.slug == "caisse-allocations"
    assert not Partner.objects.filter(slug="caf-52").exists()


def test_every_kind_of_error_is_reported_with_its_line_and_column_and_nothing_is_written():
    report = load("organisations_erreurs.csv")

    assert errors_at(report) == [
        (2, "siret"),
        (3, "commune_insee"),
        (4, "thematiques"),
        (5, "courriel"),
        (6, "site_internet"),
        (7, "nom"),
        (9, "identifiant"),
    ]
    assert report.errors == [
        "Ligne 2, colonne siret : Ce numéro SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez les "
        "chiffres sur l’avis de situation SIRENE ou sur annuaire-entreprises.data.gouv.fr.",
        "Ligne 3, colonne commune_insee : commune inconnue : « 99999 » (code INSEE de la commune, par exemple "
        "52269 pour Langres).",
        "Ligne 4, colonne thematiques : thématique inconnue : « jardinage » (codes de la liste data·inclusion, par "
        "exemple « famille--garde-denfants »).",
        "Ligne 5, colonne courriel : Saisissez une adresse de courriel valide.",
        "Ligne 6, colonne site_internet : Saisissez une URL valide.",
        "Ligne 7, colonne nom : champ obligatoire : il est vide.",
        "Ligne 9, colonne identifiant : cette ligne désigne le même partenaire que la ligne 8.",
    ]
    assert not report.applied
    assert Partner.objects.count() == 0
    assert not partner_history().exists()


def test_a_duplicate_name_or_siret_in_the_file_or_the_directory_is_reported(tmp_path):
    PartnerFactory(name="Déjà là", siret="13000589300024", slug="deja-la")
    (tmp_path / "doublons.csv").write_text(
        "identifiant,nom,siret\n"
        "a,Nouveau,\n"
        "b,Nouveau,\n"
        "c,Déjà là,\n"
        "d,Autre,13000589300024\n"
        "e,Encore,77851241200017\n"
        "f,Toujours,77851241200017\n"
    )

    report = imports.import_path(tmp_path / "doublons.csv", ImportKind.PARTNERS)

    assert errors_at(report) == [(3, "nom"), (4, "nom"), (5, "siret"), (7, "siret")]
    assert "un autre partenaire de l’annuaire porte déjà ce nom" in report.errors[1]
    assert "(« Déjà là »)" in report.errors[2]


def test_a_windows_1252_semicolon_file_from_a_spreadsheet_is_read():
    report = load("organisations_windows.csv")

    assert report.errors == [] and report.created == 2
    maison = Partner.objects.get(slug="maison-emploi")
    assert maison.name == "Maison de l’emploi et de la formation"
    assert maison.description == "Ateliers CV; entretiens « blancs »."
    assert maison.last_verified_on == datetime.date(2025, 1, 5)
    assert maison.holds_permanences
    assert Partner.objects.get(slug="centre-social").name == "Centre social Élan"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_utf8_with_or_without_bom_and_either_separator(tmp_path, bom, delimiter):
    text = f"identifiant{delimiter}nom{delimiter}type\nrelais{delimiter}Relais d’Été{delimiter}Association\n"
    (tmp_path / "f.csv").write_bytes(bom + text.encode())

    report = imports.import_path(tmp_path / "f.csv", ImportKind.PARTNERS)

    assert report.errors == []
    assert Partner.objects.get(slug="relais").name == "Relais d’Été"


def test_an_xlsx_formula_is_refused_by_name_and_dates_are_read(tmp_path):
    report = load("organisations_dates_formules.xlsx")

    assert report.errors == [
        "Ligne 4, colonne verifiee_le : la cellule contient une formule : collez plutôt sa valeur."
    ]
    assert Partner.objects.count() == 0

    workbook = openpyxl.load_workbook(FIXTURES / "organisations_dates_formules.xlsx")
    workbook.active.delete_rows(4)
    workbook.save(tmp_path / "sans_formule.xlsx")
    report = imports.import_path(tmp_path / "sans_formule.xlsx", ImportKind.PARTNERS)

    assert report.errors == []
    ccas = Partner.objects.get(slug="ccas-langres")
    assert ccas.last_verified_on == datetime.date(2025, 2, 1)  # A date cell.
    assert ccas.siret == "41200530600011"  # A number cell.
    assert ccas.postal_code == "52200"
    assert ccas.kind == "collectivite"  # The label.
    udaf = Partner.objects.get(slug="udaf-52")
    assert udaf.last_verified_on == imports.EXCEL_EPOCH + datetime.timedelta(days=45717)  # A serial number.


def test_services_and_contacts_follow_their_partner():
    load("organisations_propre.csv")

    services = load("services_propre.csv", ImportKind.SERVICES)
    contacts = load("contacts_propre.csv", ImportKind.CONTACTS)

    assert services.errors == [] and services.created == 3
    assert contacts.errors == [] and contacts.created == 2
    caf = Partner.objects.get(slug="caf-52")
    rendez_vous = caf.services.get(name="Rendez-vous prestations")
    assert rendez_vous.audiences == ["familles", "tous-publics"]
    assert rendez_vous.access_modes == ["rendez_vous", "telephone"]
    assert sorted(caf.services.get(name="Aide au logement").communes.values_list("pk", flat=True)) == [
        "52121",
        "52269",
    ]
    # The mission locale is named by its SIRET.
    assert Service.objects.get(name="Garantie jeunes").partner.slug == "mission-locale-sud"
    assert PartnerContact.objects.get(name="Camille Fictif").partner == caf
    # The partner's search now finds its services.
    assert Partner.objects.filter(search_vector="prestations").exists()
    # Again: nothing changes.
    assert load("services_propre.csv", ImportKind.SERVICES).unchanged == 3
    assert load("contacts_propre.csv", ImportKind.CONTACTS).unchanged == 2


def test_a_service_of_an_unknown_partner_is_reported(tmp_path):
    (tmp_path / "s.csv").write_text("partenaire,nom,territoire,intercommunalites\ninconnu,Aide,,\n")
    report = imports.import_path(tmp_path / "s.csv", ImportKind.SERVICES)
    assert errors_at(report) == [(2, "partenaire")]
    assert "partenaire inconnu « inconnu »" in report.errors[0]


def test_missing_required_columns_are_named(tmp_path):
    (tmp_path / "s.csv").write_text("sigle,siret\nCAF,\n")
    report = imports.import_path(tmp_path / "s.csv", ImportKind.PARTNERS)
    assert report.errors == ["Colonnes manquantes : nom."]


def test_an_unknown_column_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "s.csv").write_text("nom,couleur\nRelais,bleu\n")
    report = imports.import_path(tmp_path / "s.csv", ImportKind.PARTNERS)
    assert report.errors == []
    assert report.warnings == ["La colonne « couleur » n’est pas une colonne de l’import : elle est ignorée."]


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused(tmp_path):
    (tmp_path / "s.csv").write_bytes(b"nom\n\x81\x8d\x8f\n")
    report = imports.import_path(tmp_path / "s.csv", ImportKind.PARTNERS)
    assert report.errors == ["Le fichier n’est pas encodé en UTF-8."]


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_opened(tmp_path, settings):
    settings.PARTNER_IMPORT_MAX_UNPACKED_SIZE = 1024 * 1024
    shutil.copy(FIXTURES / "organisations_propre.csv", tmp_path / "x.csv")
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    (tmp_path / "bombe.xlsx").write_bytes(buffer.getvalue())

    report = imports.import_path(tmp_path / "bombe.xlsx", ImportKind.PARTNERS)

    assert len(buffer.getvalue()) < 20_000
    assert report.errors == [
        f"Ce classeur se décompresse en {filesizeformat(5 * 1024 * 1024)}, au-delà de la limite de "
        f"{filesizeformat(1024 * 1024)} : il est refusé. Enregistrez-le à nouveau depuis votre tableur, ou en CSV."
    ]
