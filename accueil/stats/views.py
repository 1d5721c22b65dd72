import datetime
from collections import Counter

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from accounts import perms as account_perms
from accounts.mixins import permission_required
from maisons.models import Maison

from . import exports, figures, services
from .forms import StatisticsFilterForm
from .models import Dimension
from .perms import can_see_statistics


def _visible(request):
    return account_perms.visible_maisons(request.user, Maison.objects.all()).order_by("name")


def _filters(request):
    """The bound filter form and the Maisons it covers. A Maison outside the person's is a 404 (invariant 4):
    changing the parameter reveals nothing, not even that it exists."""
    maisons = _visible(request)
    form = StatisticsFilterForm(request.GET or None, maisons=maisons)
    if not request.GET:
        form = StatisticsFilterForm({"periode": "mois"}, maisons=maisons)
    valid = form.is_valid()
    if "maison" in form.errors:
        raise Http404("Maison inconnue.")
    visible = list(maisons)
    ids = form.maison_ids([maison.pk for maison in visible]) if valid else []
    chosen = [maison for maison in visible if maison.pk in ids]
    return form, valid, ids, chosen


def _summary_scope(request, form, ids: list[int]) -> list[int] | None:
    """The Maisons to read the summary of: None (no filter) when the person sees every Maison and chose none, so
    that a year of every Maison reads the roll-up's months whole (a sequential scan) rather than through a hundred
    Maisons' index entries scattered over the table (0.6 s instead of 0.1 s at 100 Maisons)."""
    if account_perms.sees_all_maisons(request.user) and not form.cleaned_data.get("maison"):
        return None
    return ids


# The figures' HTML is kept this long at most: their counts are never stale (the key holds what they count, see
# services.figures_version), but the names they show (a partner, a commune, a Maison renamed) are read with them.
FIGURES_CACHE_SECONDS = 300


@require_safe
@permission_required(can_see_statistics)
def statistics(request):
    form, valid, ids, chosen = _filters(request)
    context = {"form": form, "maisons": chosen, "query": request.GET.urlencode()}
    if valid:
        period = form.cleaned_data["period"]
        scope = _summary_scope(request, form, ids)
        figures_context = {
            "period": period,
            "maisons": chosen,
            "query": context["query"],
            "month": period.start.strftime("%Y-%m"),
        }
        # Everyone who sees these Maisons sees the same figures: computed and rendered once per change of what they
        # count (a visit logged, corrected or deleted, a rebuild), then read from the shared cache.
        spans = [(period.start, period.end), (period.previous_start, period.previous_end)]
        what = "|".join(
            [
                services.scope_text(scope),
                context["query"],
                ",".join(f"{maison.pk}:{maison.name}:{maison.slug}" for maison in chosen),
                services.figures_version(scope, spans),
            ]
        )

        def render_figures():
            context["stats"] = figures_context["stats"] = figures.statistics(scope, period)
            return render_to_string("accueil/stats/includes/figures.html", figures_context)

        context["figures"] = services.cached("page", what, render_figures, FIGURES_CACHE_SECONDS)
        context.update(figures_context)
    return render(request, "accueil/stats/statistics.html", context)


def _filename(prefix, period):
    return f"{prefix}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


@require_safe
@permission_required(can_see_statistics)
def export_visits(request, fmt):
    form, valid, ids, _chosen = _filters(request)
    if not valid:
        return HttpResponseBadRequest("Filtres invalides : corrigez-les sur la page des statistiques.")
    period = form.cleaned_data["period"]
    rows = exports.visit_rows(ids, period.start, period.end)
    name = _filename("visites", period)
    if fmt == "csv":
        return exports.csv_response(name, rows)
    return exports.xlsx_response(name, [("Visites", rows)])


@require_safe
@permission_required(can_see_statistics)
def export_aggregate(request, chart, fmt):
    form, valid, ids, _chosen = _filters(request)
    if not valid:
        return HttpResponseBadRequest("Filtres invalides : corrigez-les sur la page des statistiques.")
    period = form.cleaned_data["period"]
    stats = figures.statistics(_summary_scope(request, form, ids), period)
    name = _filename(chart, period)
    if chart == "evolution":
        selected = stats.time
        rows = [[selected.label_column, "visites"]] + [[row.label, row.value] for row in selected.rows]
    elif chart == "affluence":
        selected = stats.heatmap
        rows = [["jour", *selected.columns]] + [[day, *values] for day, values in selected.matrix]
    elif chart in figures.CHART_SLUGS:
        selected = stats.chart(chart)
        rows = exports.aggregate_rows(selected, period)
    else:
        raise Http404("Graphique inconnu.")
    if fmt == "csv":
        return exports.csv_response(name, rows)
    return exports.xlsx_response(name, [(selected.title, rows)])


def _month(request):
    """The month asked for (`mois=AAAA-MM`), the previous month by default (the report follows a closed month)."""
    text = request.GET.get("mois", "")
    today = timezone.localdate()
    if not text:
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    else:
        try:
            first = datetime.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            return None
        if not (2000 <= first.year <= today.year + 1):
            return None
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def _month_period(first, last):
    from .forms import custom_period

    previous_last = first - datetime.timedelta(days=1)
    previous_first = previous_last.replace(day=1)
    period = custom_period(first, last)
    return period.__class__(
        first, last, previous_first, previous_last, date_format(first, "F Y"), date_format(previous_first, "F Y")
    )


def _report_maisons(request):
    maisons = list(_visible(request))
    slug = request.GET.get("maison")
    if slug:
        maisons = [maison for maison in maisons if maison.slug == slug]
        if not maisons:
            raise Http404("Maison inconnue.")
    return maisons


@require_safe
@permission_required(can_see_statistics)
def monthly_report(request):
    """The printable monthly activity report: one page per Maison, key figures and charts."""
    bounds = _month(request)
    if bounds is None:
        return HttpResponseBadRequest("Mois invalide : écrivez-le AAAA-MM.")
    period = _month_period(*bounds)
    maisons = _report_maisons(request)
    pages = [(maison, figures.statistics([maison.pk], period)) for maison in maisons]
    return render(
        request,
        "accueil/stats/monthly_report.html",
        {"period": period, "pages": pages, "month": bounds[0].strftime("%Y-%m")},
    )


FRANCE_SERVICES = [
    ("Opérateur (motif partenaire)", Dimension.MOTIF),
    ("Thématique", Dimension.THEME),
    ("Suite donnée", Dimension.OUTCOME),
    ("Canal", Dimension.CHANNEL),
    ("Tranche d’âge", Dimension.AGE),
    ("Sexe", Dimension.SEX),
    ("Commune", Dimension.COMMUNE),
]


@require_safe
@permission_required(can_see_statistics)
def france_services(request, fmt):
    """The month's counts shaped like the France Services reporting: one section per indicator, one column per
    Maison, a total. Operators are the partners' matters (reasons of the « partenaires » group)."""
    bounds = _month(request)
    if bounds is None:
        return HttpResponseBadRequest("Mois invalide : écrivez-le AAAA-MM.")
    first, last = bounds
    maisons = _report_maisons(request)
    ids = [maison.pk for maison in maisons]
    # One query for every indicator, per Maison; the totals are their sums.
    per_maison = services.counts_by_maison(
        ids, first, last, [Dimension.TOTAL, *(dimension for _label, dimension in FRANCE_SERVICES)]
    )
    counts = {dimension: sum(by_maison.values(), Counter()) for dimension, by_maison in per_maison.items()}
    labels = figures.Labels(counts)
    partner_motifs = figures.partner_motif_ids()
    header = ["indicateur", "valeur", *[maison.name for maison in maisons], "total"]
    rows = [["Période", f"{first:%Y-%m}"], header]

    def line(indicator, dimension, key, label):
        values = [per_maison[dimension].get(pk, {}).get(key, 0) for pk in ids]
        return [indicator, label, *values, sum(values)]

    rows.append(line("Visites", Dimension.TOTAL, "", "total"))
    for indicator, dimension in FRANCE_SERVICES:
        keys = sorted(counts[dimension], key=lambda key: (-counts[dimension][key], labels(dimension, key)))
        if dimension == Dimension.MOTIF:
            keys = [key for key in keys if key.isdigit() and int(key) in partner_motifs]
        for key in keys:
            label = labels(dimension, key)
            if dimension == Dimension.OUTCOME:
                label = (
                    "sur place – " if key == "repondu" else "orienté – " if key in ("direction", "partenaire") else ""
                ) + label
            rows.append(line(indicator, dimension, key, label))
    name = f"france-services-{first:%Y-%m}"
    if fmt == "csv":
        return exports.csv_response(name, rows)
    return exports.xlsx_response(name, [("France Services", rows)])
