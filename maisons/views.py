from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import perms
from accounts.mixins import permission_required

from . import sections
from .forms import MaisonPresentationForm, NewPhotoForm, PhotoFormSet, RoomBlockForm, RoomSettingsForm
from .models import Maison, Room, RoomBlock
from .services import PhotoChange, maison_presentation_update, room_block_create, room_block_delete
from .structured_data import json_ld_script, maison_json_ld


@transaction.non_atomic_requests  # Only reads: no transaction, no savepoint queries.
@require_safe
@login_not_required
def maison_detail(request, slug):
    """A Maison: today's status in words, hours with this week's exceptions, address, access, photos, rooms, and
    the sections other apps register (maisons/sections.py).

    Six queries whatever the amount of data (`Maison.objects.for_public_page`), which leaves two of the public
    pages' budget of eight to the registered sections.
    """
    maison = get_object_or_404(Maison.objects.published().for_public_page(), slug=slug)
    now = timezone.now()
    today = timezone.localdate(now)
    schedule = maison.schedule(today=today)
    weekly = [
        {"name": name, "ranges": ranges, "is_today": weekday == today.weekday()}
        for weekday, name, ranges in maison.weekly_hours(schedule)
    ]
    url = settings.SITE_URL.rstrip("/") + maison.get_absolute_url()
    return render(
        request,
        "maisons/maison_detail.html",
        {
            "maison": maison,
            "status": schedule.status_at(now),
            "weekly": weekly,
            "week_ahead": schedule.days(today, 7),
            "closures": [closure for closure in maison.current_closures if closure.end_date >= today],
            "rooms": maison.public_rooms,
            "photos": maison.public_photos,
            "sections": sections.filled_sections(maison, today),
            "json_ld": json_ld_script(maison_json_ld(maison, schedule, url=url, today=today)),
            "can_edit": perms.can_edit_maison_presentation(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_edit_maison_presentation)
def maison_presentation_edit(request, slug):
    """The public presentation of a Maison (text, access, photos), for the project lead and the communication
    service: one form, one service, then back to the public page."""
    maison = get_object_or_404(Maison.objects.select_related("commune"), slug=slug)
    photos = maison.photos.select_related("image").order_by("order", "pk")
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = MaisonPresentationForm(data, instance=maison)
    photo_forms = PhotoFormSet(data, queryset=photos, prefix="photos")
    new_photo_form = NewPhotoForm(data, files, prefix="nouvelle")
    if request.method == "POST" and all([form.is_valid(), photo_forms.is_valid(), new_photo_form.is_valid()]):
        changes = [
            PhotoChange(
                photo=photo_form.instance,
                alt_text=photo_form.cleaned_data.get("alt_text", ""),
                is_decorative=photo_form.cleaned_data.get("is_decorative", False),
                order=photo_form.cleaned_data.get("order") or 0,
                delete=photo_forms._should_delete_form(photo_form),
            )
            for photo_form in photo_forms.forms
        ]
        new = new_photo_form.cleaned_data
        try:
            maison_presentation_update(
                maison=maison,
                description=form.cleaned_data["description"],
                accessibility=form.cleaned_data["accessibility"],
                photo_changes=changes,
                new_photo=new.get("image"),
                new_photo_alt_text=new.get("alt_text", ""),
                new_photo_is_decorative=new.get("is_decorative", False),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"La présentation de la {maison.name} est enregistrée.")
            return redirect(maison)
    error_count = (
        len(form.errors)
        + sum(len(photo_form.errors) for photo_form in photo_forms.forms)
        + len(photo_forms.non_form_errors())
        + len(new_photo_form.errors)
    )
    return render(
        request,
        "maisons/maison_presentation_edit.html",
        {
            "maison": maison,
            "form": form,
            "photo_forms": photo_forms,
            "new_photo_form": new_photo_form,
            "error_count": error_count,
        },
    )


# The rooms' booking settings and blocked periods, for the project lead (/gestion/salles/). ---------------------


@require_safe
@permission_required(perms.can_manage_portal)
def rooms_manage(request):
    """Every room of every Maison with its booking settings and its current and coming blocked periods."""
    blocks = RoomBlock.objects.filter(ends_at__gt=timezone.now()).order_by("starts_at")
    rooms = Room.objects.select_related("maison").prefetch_related(
        models.Prefetch("blocks", queryset=blocks, to_attr="coming_blocks")
    )
    return render(request, "maisons/rooms_manage.html", {"rooms": rooms})


def _room_page(request, room, settings_form, block_form, status=200):
    blocks = room.blocks.filter(ends_at__gt=timezone.now()).order_by("starts_at")
    context = {"room": room, "settings_form": settings_form, "block_form": block_form, "blocks": blocks}
    return render(request, "maisons/room_manage.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_portal)
def room_manage(request, pk):
    """A room's booking settings (approval, delay, horizon, outside opening hours, capacity) and its blocks."""
    room = get_object_or_404(Room.objects.select_related("maison"), pk=pk)
    settings_form = RoomSettingsForm(request.POST if request.method == "POST" else None, instance=room)
    if request.method == "POST" and settings_form.is_valid():
        settings_form.save()  # One row; journalled by django-auditlog (Room is tracked).
        messages.success(request, f"Les réglages de réservation de la salle « {room.name} » sont enregistrés.")
        return redirect("maisons:room_manage", pk=room.pk)
    return _room_page(request, room, settings_form, RoomBlockForm(instance=RoomBlock(room=room), prefix="block"))


@require_POST
@permission_required(perms.can_manage_portal)
def room_block_add(request, pk):
    """Add a blocked period to a room; on an error, the room's page again with the form's messages."""
    room = get_object_or_404(Room.objects.select_related("maison"), pk=pk)
    form = RoomBlockForm(request.POST, instance=RoomBlock(room=room), prefix="block")
    if form.is_valid():
        block = room_block_create(room=room, **form.cleaned_data, user=request.user)
        messages.success(request, f"La salle « {room.name} » est indisponible {block.period_text}.")
        return redirect("maisons:room_manage", pk=room.pk)
    return _room_page(request, room, RoomSettingsForm(instance=room), form, status=200)


@require_POST
@permission_required(perms.can_manage_portal)
def room_block_remove(request, pk, block_pk):
    """Lift a blocked period, fetched through its room."""
    room = get_object_or_404(Room, pk=pk)
    block = get_object_or_404(room.blocks, pk=block_pk)
    room_block_delete(block=block, user=request.user)
    messages.success(request, f"L’indisponibilité « {block.reason} » de la salle « {room.name} » est levée.")
    return redirect("maisons:room_manage", pk=room.pk)
