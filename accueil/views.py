"""The reception screen (/accueil/): log a visit in a few keystrokes, see and correct today's entries.

With htmx the form and today's list are swapped in place (`HX-Request`); without JavaScript every POST redirects
back to the screen (post/redirect/get). Objects are fetched through the person's Maisons (invariant 4)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import perms as account_perms
from accounts.mixins import permission_required
from maisons.models import Commune
from partenaires import search as partner_search
from partenaires.models import Partner

from . import perms, services
from .forms import ABROAD, PARTNER_CHOICES, MaisonChoiceForm, ReferralAnswerForm, ReferralForm, VisitForm
from .models import Referral, Visit

SESSION_KEY = "accueil_maison"
SUGGESTION_MIN_LENGTH = 2


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _current_maison(request):
    """The Maison chosen once for this session; the only one when the person has one; None when they must choose."""
    maisons = perms.reception_maisons(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        maison = maisons.filter(pk=chosen).first()
        if maison is not None:
            return maison
    first_two = list(maisons[:2])
    request.has_reception_maisons = bool(first_two)
    return first_two[0] if len(first_two) == 1 else None


def _form_context(request, maison, form) -> dict:
    """What the visit form needs, and nothing else: the htmx answer to a visit logged re-renders only the form and
    sends the counters, the message and today's list beside it (hx-swap-oob)."""
    return {"maison": maison, "form": form, "top_motifs": services.most_used_motifs(maison), "user": request.user}


def _today_context(maison, now) -> dict:
    visits = list(services.todays_visits(maison, now=now))
    return {
        "counters": services.counters(maison, now=now),
        "visits": visits,
        # The last visit the list shows: the form sends it back, and the answer adds only the visits after it.
        "shown_until": max((visit.pk for visit in visits), default=0),
        "now": now,
        "undo_minutes": int(services.UNDO_DELAY.total_seconds() // 60),
    }


def _shown_until(request) -> int:
    value = request.POST.get("shown_until", "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _fragment(request, template_name: str, context: dict, **kwargs) -> HttpResponse:
    """A piece of the screen for htmx, without the page around it, so without the context processors either (the
    navigation's, the menu's: queries for nothing); the form's CSRF token is all it takes from the request."""
    return HttpResponse(render_to_string(template_name, {**context, "csrf_token": get_token(request)}), **kwargs)


def _screen_context(request, maison, form=None, *, saved=None):
    now = timezone.now()
    return {
        **_form_context(request, maison, form or VisitForm()),
        **_today_context(maison, now),
        # Haute-Marne's 426 communes, written without a template per option (a tenth of the screen's time).
        "commune_options": format_html_join(
            "",
            '<option value="{} ({})"></option>',
            Commune.objects.filter(departement="52").order_by("name").values_list("name", "code_insee"),
        ),
        "abroad": ABROAD,
        "several_maisons": perms.reception_maisons(request.user).count() > 1,
        "saved": saved,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(account_perms.can_use_reception)
def home(request):
    """The reception screen; asks once which Maison when the person has several."""
    maison = _current_maison(request)
    if maison is None:
        return maison_choose(request)
    if request.method == "POST":
        return visit_create(request, maison)
    return render(request, "accueil/home.html", _screen_context(request, maison))


def maison_choose(request):
    maisons = perms.reception_maisons(request.user)
    form = MaisonChoiceForm(request.POST or None, maisons=maisons)
    if request.method == "POST" and "maison" in request.POST and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["maison"].pk
        return redirect("accueil:home")
    has_maisons = getattr(request, "has_reception_maisons", None)
    if has_maisons is None:
        has_maisons = maisons.exists()
    return render(request, "accueil/maison_choose.html", {"form": form, "has_maisons": has_maisons})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(account_perms.can_use_reception)
def maison_change(request):
    request.session.pop(SESSION_KEY, None)
    return maison_choose(request)


def visit_create(request, maison):
    """Log a visit. Without JavaScript: post/redirect/get, or the whole screen again with the errors (400). With
    htmx: the form again with its errors; once logged, the message, the counters and the new rows of today's list
    as out-of-band swaps, with the next token or a fresh form (templates/accueil/includes/visit_answer.html)."""
    form = VisitForm(request.POST)
    saved = None
    if form.is_valid():
        try:
            saved, _created = services.visit_log(
                agent=request.user, maison=maison, token=form.cleaned_data["token"], **form.service_kwargs()
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if saved is not None and not _is_htmx(request):
        messages.success(request, f"Visite enregistrée à {timezone.localtime(saved.occurred_at):%H:%M}.")
        return redirect("accueil:home")
    if not _is_htmx(request):
        return render(request, "accueil/home.html", _screen_context(request, maison, form), status=400)
    shown_until = _shown_until(request)
    # A form sent as it was drawn, fresh, is emptied in the browser (static/js/accueil.js, on « visit-logged »): the
    # answer then draws no form, it only brings the next token. One sent back with its errors is drawn again.
    emptied_in_browser = saved is not None and request.POST.get("fresh") == "1"
    context = {
        "saved": saved,
        "shown_until": shown_until,
        "list_was_empty": shown_until == 0,
        "emptied_in_browser": emptied_in_browser,
        "user": request.user,
    }
    if emptied_in_browser:
        context["token"] = uuid.uuid4()
    else:
        context |= _form_context(request, maison, VisitForm() if saved else form)
    if saved is not None:
        now = timezone.now()
        # The visits logged since the screen's list was drawn (this one, and a colleague's meanwhile), newest first;
        # the whole list is drawn again only with the page (one row, not a day's, for each visit logged).
        new_visits = list(services.todays_visits(maison, now=now).filter(pk__gt=shown_until))
        context |= {
            "counters": services.counters(maison, now=now),
            "new_visits": new_visits,
            "shown_until": max([shown_until, *(visit.pk for visit in new_visits)]),
        }
    response = _fragment(request, "accueil/includes/visit_answer.html", context)
    response["Vary"] = "HX-Request"
    if emptied_in_browser:
        response["HX-Reswap"] = "none"  # Out-of-band swaps only (htmx, « hx-swap »).
        response["HX-Trigger"] = "visit-logged"
    return response


@transaction.non_atomic_requests  # Only reads.
@require_safe
@permission_required(account_perms.can_use_reception)
def partner_suggestions(request):
    """The partner field's suggestions as one types (templates/accueil/includes/partner_field.html): published
    partners of the directory whose name or acronym fits the letters typed, then those whose texts do."""
    words = " ".join(request.GET.get("partner", "").split())[:200]
    partners = []
    if len(words) >= SUGGESTION_MIN_LENGTH:
        partners = list(
            partner_search.by_name(Partner.objects.published(), words).select_related("commune")[:PARTNER_CHOICES]
        )
    return _fragment(request, "accueil/includes/partner_suggestions.html", {"partners": partners, "words": words})


def _own_visit(request, pk):
    """A visit of the person's Maisons (404 otherwise, invariant 4), that they may change today (403 otherwise)."""
    visit = get_object_or_404(Visit.all_objects.filter(maison__in=perms.reception_maisons(request.user)), pk=pk)
    if not perms.can_change_visit(request.user, visit):
        raise Http404("Cette visite ne peut plus être modifiée.")
    return visit


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(account_perms.can_use_reception)
def visit_edit(request, pk):
    visit = _own_visit(request, pk)
    if visit.is_deleted:
        raise Http404
    form = VisitForm(request.POST or None, visit=visit, initial=VisitForm.initial_for(visit))
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        kwargs["occurred_at"] = kwargs["occurred_at"] or visit.occurred_at
        motifs = kwargs.pop("motifs")
        try:
            services.visit_update(visit=visit, motifs=motifs, **kwargs)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Visite corrigée.")
            return redirect("accueil:home")
    return render(request, "accueil/visit_edit.html", {"form": form, "visit": visit, "maison": visit.maison})


@require_POST
@permission_required(account_perms.can_use_reception)
def visit_delete(request, pk):
    visit = _own_visit(request, pk)
    if not visit.is_deleted:
        services.visit_delete(visit=visit)
    messages.success(request, "Visite supprimée. Vous pouvez annuler la suppression pendant quelques minutes.")
    return redirect("accueil:home")


@require_POST
@permission_required(account_perms.can_use_reception)
def visit_restore(request, pk):
    visit = _own_visit(request, pk)
    try:
        services.visit_restore(visit=visit)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Suppression annulée : la visite est rétablie.")
    return redirect("accueil:home")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(account_perms.can_use_reception)
def referral_create(request, pk):
    visit = _own_visit(request, pk)
    if hasattr(visit, "referral") or visit.is_deleted:
        raise Http404
    from . import consent

    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_create(
                visit=visit,
                agent=request.user,
                visitor_name=data["visitor_name"],
                visitor_contact=data["visitor_contact"],
                need=data["need"],
                consent_given=data["consent"],
                follow_up_days=data["follow_up_days"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Mise en relation envoyée à {visit.partner or visit.direction}.")
            return redirect("accueil:home")
    return render(
        request,
        "accueil/referral_create.html",
        {"form": form, "visit": visit, "consent_text": consent.text(), "consent_version": consent.CURRENT_VERSION},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(account_perms.can_use_reception)
def referral_answer(request, pk):
    """The agent who made the referral records whether the visitor got an answer."""
    referral = get_object_or_404(
        Referral.objects.filter(visit__maison__in=perms.reception_maisons(request.user), agent=request.user), pk=pk
    )
    form = ReferralAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.referral_record_answer(referral=referral, answer=form.cleaned_data["answer"])
        messages.success(request, "Suite de la mise en relation notée. Merci.")
        return redirect(reverse("accueil:home"))
    return render(request, "accueil/referral_answer.html", {"form": form, "referral": referral})
