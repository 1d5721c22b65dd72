"""Which summary keys one visit counts under. The same rules twice, kept side by side on purpose: in Python for
the incremental updates (`visit_keys`) and in SQL for the rebuild (`REBUILD_SQL`); tests/test_summary.py checks that
random edits followed incrementally give exactly what a rebuild gives.

- total: one per visit, key "";
- motif: one per reason (its id); groupe: one per distinct group of its reasons; theme: one per distinct theme of
  its reasons (a reason without a theme counts under "");
- canal, suite, age, sexe, duree, satisfaction: the stored value ("" when not given);
- direction, partenaire: the id, only when the visit names one;
- commune: the INSEE code when the visitor lives in a listed commune, else the residence value (hors_france,
  non_renseigne); epci: the commune's EPCI (SIREN, "" when the commune has none), else the residence value;
- premiere: "oui", "non" or "";
- jour_heure: ISO weekday (1 = Monday) and local hour, "1-09".

The day is the local day (Europe/Paris) of `occurred_at`. A soft-deleted visit counts nowhere.
"""

import datetime
from collections import Counter

from django.utils import timezone

from .models import Dimension

RESIDENCE_COMMUNE = "commune"
NOT_GIVEN = "non_renseigne"


def first_visit_key(value) -> str:
    return {True: "oui", False: "non"}.get(value, "")


def weekday_hour_key(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.isoweekday()}-{local.hour:02d}"


def visit_keys(visit, motifs: list[tuple[int, str, int | None]]) -> Counter:
    """The summary rows `visit` adds one to: (maison_id, day, dimension, key) → 1 (or more, never here).

    `motifs`: (id, group, theme_id) of its reasons. `visit.commune` must be loaded (select_related)."""
    if getattr(visit, "deleted_at", None) is not None:
        return Counter()
    day = timezone.localdate(visit.occurred_at)
    keys = [
        (Dimension.TOTAL, ""),
        (Dimension.CHANNEL, visit.channel or ""),
        (Dimension.OUTCOME, visit.outcome or ""),
        (Dimension.AGE, getattr(visit, "age_band", "") or ""),
        (Dimension.SEX, getattr(visit, "sex", "") or ""),
        (Dimension.DURATION, getattr(visit, "duration_band", "") or ""),
        (Dimension.SATISFACTION, getattr(visit, "satisfaction", "") or ""),
        (Dimension.FIRST_VISIT, first_visit_key(getattr(visit, "first_visit", None))),
        (Dimension.WEEKDAY_HOUR, weekday_hour_key(visit.occurred_at)),
    ]
    if visit.direction_id is not None:
        keys.append((Dimension.DIRECTION, str(visit.direction_id)))
    if visit.partner_id is not None:
        keys.append((Dimension.PARTNER, str(visit.partner_id)))
    residence = getattr(visit, "residence", "") or ""
    commune = getattr(visit, "commune", None) if getattr(visit, "commune_id", None) else None
    if residence not in ("", RESIDENCE_COMMUNE):
        keys += [(Dimension.COMMUNE, residence), (Dimension.EPCI, residence)]
    elif commune is not None:
        keys += [(Dimension.COMMUNE, commune.pk), (Dimension.EPCI, commune.epci_siren or "")]
    else:
        keys += [(Dimension.COMMUNE, NOT_GIVEN), (Dimension.EPCI, NOT_GIVEN)]
    for motif_id, _group, _theme in motifs:
        keys.append((Dimension.MOTIF, str(motif_id)))
    for group in sorted({group for _id, group, _theme in motifs}):
        keys.append((Dimension.GROUP, group or ""))
    for theme in sorted({"" if theme is None else str(theme) for _id, _group, theme in motifs}):
        keys.append((Dimension.THEME, theme))
    return Counter((visit.maison_id, day, str(dimension), key) for dimension, key in keys)


def rebuild_sql(*, visit_table, through_table, through_visit, through_motif, motif_table, commune_table) -> str:
    """WITH … written AS (INSERT … SELECT of every summary row for the visits between %(start)s and %(end)s (aware
    bounds, end excluded), optionally of the Maisons %(maisons)s (NULL for all). Parameters: start, end, maisons,
    tz. Unfinished: the caller ends the `written` CTE (a RETURNING clause and `)`) and adds the statement's end."""
    visible = "v.deleted_at IS NULL AND " if _has_soft_delete() else ""
    fields = _optional_fields()
    motif_fields = motif_sql_fields()
    return f"""
WITH v AS (
    SELECT v.id, v.maison_id, (v.occurred_at AT TIME ZONE %(tz)s) AS local, v.channel, v.outcome,
           v.direction_id, v.partner_id, {fields["age"]} AS age, {fields["sex"]} AS sex,
           {fields["duration"]} AS duration, {fields["satisfaction"]} AS satisfaction,
           {fields["first"]} AS first_visit, {fields["residence"]} AS residence, c.code_insee, c.epci_siren
    FROM {visit_table} v LEFT JOIN {commune_table} c ON c.code_insee = {fields["commune"]}
    WHERE {visible}v.occurred_at >= %(start)s AND v.occurred_at < %(end)s
      AND (%(maisons)s::bigint[] IS NULL OR v.maison_id = ANY(%(maisons)s::bigint[]))
), d AS (
    SELECT v.*, v.local::date AS day FROM v
), m AS (
    SELECT d.id, d.maison_id, d.day, mo.id AS motif_id, {motif_fields["group"]} AS grp,
           {motif_fields["theme"]} AS theme_id
    FROM d JOIN {through_table} t ON t.{through_visit} = d.id JOIN {motif_table} mo ON mo.id = t.{through_motif}
), keys AS (
    SELECT maison_id, day, 'total' AS dimension, '' AS key FROM d
    UNION ALL SELECT maison_id, day, 'canal', coalesce(channel, '') FROM d
    UNION ALL SELECT maison_id, day, 'suite', coalesce(outcome, '') FROM d
    UNION ALL SELECT maison_id, day, 'age', coalesce(age, '') FROM d
    UNION ALL SELECT maison_id, day, 'sexe', coalesce(sex, '') FROM d
    UNION ALL SELECT maison_id, day, 'duree', coalesce(duration, '') FROM d
    UNION ALL SELECT maison_id, day, 'satisfaction', coalesce(satisfaction, '') FROM d
    UNION ALL SELECT maison_id, day, 'premiere',
        CASE WHEN first_visit IS TRUE THEN 'oui' WHEN first_visit IS FALSE THEN 'non' ELSE '' END FROM d
    UNION ALL SELECT maison_id, day, 'jour_heure',
        extract(isodow FROM local)::int::text || '-' || lpad(extract(hour FROM local)::int::text, 2, '0') FROM d
    UNION ALL SELECT maison_id, day, 'direction', direction_id::text FROM d WHERE direction_id IS NOT NULL
    UNION ALL SELECT maison_id, day, 'partenaire', partner_id::text FROM d WHERE partner_id IS NOT NULL
    UNION ALL SELECT maison_id, day, 'commune',
        CASE WHEN coalesce(residence, '') IN ('', '{RESIDENCE_COMMUNE}') THEN coalesce(code_insee, '{NOT_GIVEN}')
             ELSE residence END FROM d
    UNION ALL SELECT maison_id, day, 'epci',
        CASE WHEN coalesce(residence, '') IN ('', '{RESIDENCE_COMMUNE}')
             THEN CASE WHEN code_insee IS NULL THEN '{NOT_GIVEN}' ELSE coalesce(epci_siren, '') END
             ELSE residence END FROM d
    UNION ALL SELECT maison_id, day, 'motif', motif_id::text FROM m
    UNION ALL SELECT maison_id, day, 'groupe', grp
        FROM (SELECT DISTINCT id, maison_id, day, coalesce(grp, '') AS grp FROM m) g
    UNION ALL SELECT maison_id, day, 'theme', theme
        FROM (SELECT DISTINCT id, maison_id, day, coalesce(theme_id::text, '') AS theme FROM m) t
)
, written AS (
INSERT INTO {{summary_table}} (maison_id, day, dimension, key, count)
SELECT maison_id, day, dimension, key, count(*) FROM keys GROUP BY maison_id, day, dimension, key
"""


def _visit_field_names() -> set[str]:
    from accueil.models import Visit

    return {field.name for field in Visit._meta.get_fields()}


def _has_soft_delete() -> bool:
    return "deleted_at" in _visit_field_names()


def _optional_fields() -> dict[str, str]:
    """SQL for the fields of the contract, NULL while the model lacks one (the reception log grows in steps)."""
    names = _visit_field_names()

    def column(name, sql_type="text"):
        return f"v.{name}" if name in names else f"NULL::{sql_type}"

    return {
        "age": column("age_band"),
        "sex": column("sex"),
        "duration": column("duration_band"),
        "satisfaction": column("satisfaction"),
        "first": column("first_visit", "boolean"),
        "residence": column("residence"),
        "commune": "v.commune_id" if "commune" in names else "NULL::text",
    }


def motif_field_names() -> set[str]:
    from accueil.models import Motif

    return {field.name for field in Motif._meta.get_fields()}


def motif_sql_fields() -> dict[str, str]:
    names = motif_field_names()
    return {
        "group": 'mo."group"' if "group" in names else "NULL::text",
        "theme": "mo.theme_id" if "theme" in names else "NULL::bigint",
    }


def motif_values_fields() -> list[str]:
    """The fields `visit_keys` reads of each reason, for `values_list`."""
    names = motif_field_names()
    return ["id", "group" if "group" in names else "id", "theme_id" if "theme" in names else "id"]


def visit_has(name: str) -> bool:
    return name in _visit_field_names()
