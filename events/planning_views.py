"""The project lead's planning (/gestion/planning/): each Maison's week × rooms, events and series created,
duplicated, moved and cancelled, conflicts shown before saving. Approving officials' requests is the reservations
screen's (events/urls.py)."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts import perms
from accounts.mixins import permission_required
from maisons import opening
from maisons.models import Maison

from . import recurrence, services
from .enums import OccupancyStatus
from .models import Event, Occupancy
from .planning_forms import CancelForm, EventForm, MoveForm, Scope, WeekForm

PARIS = ZoneInfo("Europe/Paris")


def _maisons(user):
    return perms.visible_maisons(user, Maison.objects.all()).order_by("name")


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@require_safe
@permission_required(perms.can_manage_portal)
def planning(request):
    maisons = list(_maisons(request.user))
    form = WeekForm(request.GET or None, maisons=_maisons(request.user))
    maison, monday = (maisons[0] if maisons else None), _monday(timezone.localdate())
    if form.is_valid():
        maison = form.cleaned_data["maison"] or maison
        monday = _monday(form.cleaned_data["semaine"] or monday)
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    rows, outside = [], []
    if maison is not None:
        start = datetime.datetime.combine(monday, datetime.time(), PARIS)
        end = start + datetime.timedelta(days=7)
        rooms = list(maison.rooms.order_by("name"))
        occupancies = (
            Occupancy.objects.filter(maison=maison, period__overlap=DateTimeTZRange(start, end))
            .exclude(status__in=[OccupancyStatus.REFUSED, OccupancyStatus.EXPIRED])
            .select_related("holder", "partner", "event")
            .order_by("period")
        )
        cells = {}
        for occupancy in occupancies:
            day = timezone.localtime(occupancy.period.lower, PARIS).date()
            cells.setdefault((occupancy.room_id, day), []).append(occupancy)
        rows = [(room, [cells.get((room.pk, day), []) for day in days]) for room in rooms]
        outside = [cells.get((None, day), []) for day in days]
    pending = Occupancy.objects.filter(status=OccupancyStatus.PENDING, maison__in=maisons).count()
    return render(
        request,
        "events/planning/week.html",
        {
            "form": form,
            "maisons": maisons,
            "maison": maison,
            "days": days,
            "day_names": [opening.format_day(day) for day in days],
            "rows": rows,
            "outside": outside if any(outside) else None,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "monday": monday,
            "monday_text": opening.format_day(monday, year=True),
            "pending": pending,
        },
    )


def _event_form_page(request, form, *, event=None, plan=None, title):
    return render(
        request,
        "events/planning/event_form.html",
        {"form": form, "event": event, "plan": plan, "page_title": title},
        status=200,
    )


def _save_event(request, form, *, event=None):
    """Shared by creation and edition: conflicts are shown before anything is saved."""
    candidate = form.save(commit=False)
    try:
        candidate.full_clean(exclude=["slug"] if not candidate.pk else None)
        plan = recurrence.plan(candidate, exclude_event=event)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if plan.conflicts and not form.cleaned_data.get("accept_conflicts"):
        form.add_error(
            None,
            f"{len(plan.conflicts)} occurrence{'s' if len(plan.conflicts) > 1 else ''} sur "
            f"{len(plan.occurrences)} tombe{'nt' if len(plan.conflicts) > 1 else ''} sur un créneau déjà pris "
            "(liste ci-dessous) : changez l’horaire ou la salle, ou cochez « Enregistrer sans les occurrences dont "
            "le créneau est déjà pris ».",
        )
        return plan
    if event is None:
        candidate.created_by = request.user
        result = recurrence.save_series(candidate, user=request.user)
        form.save_m2m()
    else:
        result = recurrence.update_series(candidate, user=request.user)
        form.save_m2m()
    skipped = len(result.conflicts)
    text = f"« {candidate.title} » est enregistré"
    if candidate.rrule:
        text += f" ({recurrence.describe_rule(candidate.rrule)})"
    if skipped:
        text += f" ; occurrence(s) en conflit non créée(s) : {skipped}"
    messages.success(request, text + ".")
    return candidate


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_portal)
def event_create(request, duplicate_of: int | None = None):
    maisons = _maisons(request.user)
    initial, instance = {}, Event()
    source = None
    if duplicate_of is not None:
        source = get_object_or_404(Event.objects.filter(maison__in=maisons), pk=duplicate_of)
        instance = Event.objects.get(pk=source.pk)
        instance.pk = instance.id = None
        instance._state.adding = True
        instance.slug = ""
        instance.status = "draft"
        instance.cancellation_reason = ""
        instance.sequence = 0
        initial = {"directions": list(source.directions.all()), "officials": list(source.officials.all())}
        initial["title"] = f"{source.title} (copie)"
    else:
        maison = maisons.filter(slug=request.GET.get("maison")).first()
        if maison:
            initial["maison"] = maison
            room = maison.rooms.filter(pk=request.GET.get("salle") or 0).first()
            if room:
                initial["room"] = room
        try:
            initial["day"] = datetime.date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            pass
    form = EventForm(request.POST or None, request.FILES or None, instance=instance, initial=initial, maisons=maisons)
    plan = None
    if request.method == "POST" and form.is_valid():
        saved = _save_event(request, form)
        if isinstance(saved, Event):
            return redirect("planning:event", pk=saved.pk)
        plan = saved
    title = f"Dupliquer « {source.title} »" if source else "Nouvel événement"
    return _event_form_page(request, form, plan=plan, title=title)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_portal)
def event_edit(request, pk: int):
    maisons = _maisons(request.user)
    event = get_object_or_404(Event.objects.filter(maison__in=maisons).select_related("maison", "room"), pk=pk)
    form = EventForm(request.POST or None, request.FILES or None, instance=event, maisons=maisons)
    plan = None
    if request.method == "POST" and form.is_valid():
        saved = _save_event(request, form, event=event)
        if isinstance(saved, Event):
            return redirect("planning:event", pk=saved.pk)
        plan = saved
    occurrences = (
        event.occurrences.filter(period__endswith__gt=timezone.now() - datetime.timedelta(days=31))
        .select_related("room")
        .order_by("period")[:60]
    )
    return render(
        request,
        "events/planning/event_form.html",
        {
            "form": form,
            "event": event,
            "plan": plan,
            "occurrences": occurrences,
            "rule_text": recurrence.describe_rule(event.rrule),
            "page_title": event.title,
        },
    )


def _occurrence(request, pk):
    return get_object_or_404(
        Occupancy.objects.filter(maison__in=_maisons(request.user)).select_related(
            "maison", "room", "event", "holder"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_portal)
def occurrence(request, pk: int):
    """One occurrence: move it (this one, or this and the following), or cancel it."""
    occupancy = _occurrence(request, pk)
    move_form = MoveForm(request.POST if "move" in request.POST else None, occupancy=occupancy)
    cancel_form = CancelForm(request.POST if "cancel" in request.POST else None, occupancy=occupancy)
    if request.method == "POST" and "move" in request.POST and move_form.is_valid():
        data = move_form.cleaned_data
        room = data["room"] or occupancy.room
        try:
            if data["scope"] == Scope.FOLLOWING and occupancy.event_id:
                new, result = recurrence.split_series(
                    occupancy,
                    changes={"start": data["start"], "end": data["end"], "room": room},
                    user=request.user,
                )
                text = f"La série continue avec le nouvel horaire à partir du {opening.format_day(data['day'])}."
                if result.conflicts:
                    text += f" {len(result.conflicts)} occurrence(s) en conflit n’ont pas été créées."
                messages.success(request, text)
                return redirect("planning:event", pk=new.pk)
            if occupancy.event_id:
                recurrence.update_occurrence(
                    occupancy, start=data["start"], end=data["end"], room=room, user=request.user
                )
            else:
                services.move(occupancy, start=data["start"], end=data["end"], room=room, user=request.user)
        except ValidationError as error:
            move_form.add_error(None, error)
        else:
            messages.success(request, f"L’occurrence est déplacée {services.slot_text(data['start'], data['end'])}.")
            return redirect("planning:occurrence", pk=occupancy.pk)
    if request.method == "POST" and "cancel" in request.POST and cancel_form.is_valid():
        reason, scope = cancel_form.cleaned_data["reason"], cancel_form.cleaned_data["scope"]
        if scope == Scope.ALL and occupancy.event_id:
            recurrence.cancel_series(occupancy.event, reason=reason, user=request.user)
        elif scope == Scope.FOLLOWING and occupancy.event_id:
            recurrence.cancel_following(occupancy, reason=reason, user=request.user)
        elif occupancy.event_id:
            recurrence.cancel_occurrence(occupancy, reason=reason, user=request.user)
        else:
            services.cancel(occupancy, reason=reason, user=request.user)
        messages.success(request, "L’annulation est enregistrée ; le public voit le motif.")
        return redirect("planning:occurrence", pk=occupancy.pk)
    return render(
        request,
        "events/planning/occurrence.html",
        {
            "occupancy": occupancy,
            "slot": services.slot_text(occupancy.period.lower, occupancy.period.upper),
            "move_form": move_form,
            "cancel_form": cancel_form,
            "week": _monday(timezone.localtime(occupancy.period.lower, PARIS).date()),
        },
    )
