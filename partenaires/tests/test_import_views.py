"""Import and export through HTTP: /gestion/partenaires/importer/, /gestion/partenaires/exporter/, the admin."""

import csv
import datetime
import io
import zipfile
from pathlib import Path

import pytest
import tablib
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from accounts.enums import Role
from config.celery import app as celery_app
from maisons.tests.factories import CommuneFactory
from partenaires import imports
from partenaires.models import ImportJob, ImportKind, ImportStatus, Partner
from partenaires.tests.factories import PartnerContactFactory, PartnerFactory, ServiceFactory, theme
from partenaires.themes import themes_sync

FIXTURES = Path(__file__).parent / "fixtures"
START = "/gestion/partenaires/importer/"
EXPORT = "/gestion/partenaires/exporter/"


@pytest.fixture(autouse=True)
def communes():
    themes_sync()  # The migration's themes, which a transactional test's flush removes.
    for code, name in [("52121", "Chaumont"), ("52269", "Langres"), ("52448", "Saint-Dizier")]:
        CommuneFactory(code_insee=code, name=name, departement="52", region="44")


def upload(name: str, content: bytes | None = None):
    return SimpleUploadedFile(name, content if content is not None else (FIXTURES / name).read_bytes())


def post_file(client, name, content=None, kind=ImportKind.PARTNERS):
    return client.post(START, {"kind": kind, "file": upload(name, content)})


def test_the_project_lead_checks_then_imports_a_file(client_for, user_with_role):
    client = client_for(Role.PROJECT_LEAD)

    response = post_file(client, "organisations_propre.csv")

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{START}{job.pk}/"
    assert job.status == ImportStatus.CHECKED and job.created_count == 4
    assert Partner.objects.count() == 0  # The check writes nothing.
    page = client.get(response["Location"]).content.decode()
    assert "Ce que l’import va faire" in page and "Importer ces 4 lignes" in page
    assert "hx-trigger" not in page  # Nothing to wait for.

    response = client.post(f"{START}{job.pk}/confirmer/", follow=True)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.content == b""
    assert Partner.objects.count() == 4
    assert "est importé : 4 créations, 0 modification, 0 ligne inchangée" in response.content.decode()
    # The audit trail: the import itself (file, author, counts), and each row.
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(ImportJob), object_id=job.pk)
    assert entry.actor == job.author
    assert entry.additional_data == {
        "fichier": "organisations_propre.csv",
        "créées": 4,
        "modifiées": 0,
        "inchangées": 0,
    }
    partner_type = ContentType.objects.get_for_model(Partner)
    assert LogEntry.objects.filter(content_type=partner_type, actor=job.author).count() == 4
    # Confirming again does nothing.
    client.post(f"{START}{job.pk}/confirmer/")
    assert Partner.objects.count() == 4


def test_a_faulty_file_is_reported_row_by_row_and_not_kept(client_for):
    client = client_for(Role.PROJECT_LEAD)

    response = post_file(client, "organisations_erreurs.csv", kind=ImportKind.PARTNERS)

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID and job.error_count == 7 and job.content == b""
    page = client.get(response["Location"]).content.decode()
    assert "7 erreurs sur 9 lignes : rien n’a été importé." in page
    assert "<code>courriel</code>" in page and "Saisissez une adresse de courriel valide." in page
    assert "Importer ces" not in page
    assert client.post(f"{START}{job.pk}/confirmer/").status_code == 302
    assert Partner.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("image.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Le contenu de ce fichier n’est pas d’un type accepté"),
        (
            "page.csv",
            b"<html><script>alert(1)</script></html>",
            "Le contenu de ce fichier n’est pas d’un type accepté",
        ),
        ("tableur.xlsx", b"nom\nCAF\n", "L’extension de ce fichier (« xlsx ») ne correspond pas à son contenu (CSV)."),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(client_for, name, content, message):
    response = post_file(client_for(Role.PROJECT_LEAD), name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_too_large_is_refused(client_for, settings):
    settings.PARTNER_IMPORT_MAX_SIZE = 1000
    response = post_file(client_for(Role.PROJECT_LEAD), "organisations_propre.csv")
    size = len((FIXTURES / "organisations_propre.csv").read_bytes())
    message = f"Ce fichier pèse {filesizeformat(size)} : la taille maximale est de {filesizeformat(1000)}."
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_named_xlsx_is_refused(client_for, settings):
    settings.PARTNER_IMPORT_MAX_UNPACKED_SIZE = 1024 * 1024
    workbook = io.BytesIO((FIXTURES / "organisations_dates_formules.xlsx").read_bytes())
    buffer = io.BytesIO()
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            bomb.writestr(member, source.read(member))
        bomb.writestr("xl/media/padding.bin", b"\x00" * (3 * 1024 * 1024))

    response = post_file(client_for(Role.PROJECT_LEAD), "bombe.xlsx", buffer.getvalue())

    assert f"au-delà de la limite de {filesizeformat(1024 * 1024)} : il est refusé" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.ELECTED, Role.COMMUNICATION, None])
def test_other_roles_can_neither_import_nor_export(client_for, role):
    client = client_for(role)
    assert client.get(START).status_code == 403
    assert post_file(client, "organisations_propre.csv").status_code == 403
    assert client.get(EXPORT, {"kind": "contacts", "file_format": "csv"}).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_public_never_gets_an_export(client):
    PartnerContactFactory(notes="Code de la porte : 1234")
    response = client.get(EXPORT, {"kind": "contacts", "file_format": "csv"})
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")


def _rows(data: bytes, file_format: str) -> list[list]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    dataset = tablib.Dataset().load(io.BytesIO(data) if file_format == "xlsx" else data, format=file_format)
    return [list(dataset.headers), *[list(row) for row in dataset]]


HOSTILE = ['=HYPERLINK("https://exemple.test")', "+33 3 25", "-1+1", "@SOMME(A1)", "\tTab", "\rRetour"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_every_exported_cell_is_safe_in_every_format(client_for, file_format):
    partner = PartnerFactory(name=HOSTILE[0], acronym="=1+1", description=HOSTILE[1], source=HOSTILE[3])
    ServiceFactory(partner=partner, name=HOSTILE[2], summary=HOSTILE[4])
    PartnerContactFactory(partner=partner, name="@Camille", notes="=SOMME(A1:A9)", role=HOSTILE[5])
    client = client_for(Role.PROJECT_LEAD)

    cells = []
    for kind in ImportKind.values:
        response = client.get(EXPORT, {"kind": kind, "file_format": file_format})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(f'attachment; filename="partenaires-{kind}-')
        cells += [cell for row in _rows(response.content, file_format) for cell in row if isinstance(cell, str)]

    for value in [*HOSTILE, "=1+1", "@Camille", "=SOMME(A1:A9)"]:
        if file_format != "csv" and value.startswith("\r"):
            continue  # The spreadsheet libraries turn a carriage return into a line break; still after the « ' ».
        assert "'" + value in cells, value
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_an_export_imports_back_unchanged(client_for, file_format):
    partner = PartnerFactory(
        name="-Association",
        siret="53408366500032",
        themes=[theme("famille--soutien-a-la-parentalite-et-a-leducation")],
    )
    partner.commune_id = "52269"
    partner.save()
    ServiceFactory(partner=partner, name="Accueil", audiences=["familles", "jeunes"], access_modes=["sur_place"])
    PartnerContactFactory(partner=partner)
    client = client_for(Role.PROJECT_LEAD)

    for kind in ImportKind.values:
        data = client.get(EXPORT, {"kind": kind, "file_format": file_format}).content
        report = imports.check(data, file_format, kind)
        assert report.errors == [], (kind, report.errors)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1), (kind, report.rows)


def test_the_export_page_is_a_form(client_for):
    page = client_for(Role.ADMINISTRATOR).get(EXPORT).content.decode()
    assert "Exporter l’annuaire" in page and 'value="contacts"' in page


def test_the_management_list_links_to_import_and_export(client_for):
    page = client_for(Role.PROJECT_LEAD).get("/gestion/partenaires/").content.decode()
    assert f'href="{START}"' in page and f'href="{EXPORT}"' in page


# The administration ---------------------------------------------------------------------------------------------


def test_the_administrator_exports_from_the_administration_and_imports_through_the_directory(client_for):
    PartnerFactory(name="=Formule")
    client = client_for(Role.ADMINISTRATOR)

    assert client.get("/admin/partenaires/partner/import/")["Location"] == START
    page = client.get("/admin/partenaires/partner/export/")
    assert page.status_code == 200
    response = client.post(
        "/admin/partenaires/partner/export/",
        {"format": "0", "resource": "0", "partnerresource_nom": "on", "partnerresource_identifiant": "on"},
    )
    assert response.status_code == 200, response.content[:500]
    assert "'=Formule" in response.content.decode("utf-8-sig")


def test_an_account_with_every_permission_but_not_the_role_cannot_import_or_export_in_the_administration(
    user_with_role, client
):
    staff = user_with_role(Role.COMMUNICATION)
    staff.is_staff = True
    staff.save()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="partenaires"))
    client.force_login(staff)

    assert client.get("/admin/partenaires/partner/").status_code == 200  # django-import-export would let it in.
    assert client.get("/admin/partenaires/partner/import/").status_code == 403
    assert client.post("/admin/partenaires/partner/process_import/").status_code == 403
    assert client.get("/admin/partenaires/partner/export/").status_code == 403


# Background: a large file ---------------------------------------------------------------------------------------


def test_a_job_page_polls_while_a_worker_is_busy(client_for, user_with_role):
    job = ImportJob.objects.create(
        kind=ImportKind.PARTNERS, file_name="gros.csv", file_format="csv", author=user_with_role(Role.PROJECT_LEAD)
    )
    client = client_for(Role.PROJECT_LEAD)

    page = client.get(f"{START}{job.pk}/").content.decode()
    fragment = client.get(f"{START}{job.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in page and '<meta http-equiv="refresh" content="5">' in page
    assert "vendor/htmx/htmx" in page and "<script>" not in page
    assert fragment.lstrip().startswith("{") is False and "<html" not in fragment
    assert 'id="import-job"' in fragment and "<progress" in fragment


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_and_imported_by_a_real_worker(celery_worker_thread, client_for, settings):
    settings.PARTNER_IMPORT_BACKGROUND_SIZE = 10
    theme("famille--soutien-a-la-parentalite-et-a-leducation")
    theme("difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere")
    theme("choisir-un-metier--confirmer-son-choix-de-metier")
    theme("equipement-et-alimentation--electromenager")
    client = client_for(Role.PROJECT_LEAD)

    post_file(client, "organisations_propre.csv")
    job = ImportJob.objects.get()
    assert job.status in {ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.CHECKED}
    assert celery_app.AsyncResult(job.task_id).get(timeout=60) == ImportStatus.CHECKED
    job.refresh_from_db()
    assert job.created_count == 4 and Partner.objects.count() == 0

    client.post(f"{START}{job.pk}/confirmer/")
    job.refresh_from_db()
    assert job.status in {ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.DONE}
    assert celery_app.AsyncResult(job.task_id).get(timeout=60) == ImportStatus.DONE
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 4
    assert Partner.objects.count() == 4


def test_import_files_are_erased_past_their_delay_and_the_partners_stay(settings, user_with_role):
    from django.utils import timezone

    from core import retention

    settings.PARTNER_IMPORT_RETENTION_DAYS = 30
    author = user_with_role(Role.PROJECT_LEAD)
    old, recent = (
        ImportJob.objects.create(
            kind=ImportKind.PARTNERS, file_name=name, file_format="csv", content=b"x", author=author
        )
        for name in ("ancien.csv", "recent.csv")
    )
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    partner = Partner.objects.create(name="Relais emploi", slug="relais-emploi")
    assert retention.purge("partner-imports") == 1
    assert list(ImportJob.objects.values_list("file_name", flat=True)) == ["recent.csv"]
    assert Partner.objects.filter(pk=partner.pk).exists()
