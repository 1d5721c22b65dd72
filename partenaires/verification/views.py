"""The partner's personal link (no account) and the project lead's pages: the review of proposed changes and the
quality of every service (data·inclusion's score).

The link's first page sets no cookie and changes nothing (mail scanners open links): it shows the entry and two
ways on; the pages with a form (CSRF cookie) come when the partner chooses one. Every link page is rate-limited by
client address, and a link that is not ours looks like any missing page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import perms
from accounts.mixins import permission_required
from partenaires import quality
from partenaires.models import Partner

from . import services
from .enums import ProposalStatus
from .forms import ProposalForm
from .models import ChangeProposal, VerificationRequest

RATE_LIMIT = 30  # Link pages per client address…
RATE_WINDOW = 10 * 60  # …per 10 minutes.


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _rate_limited(request) -> bool:
    key = f"partner-verification:rate:{_client_address(request)}"
    if cache.add(key, 1, timeout=RATE_WINDOW):
        return False
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:
        return False


def _private(response):
    """A link page is the partner's own: never in a shared cache, and never indexed."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def _request_or_error(request, token):
    """(verification request, None) or (None, the error page)."""
    if _rate_limited(request):
        return None, _private(render(request, "partner_verification/rate_limited.html", status=429))
    found = services.request_from_token(token)
    if found.request is None:
        if found.expired:
            return None, _private(render(request, "partner_verification/link_expired.html", status=410))
        raise Http404
    return found.request, None


@transaction.non_atomic_requests
@require_safe
@login_not_required
def check(request, token):
    """The entry as the directory shows it, with « tout est exact » and « proposer des modifications »."""
    verification, error = _request_or_error(request, token)
    if error:
        return error
    partner = verification.partner
    context = {
        "verification": verification,
        "partner": partner,
        "hours": partner.hours().lines(),
        "themes": list(partner.themes.all()),
        "services": list(partner.services.published()),
        "token": token,
    }
    return _private(render(request, "partner_verification/check.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
@login_not_required
def confirm(request, token):
    verification, error = _request_or_error(request, token)
    if error:
        return error
    if request.method == "POST":
        services.verification_confirm(request=verification)
        return _private(
            render(request, "partner_verification/done.html", {"partner": verification.partner, "confirmed": True})
        )
    return _private(
        render(request, "partner_verification/confirm.html", {"partner": verification.partner, "token": token})
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_not_required
def propose(request, token):
    verification, error = _request_or_error(request, token)
    if error:
        return error
    partner = Partner.objects.select_related("commune").get(pk=verification.partner_id)  # A copy the form may edit.
    form = ProposalForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(
                request=verification, values=form.proposed_values(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _private(
                render(
                    request, "partner_verification/done.html", {"partner": verification.partner, "confirmed": False}
                )
            )
    return _private(
        render(
            request,
            "partner_verification/propose.html",
            {"form": form, "partner": verification.partner, "token": token},
        )
    )


# The project lead's pages --------------------------------------------------------------------------------------


@require_safe
@permission_required(perms.can_manage_partners)
def quality_list(request):
    """Every published service with data·inclusion's quality score, weakest first, and what to fix."""
    items = quality.qualities()
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    average = round(sum(item.score for item in items) / len(items) * 100) if items else None
    return render(
        request,
        "partner_verification/quality_list.html",
        {"page_obj": page, "count": len(items), "average": average},
    )


@require_safe
@permission_required(perms.can_manage_partners)
def review_list(request):
    """Proposals to review, then the last requests sent and their answers."""
    pending = list(
        ChangeProposal.objects.filter(status=ProposalStatus.PENDING).select_related("partner").order_by("submitted_at")
    )
    recent = VerificationRequest.objects.select_related("partner").order_by("-created_at")[:50]
    counts = VerificationRequest.objects.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        confirmed=Count("pk", filter=Q(confirmed=True)),
    )
    return render(
        request,
        "partner_verification/review_list.html",
        {"pending": pending, "recent": recent, "counts": counts},
    )


@require_safe
@permission_required(perms.can_manage_partners)
def proposal_detail(request, pk):
    proposal = get_object_or_404(ChangeProposal.objects.select_related("partner", "partner__commune"), pk=pk)
    return render(
        request,
        "partner_verification/proposal_detail.html",
        {"proposal": proposal, "lines": services.proposal_diff(proposal), "is_pending": proposal.status == "pending"},
    )


@require_POST
@permission_required(perms.can_manage_partners)
def proposal_publish(request, pk):
    proposal = get_object_or_404(ChangeProposal.objects.select_related("partner"), pk=pk)
    try:
        services.proposal_publish(proposal=proposal, reviewer=request.user)
    except ValidationError as error:
        messages.error(request, "La proposition n’est pas publiée : " + " ".join(error.messages))
        return redirect("partner_verification:proposal", pk=pk)
    messages.success(request, f"Les modifications de « {proposal.partner.name} » sont publiées.")
    return redirect("partner_verification:review_list")


@require_POST
@permission_required(perms.can_manage_partners)
def proposal_reject(request, pk):
    proposal = get_object_or_404(ChangeProposal.objects.select_related("partner"), pk=pk)
    try:
        services.proposal_reject(proposal=proposal, reviewer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partner_verification:proposal", pk=pk)
    messages.success(request, f"La proposition de « {proposal.partner.name} » est écartée ; la fiche ne change pas.")
    return redirect("partner_verification:review_list")


@require_POST
@permission_required(perms.can_manage_partners)
def request_now(request, slug):
    """Ask a partner to check its entry now, whatever the schedule."""
    partner = get_object_or_404(Partner.objects.published(), slug=slug)
    try:
        services.verification_request_create(partner=partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Un courriel de vérification part vers « {partner.name} » ({partner.email}).")
    return redirect("partner_verification:review_list")
