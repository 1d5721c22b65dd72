"""Registration for an event (public), its cancellation by link, and the organiser's list (/gestion/).

The registration page is the only agenda page with a form, hence a CSRF cookie: the event's own page links to
it and stays cookie-free and cached (core/pagecache.py). Registrations are rate limited per client address and
per address typed (allauth's limits, `event_registration` in ACCOUNT_RATE_LIMITS, counted in Redis).
"""

import csv

from allauth.core import ratelimit
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from accounts import perms
from accounts.mixins import permission_required
from core.spreadsheets import safe_row
from events import agenda
from events.models import Occupancy

from . import services
from .forms import RegistrationForm
from .models import Registration, RegistrationStatus

RATE_LIMIT_ACTION = "event_registration"
OUTCOMES = {
    "confirmed": (
        "Votre inscription est confirmée. Un courriel de confirmation vous est envoyé, avec le lien pour annuler."
    ),
    "waiting": (
        "L’événement est complet : vous êtes sur la liste d’attente. Un courriel vous prévient si une place se libère."
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
@login_not_required
def register(request, slug):
    occurrence = get_object_or_404(agenda.public_occurrences(), slug=slug)
    rules = services.rules_for(occurrence)
    if rules is None:
        raise Http404
    outcome = OUTCOMES.get(request.GET.get("inscription", ""))
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    limited = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.consume(request, action=RATE_LIMIT_ACTION, key=email):
            limited = True
            form.add_error(
                None, "Trop d’inscriptions en peu de temps depuis cette connexion : réessayez dans quelques minutes."
            )
        else:
            try:
                registration = services.register(
                    occupancy=occurrence,
                    name=form.cleaned_data["name"],
                    email=email,
                    consent=form.fields["consent"].label,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, messages in error.message_dict.items():
                        for message in messages:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                url = reverse("agenda:register", args=[occurrence.slug])
                return redirect(f"{url}?inscription={registration.status}")
    counts = services.counts([occurrence.pk]).get(occurrence.pk, {"confirmed": 0, "waiting": 0})
    remaining = max(rules.capacity - counts["confirmed"], 0) if rules.capacity is not None else None
    response = render(
        request,
        "events/registrations/register.html",
        {
            "occurrence": occurrence,
            "start": timezone.localtime(occurrence.period.lower),
            "end": timezone.localtime(occurrence.period.upper),
            "form": form,
            "rules": rules,
            "remaining": remaining,
            "is_open": rules.is_open() and occurrence.status == "confirmed",
            "outcome": outcome,
        },
        status=429 if limited else 200,
    )
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_not_required
def cancel(request, token):
    """The link of the confirmation mail: GET asks, POST cancels (a mail client's preview never cancels)."""
    registration = Registration.from_cancel_token(token)
    if registration is None:
        raise Http404
    done = False
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        services.cancel(registration=registration)
        registration.refresh_from_db()
        done = True
    response = render(
        request,
        "events/registrations/cancel.html",
        {
            "registration": registration,
            "occurrence": registration.occupancy,
            "start": timezone.localtime(registration.occupancy.period.lower),
            "done": done,
            "already": registration.status == RegistrationStatus.CANCELLED and not done,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# The organiser's pages (/gestion/agenda/inscriptions/) -----------------------------------------------------------


def _with_registration():
    return Occupancy.objects.filter(event__registration_enabled=True).select_related("maison", "event")


@require_safe
@permission_required(perms.can_manage_portal)
def manage_list(request):
    """Occurrences that take registrations, upcoming first, with their counts (one query per page)."""
    occurrences = (
        _with_registration()
        .filter(period__endswith__gt=timezone.now())
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )
        .order_by("period", "pk")
    )
    page = Paginator(occurrences, 30).get_page(request.GET.get("page"))
    return render(request, "events/registrations/manage_list.html", {"page_obj": page})


def _registrants(occurrence):
    return occurrence.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("status", "created_at", "pk")


@require_safe
@permission_required(perms.can_manage_portal)
def manage_detail(request, pk):
    occurrence = get_object_or_404(_with_registration(), pk=pk)
    registrants = list(_registrants(occurrence))
    return render(
        request,
        "events/registrations/manage_detail.html",
        {
            "occurrence": occurrence,
            "start": timezone.localtime(occurrence.period.lower),
            "confirmed": [r for r in registrants if r.status == RegistrationStatus.CONFIRMED],
            "waiting": [r for r in registrants if r.status == RegistrationStatus.WAITING],
        },
    )


@require_safe
@permission_required(perms.can_manage_portal)
def manage_export(request, pk):
    """The list as CSV (UTF-8 with BOM, semicolons, for spreadsheets in French); every cell formula-safe."""
    occurrence = get_object_or_404(_with_registration(), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{occurrence.pk}.csv"'
    patch_cache_control(response, private=True, no_store=True)
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Nom et prénom", "Adresse électronique", "Statut", "Inscrite le"])
    for registration in _registrants(occurrence):
        writer.writerow(
            safe_row(
                [
                    registration.name,
                    registration.email,
                    registration.get_status_display(),
                    timezone.localtime(registration.created_at).strftime("%d/%m/%Y %H:%M"),
                ]
            )
        )
    return response
