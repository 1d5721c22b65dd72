"""The partner directory: public pages (/partenaires/) and the project lead's pages (/gestion/partenaires/).

The public pages run at most 8 SQL queries uncached whatever the amount of data (partenaires/tests/test_views.py).
Permanences come from the events app through partenaires/permanences.py (the dependency rule of DESIGN.md).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from accounts import perms
from accounts.mixins import permission_required
from core.pagination import WindowCountPaginator
from maisons.models import Commune

from . import imports, permanences, resources, services
from .forms import DirectoryFilterForm, ExportForm, ImportForm, PartnerContactForm, PartnerForm, ServiceForm
from .models import ImportJob, ImportStatus, Partner, Theme
from .structured_data import json_ld_script, partner_json_ld

PAGE_SIZE = 20


@transaction.non_atomic_requests  # Only reads: no transaction, no savepoint queries.
@require_safe
@login_not_required
def directory(request):
    """Search the directory by words, theme and commune; each result with its next permanence in a Maison."""
    themes = list(Theme.objects.order_by("position"))
    form = DirectoryFilterForm(request.GET or None, themes=themes)
    # Not the search vector (the partner's and its services' words): ranking reads it, the page does not.
    partners = Partner.objects.published().defer("search_vector").select_related("commune").prefetch_related("themes")
    filtered = form.is_bound and form.is_valid()
    partners = form.filter_queryset(partners) if filtered else partners.order_by("name")
    if form.is_bound and not filtered:
        partners = partners.none()
    # Ranked by relevance, a search reads every match: its page counts them in the same query.
    paginator = WindowCountPaginator if filtered and form.cleaned_data.get("q") else Paginator
    page = paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    next_permanences = permanences.next_by_partner(partner.pk for partner in page)
    results = [(partner, next_permanences.get(partner.pk)) for partner in page]
    return render(
        request,
        "partenaires/directory.html",
        {
            "form": form,
            "page_obj": page,
            "results": results,
            "searched": filtered and any(form.cleaned_data.values()),
        },
    )


@transaction.non_atomic_requests
@require_safe
@login_not_required
def partner_detail(request, slug):
    """A partner's page: presentation, contact, hours in French, services, next permanences; for reception agents,
    the project lead and administrators, its internal contacts too (and entries not in the public directory)."""
    is_staff_reader = perms.can_see_partner_contacts(request.user)
    visible = Partner.objects.all() if is_staff_reader else Partner.objects.published()
    partner = get_object_or_404(visible.select_related("commune").prefetch_related("themes"), slug=slug)
    service_list = partner.services.all() if is_staff_reader else partner.services.published()
    service_list = list(
        service_list.prefetch_related(
            "themes", Prefetch("communes", queryset=Commune.objects.only("code_insee", "name"))
        )
    )
    epci_codes = {code for service in service_list for code in service.epci_codes}
    epci_names = (
        dict(Commune.objects.filter(epci_siren__in=epci_codes).values_list("epci_siren", "epci_name").distinct())
        if epci_codes
        else {}
    )
    for service in service_list:
        service.epci_names = [epci_names.get(code, code) for code in service.epci_codes]
    url = request.build_absolute_uri(partner.get_absolute_url())
    public_services = [service for service in service_list if service.is_published]
    context = {
        "partner": partner,
        "hours": partner.hours().lines(),
        "services": service_list,
        "permanences": permanences.upcoming(partner.pk),
        "json_ld": json_ld_script(partner_json_ld(partner, public_services, url=url)) if partner.is_listed else "",
        "is_staff_reader": is_staff_reader,
        "can_manage": perms.can_manage_partners(request.user),
    }
    if is_staff_reader:
        context["contacts"] = list(partner.contacts.all())
    response = render(request, "partenaires/partner_detail.html", context)
    if is_staff_reader:  # The staff block must never sit in a shared or browser cache (core/pagecache.py).
        patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response


# The project lead's pages --------------------------------------------------------------------------------------


@require_safe
@permission_required(perms.can_manage_partners)
def manage_list(request):
    """Every partner, retired ones included, with what the public sees of each."""
    partners = Partner.objects.select_related("commune").order_by("retired_at", "name")
    query = " ".join(request.GET.get("q", "").split())[:100]
    if query:
        partners = partners.filter(name__unaccent__icontains=query) | partners.filter(acronym__iexact=query)
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    return render(request, "partenaires/manage_list.html", {"page_obj": page, "query": query})


@permission_required(perms.can_manage_partners)
def partner_create(request):
    form = PartnerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        partner = services.partner_save(partner=form.save(commit=False), themes=form.cleaned_data["themes"])
        messages.success(request, f"Le partenaire « {partner.name} » est créé.")
        return redirect("partenaires:manage_edit", slug=partner.slug)
    return render(request, "partenaires/partner_form.html", {"form": form, "partner": None})


@permission_required(perms.can_manage_partners)
def partner_edit(request, slug):
    """The partner's form, and from there its services and contacts, and its retirement."""
    partner = get_object_or_404(Partner, slug=slug)
    form = PartnerForm(request.POST or None, request.FILES or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        partner = services.partner_save(partner=form.save(commit=False), themes=form.cleaned_data["themes"])
        messages.success(request, f"La fiche de « {partner.name} » est enregistrée.")
        return redirect("partenaires:manage_edit", slug=partner.slug)
    if request.method == "POST":  # The form was not saved: the page shows the row as it is in the database.
        partner.refresh_from_db()
    return render(
        request,
        "partenaires/partner_form.html",
        {
            "form": form,
            "partner": partner,
            "services": partner.services.all(),
            "contacts": partner.contacts.all(),
        },
    )


@require_POST
@permission_required(perms.can_manage_partners)
def partner_retire(request, slug):
    partner = get_object_or_404(Partner.objects.active(), slug=slug)
    services.partner_retire(partner=partner)
    messages.success(
        request,
        f"« {partner.name} » est retiré de l’annuaire. Il reste dans l’historique de l’accueil et des permanences.",
    )
    return redirect("partenaires:manage_list")


@require_POST
@permission_required(perms.can_manage_partners)
def partner_restore(request, slug):
    partner = get_object_or_404(Partner.objects.filter(retired_at__isnull=False), slug=slug)
    services.partner_restore(partner=partner)
    messages.success(request, f"« {partner.name} » est de retour dans l’annuaire.")
    return redirect("partenaires:manage_edit", slug=partner.slug)


def _service_form_page(request, partner, service):
    form = ServiceForm(request.POST or None, instance=service, partner=partner)
    if request.method == "POST" and form.is_valid():
        saved = services.service_save(
            service=form.save(commit=False), themes=form.cleaned_data["themes"], communes=form.cleaned_data["communes"]
        )
        messages.success(request, f"Le service « {saved.name} » est enregistré.")
        return redirect("partenaires:manage_edit", slug=partner.slug)
    return render(request, "partenaires/service_form.html", {"form": form, "partner": partner, "service": service})


@permission_required(perms.can_manage_partners)
def service_create(request, slug):
    return _service_form_page(request, get_object_or_404(Partner, slug=slug), None)


@permission_required(perms.can_manage_partners)
def service_edit(request, slug, pk):
    partner = get_object_or_404(Partner, slug=slug)
    return _service_form_page(request, partner, get_object_or_404(partner.services, pk=pk))


@require_POST
@permission_required(perms.can_manage_partners)
def service_delete(request, slug, pk):
    partner = get_object_or_404(Partner, slug=slug)
    service = get_object_or_404(partner.services, pk=pk)
    services.service_delete(service=service)
    messages.success(request, f"Le service « {service.name} » est supprimé.")
    return redirect("partenaires:manage_edit", slug=partner.slug)


def _contact_form_page(request, partner, contact):
    form = PartnerContactForm(request.POST or None, instance=contact, partner=partner)
    if request.method == "POST" and form.is_valid():
        saved = services.contact_save(contact=form.save(commit=False))
        messages.success(request, f"Le contact « {saved.name} » est enregistré.")
        return redirect("partenaires:manage_edit", slug=partner.slug)
    return render(request, "partenaires/contact_form.html", {"form": form, "partner": partner, "contact": contact})


@permission_required(perms.can_manage_partners)
def contact_create(request, slug):
    return _contact_form_page(request, get_object_or_404(Partner, slug=slug), None)


@permission_required(perms.can_manage_partners)
def contact_edit(request, slug, pk):
    partner = get_object_or_404(Partner, slug=slug)
    return _contact_form_page(request, partner, get_object_or_404(partner.contacts, pk=pk))


@require_POST
@permission_required(perms.can_manage_partners)
def contact_delete(request, slug, pk):
    partner = get_object_or_404(Partner, slug=slug)
    contact = get_object_or_404(partner.contacts, pk=pk)
    services.contact_delete(contact=contact)
    messages.success(request, f"Le contact « {contact.name} » est supprimé.")
    return redirect("partenaires:manage_edit", slug=partner.slug)


# Import and export (/gestion/partenaires/importer/, /gestion/partenaires/exporter/) -------------------------------


@permission_required(perms.can_import_partners)
def import_start(request):
    """Send a file: it is checked at once (a small file) or by a worker (a large one), then its report shows."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.import_job_create(
            author=request.user,
            kind=form.cleaned_data["kind"],
            file_name=form.cleaned_data["file"].name,
            file_format=form.cleaned_data["file_format"],
            content=form.cleaned_data["content"],
        )
        return redirect("partenaires:import_detail", pk=job.pk)
    jobs = ImportJob.objects.select_related("author").defer("content", "report")[:10]
    return render(
        request,
        "partenaires/import_start.html",
        {"form": form, "jobs": jobs, "columns": imports.COLUMNS},
    )


@require_safe
@permission_required(perms.can_import_partners)
def import_detail(request, pk):
    """A job: its progress while a worker checks or imports the file (the page asks again every two seconds, by
    htmx, or by a refresh without JavaScript), then its report: the faulty rows, or what the import changes."""
    job = get_object_or_404(ImportJob.objects.select_related("author").defer("content"), pk=pk)
    done, total = imports.job_progress(job)
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": min(100, round(100 * done / total)) if total else 0,
        "report": {"file_errors": [], "row_errors": [], "warnings": [], "rows": [], **job.report},
    }
    template = "partenaires/includes/import_job.html" if request.headers.get("HX-Request") else None
    response = render(request, template or "partenaires/import_detail.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _s(count: int) -> str:
    """French plural: « 0 modification », « 1 création », « 2 créations »."""
    return "s" if count > 1 else ""


@require_POST
@permission_required(perms.can_import_partners)
def import_confirm(request, pk):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    if job.status != ImportStatus.CHECKED:
        messages.error(request, "Ce fichier n’est pas prêt à importer : déposez-le à nouveau.")
        return redirect("partenaires:import_detail", pk=job.pk)
    job = imports.import_job_confirm(job=ImportJob.objects.get(pk=job.pk))
    if job.status == ImportStatus.DONE:
        created, updated, unchanged = job.created_count, job.updated_count, job.unchanged_count
        messages.success(
            request,
            f"« {job.file_name} » est importé : {created} création{_s(created)}, "
            f"{updated} modification{_s(updated)}, {unchanged} ligne{_s(unchanged)} inchangée{_s(unchanged)}.",
        )
    return redirect("partenaires:import_detail", pk=job.pk)


@require_safe
@permission_required(perms.can_import_partners)
def export(request):
    """Download organisations, services or internal contacts as CSV, XLSX or ODS, in the columns of the import,
    every cell safe to open in a spreadsheet (core/spreadsheets.py). Internal contacts are staff-only data: only the
    roles that manage the directory reach this page."""
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
        data = resources.export(kind, file_format)
        response = HttpResponse(data, content_type=resources.CONTENT_TYPES[file_format])
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="partenaires-{kind}-{stamp}.{file_format}"'
        patch_cache_control(response, private=True, no_store=True)
        return response
    return render(request, "partenaires/export.html", {"form": form})
