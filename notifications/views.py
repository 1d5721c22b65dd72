"""The people's side of the ledger: their preferences (/comptes/notifications/), the link that refuses a kind of
message without an account (/comptes/desabonnement/<jeton>/), and the project lead's rules, texts with preview, and
list of messages (/gestion/rappels/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import perms
from accounts.mixins import permission_required

from . import services
from .forms import PreferencesForm, RuleForm
from .kinds import registry
from .mail import TextError, compose, read_opt_out_token
from .models import Notification, OptOut, Preference, Rule, State

PAGE_SIZE = 50


def _replan(kind, user=None) -> None:
    """After a rule or a preference changed: the reminders of this kind still ahead follow it (those cancelled by
    an earlier refusal included; the quarter-hourly pass plans the rest as their day comes)."""
    if kind.replan is None:
        return
    rows = Notification.objects.filter(kind=kind.code).filter(
        Q(state=State.PENDING) | Q(state=State.CANCELLED, due_at__gt=timezone.now())
    )
    if user is not None:
        rows = rows.filter(recipient=user)
    # One row per object, its object fetched with the others (a query per type, not per row).
    targets = {(row.content_type_id, row.object_id): row for row in rows.prefetch_related("target")[:5000]}
    for row in targets.values():
        target = row.target
        if target is not None:
            kind.replan(target)


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    kinds = registry.refusable(request.user.roles)
    saved = {preference.kind: preference for preference in Preference.objects.filter(user=request.user)}
    timings = {kind.code: services.rule_timings(kind) for kind in kinds}
    form = PreferencesForm(request.POST or None, kinds=kinds, preferences=saved, rule_timings=timings)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for code, (enabled, own_timings) in form.choices().items():
                Preference.objects.update_or_create(
                    user=request.user, kind=code, defaults={"enabled": enabled, "timings": own_timings}
                )
                kind = registry[code]
                if not enabled:
                    Notification.objects.filter(kind=code, recipient=request.user, state=State.PENDING).update(
                        state=State.CANCELLED, reason="Refusé par le destinataire."
                    )
                _replan(kind, request.user)
        messages.success(request, "Vos préférences d’envoi sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "kinds": kinds})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token):
    found = read_opt_out_token(token)
    if found is None:
        return render(request, "notifications/opt_out_invalid.html", status=404)
    email, code = found
    kind = registry[code]
    done = OptOut.objects.filter(email__iexact=email, kind=code).exists()
    if request.method == "POST" and not done:
        with transaction.atomic():
            OptOut.objects.get_or_create(email=email, kind=code)
            Notification.objects.filter(kind=code, recipient_email__iexact=email, state=State.PENDING).update(
                state=State.CANCELLED, reason="Refusé par le destinataire."
            )
        done = True
    return render(request, "notifications/opt_out.html", {"email": email, "kind": kind, "done": done})


@require_safe
@permission_required(perms.can_manage_portal)
def rules(request):
    saved = {rule.kind: rule for rule in Rule.objects.all()}
    rows = []
    for kind in registry.values():
        rule = saved.get(kind.code) or services.rule_for(kind)
        rows.append((kind, rule, services.rule_timings(kind, rule)))
    counts = {state: Notification.objects.filter(state=state).count() for state in (State.PENDING, State.FAILED)}
    return render(request, "notifications/rules.html", {"rows": rows, "counts": counts})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_portal)
def rule_edit(request, kind):
    kind = registry.get(kind)
    if kind is None:
        raise Http404("Type d’envoi inconnu.")
    rule = services.rule_for(kind)
    form = RuleForm(request.POST or None, instance=rule, kind=kind)
    preview = preview_error = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            example = kind.example() if kind.example else None
            if example is None:
                preview_error = "Aucun cas réel n’existe encore pour ce message : l’aperçu viendra avec le premier."
            else:
                try:
                    message = compose(
                        example,
                        subject=form.cleaned_data["subject"] or None,
                        body=form.cleaned_data["body"] or None,
                    )
                except TextError as error:
                    preview_error = str(error)
                else:
                    if message is None:
                        preview_error = "Le cas choisi pour l’aperçu n’est plus d’actualité."
                    else:
                        preview = {
                            "subject": message.subject,
                            "body": message.body,
                            "to": message.to[0],
                            "attachments": [attachment[0] for attachment in message.attachments],
                        }
        else:
            rule = form.save(commit=False)
            rule.updated_by = request.user
            rule.save()
            _replan(kind)
            messages.success(request, f"Règle « {kind.label} » enregistrée.")
            return redirect("notifications:rules")
    return render(
        request,
        "notifications/rule_form.html",
        {"form": form, "kind": kind, "preview": preview, "preview_error": preview_error},
    )


@require_safe
@permission_required(perms.can_manage_portal)
def sent(request):
    state = request.GET.get("etat", "")
    if state == State.PENDING:  # What is coming, soonest first.
        rows = Notification.objects.filter(state=state).order_by("due_at", "pk")
    else:  # What went (or failed, or was dropped), latest first; reminders planned months ahead do not bury it.
        rows = Notification.objects.filter(due_at__lte=timezone.now()).order_by("-due_at", "-pk")
        if state in State.values:
            rows = rows.filter(state=state)
    kind = request.GET.get("type", "")
    if kind in registry:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/sent.html",
        {"page": page, "states": State.choices, "state": state, "kinds": registry.values(), "kind": kind},
    )


@require_POST
@permission_required(perms.can_manage_portal)
def resend(request, pk):
    notification = get_object_or_404(Notification, pk=pk)
    if services.resend(notification):
        messages.success(request, f"Le message à {notification.recipient_email} est renvoyé.")
    else:
        messages.error(request, "Ce message n’est ni en échec ni annulé : rien à renvoyer.")
    return redirect("notifications:sent")
