"""What the statistics page, the exports and the monthly report show, computed from the summary only (its monthly
roll-up and its days, services.period_counts)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from accueil.models import Motif, Visit
from maisons.models import Commune, Direction
from partenaires.models import Partner, Theme

from . import charts, services
from .dimensions import NOT_GIVEN
from .models import Dimension

NOT_GIVEN_LABEL = "non renseigné"
NO_EPCI_LABEL = "commune sans intercommunalité"

# The charts of the page, in order: (slug, title, dimension, column heading).
BAR_CHARTS = [
    ("motifs", "Visites par motif", Dimension.MOTIF, "Motif"),
    ("themes", "Visites par thématique", Dimension.THEME, "Thématique"),
    ("groupes", "Visites par famille de motifs", Dimension.GROUP, "Famille"),
    ("canaux", "Visites par canal", Dimension.CHANNEL, "Canal"),
    ("suites", "Suite donnée", Dimension.OUTCOME, "Suite"),
    ("directions", "Orientations vers les directions du Département", Dimension.DIRECTION, "Direction"),
    ("partenaires", "Orientations vers les partenaires", Dimension.PARTNER, "Partenaire"),
    ("communes", "Visites par commune de résidence", Dimension.COMMUNE, "Commune"),
    ("intercommunalites", "Visites par intercommunalité", Dimension.EPCI, "Intercommunalité"),
    ("ages", "Visites par tranche d’âge", Dimension.AGE, "Tranche d’âge"),
    ("sexes", "Visites par sexe", Dimension.SEX, "Sexe"),
    ("durees", "Durée des visites", Dimension.DURATION, "Durée"),
    ("premieres", "Première visite", Dimension.FIRST_VISIT, "Première visite"),
    ("satisfaction", "Satisfaction", Dimension.SATISFACTION, "Réponse"),
]
CHART_SLUGS = {slug: (title, dimension, column) for slug, title, dimension, column in BAR_CHARTS}


def _choices(model, name) -> dict[str, str]:
    try:
        return {str(value): str(label) for value, label in model._meta.get_field(name).flatchoices}
    except Exception:  # noqa: BLE001 - a field of the contract not there yet: raw keys are shown.
        return {}


class Labels:
    """Key → French label for each dimension, read in one query per reference list, only for the keys shown."""

    def __init__(self, counts: dict[str, Counter]):
        def ids(dimension):
            return [int(key) for key in counts.get(dimension, {}) if key.isdigit()]

        residence = _choices(Visit, "residence")
        residence.setdefault(NOT_GIVEN, NOT_GIVEN_LABEL)
        residence.setdefault("hors_france", "hors de France")
        self.maps: dict[str, dict[str, str]] = {
            Dimension.CHANNEL: _choices(Visit, "channel"),
            Dimension.OUTCOME: _choices(Visit, "outcome"),
            Dimension.AGE: _choices(Visit, "age_band"),
            Dimension.SEX: _choices(Visit, "sex"),
            Dimension.DURATION: _choices(Visit, "duration_band"),
            Dimension.SATISFACTION: _choices(Visit, "satisfaction"),
            Dimension.FIRST_VISIT: {"oui": "oui", "non": "non"},
            Dimension.GROUP: _choices(Motif, "group"),
            Dimension.MOTIF: {
                str(pk): label
                for pk, label in Motif.objects.filter(pk__in=ids(Dimension.MOTIF)).values_list("pk", "label")
            },
            Dimension.THEME: {
                str(pk): label
                for pk, label in Theme.objects.filter(pk__in=ids(Dimension.THEME)).values_list("pk", "label")
            }
            if ids(Dimension.THEME)
            else {},
            Dimension.DIRECTION: {
                str(pk): name
                for pk, name in Direction.objects.filter(pk__in=ids(Dimension.DIRECTION)).values_list("pk", "name")
            }
            if ids(Dimension.DIRECTION)
            else {},
            Dimension.PARTNER: {
                str(pk): name
                for pk, name in Partner.objects.filter(pk__in=ids(Dimension.PARTNER)).values_list("pk", "name")
            }
            if ids(Dimension.PARTNER)
            else {},
        }
        self.maps[Dimension.THEME][""] = "sans thématique"
        communes = [key for key in counts.get(Dimension.COMMUNE, {}) if key not in residence]
        epcis = {key for key in counts.get(Dimension.EPCI, {}) if key and key not in residence}
        commune_map, epci_map = dict(residence), dict(residence)
        epci_map[""] = NO_EPCI_LABEL
        if communes or epcis:
            # One query for both: the communes shown, and one commune of each intercommunality shown (its name).
            rows = (
                Commune.objects.filter(Q(code_insee__in=communes) | Q(epci_siren__in=epcis))
                .order_by("epci_siren", "code_insee")
                .values_list("code_insee", "name", "departement", "epci_siren", "epci_name")
            )
            wanted = set(communes)
            for code, name, departement, siren, epci_name in rows:
                if code in wanted:
                    commune_map[code] = name if departement == "52" else f"{name} ({departement})"
                if siren in epcis and siren not in epci_map:
                    epci_map[siren] = epci_name or siren
        self.maps[Dimension.COMMUNE] = commune_map
        self.maps[Dimension.EPCI] = epci_map

    def __call__(self, dimension: str, key: str) -> str:
        label = self.maps.get(dimension, {}).get(key)
        if label:
            return label
        return NOT_GIVEN_LABEL if key == "" else key


@dataclass
class KeyFigure:
    label: str
    value: str
    previous: str = ""
    change: str = ""


@dataclass
class Statistics:
    period: object
    total: int
    previous_total: int
    key_figures: list[KeyFigure] = field(default_factory=list)
    time: charts.Chart | None = None
    bars: list[charts.Chart] = field(default_factory=list)
    heatmap: charts.Chart | None = None
    counts: dict = field(default_factory=dict)
    labels: Labels | None = None

    def chart(self, slug):
        return next(chart for chart in self.bars if chart.slug == slug)


def statistics(maison_ids: list[int] | None, period, *, compare: bool = True) -> Statistics:
    """Every figure of the page over `period` for these Maisons (None: all), with the previous period's."""
    spans = [(period.start, period.end)] + ([(period.previous_start, period.previous_end)] if compare else [])
    # A chart by month reads its columns with the counts (one query); by day or week, from the days.
    by_month = charts.time_unit(period.start, period.end) == "mois"
    per_span, per_bucket = services.period_counts(maison_ids, spans, series=by_month)
    counts = per_span[0]
    previous = per_span[1] if compare else None
    labels = Labels(counts if previous is None else _merge(counts, previous))
    total = counts[Dimension.TOTAL].get("", 0)
    previous_total = previous[Dimension.TOTAL].get("", 0) if previous else 0
    result = Statistics(period, total, previous_total, counts=counts, labels=labels)
    per_day = per_bucket if by_month else services.visits_per_day(maison_ids, period.start, period.end)
    result.time = charts.time_chart("evolution", per_day, period.start, period.end)
    for slug, title, dimension, column in BAR_CHARTS:
        items = [(labels(dimension, key), value) for key, value in counts[dimension].items()]
        before = None
        if previous is not None:
            before = Counter()
            for key, value in previous[dimension].items():
                before[labels(dimension, key)] += value
        whole = total if dimension not in (Dimension.MOTIF, Dimension.THEME, Dimension.GROUP) else None
        result.bars.append(
            charts.bar_chart(
                slug, title, _sum_labels(items), previous=before, label_column=column, dimension=dimension, total=whole
            )
        )
    result.heatmap = charts.heatmap("affluence", counts[Dimension.WEEKDAY_HOUR])
    oriented = sum(value for key, value in counts[Dimension.OUTCOME].items() if key in ("direction", "partenaire"))
    previous_oriented = sum(
        value
        for key, value in (previous or {}).get(Dimension.OUTCOME, {}).items()
        if key in ("direction", "partenaire")
    )
    days = period.days
    result.key_figures = [
        KeyFigure(
            "Visites",
            charts.number(total),
            charts.number(previous_total) if previous else "",
            charts.evolution(total, previous_total) if previous else "",
        ),
        KeyFigure(
            "Moyenne par jour ouvré", charts.number_format_1(total / max(_workdays(period.start, period.end), 1))
        ),
        KeyFigure("Réponses sur place", charts.percent(counts[Dimension.OUTCOME].get("repondu", 0), total)),
        KeyFigure(
            "Orientations",
            charts.number(oriented),
            charts.number(previous_oriented) if previous else "",
            charts.evolution(oriented, previous_oriented) if previous else "",
        ),
        KeyFigure("Premières visites", charts.percent(counts[Dimension.FIRST_VISIT].get("oui", 0), total)),
        KeyFigure("Jours couverts", charts.number(days)),
    ]
    return result


def _sum_labels(items):
    summed = Counter()
    for label, value in items:
        summed[label] += value
    return list(summed.items())


def _merge(a, b):
    merged = {dimension: Counter(values) for dimension, values in a.items()}
    for dimension, values in b.items():
        merged.setdefault(dimension, Counter()).update(values)
    return merged


def _workdays(start: datetime.date, end: datetime.date) -> int:
    return sum(
        1 for offset in range((end - start).days + 1) if (start + datetime.timedelta(days=offset)).weekday() < 5
    )


def partner_motif_ids() -> set[int]:
    """Reasons that are partners' matters (CAF, CPAM…): the « operators » of the France Services reporting."""
    group = Motif._meta.get_field("group") if "group" in {f.name for f in Motif._meta.get_fields()} else None
    if group is None:
        return set(Motif.objects.values_list("pk", flat=True))
    partner_values = [value for value, label in group.flatchoices if "partenaire" in str(value).lower()]
    return set(Motif.objects.filter(group__in=partner_values).values_list("pk", flat=True))
