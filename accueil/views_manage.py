"""The reception's reference lists (/gestion/accueil/…), for the project lead and administrators: reasons and the
directions visitors are oriented to. Partners come from the directory (/gestion/partenaires/); outcomes are a fixed
list (accueil/enums.py `Outcome`), since the statistics and the France Services reporting count those values."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.mixins import permission_required
from maisons.models import Direction

from . import perms, services
from .forms import DirectionForm, MotifForm
from .models import Motif


@require_safe
@permission_required(perms.can_manage_reference_lists)
def index(request):
    return render(
        request,
        "accueil/manage/index.html",
        {
            "motifs": Motif.objects.select_related("theme").annotate(uses=Count("visits")),
            "directions": Direction.objects.order_by("name"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_reference_lists)
def motif_edit(request, pk=None):
    motif = get_object_or_404(Motif, pk=pk) if pk else None
    form = MotifForm(request.POST or None, instance=motif)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Motif « {form.instance.label} » enregistré.")
        return redirect("accueil_manage:index")
    return render(request, "accueil/manage/form.html", {"form": form, "title": "Motif de visite"})


@require_POST
@permission_required(perms.can_manage_reference_lists)
def motif_retire(request, pk):
    motif = get_object_or_404(Motif, pk=pk)
    if services.motif_retire(motif=motif):
        messages.success(request, f"Motif « {motif.label} » supprimé : il n’avait jamais servi.")
    else:
        messages.success(request, f"Motif « {motif.label} » retiré de la saisie ; les visites passées le gardent.")
    return redirect("accueil_manage:index")


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_manage_reference_lists)
def direction_edit(request, pk=None):
    direction = get_object_or_404(Direction, pk=pk) if pk else None
    form = DirectionForm(request.POST or None, instance=direction)
    if request.method == "POST" and form.is_valid():
        if direction is None:
            base = slugify(form.cleaned_data["acronym"] or form.cleaned_data["name"])[:70] or "direction"
            slug, n = base, 2
            while Direction.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            form.instance.slug = slug
        form.save()
        messages.success(request, f"Direction « {form.instance.name} » enregistrée.")
        return redirect("accueil_manage:index")
    return render(request, "accueil/manage/form.html", {"form": form, "title": "Direction"})
