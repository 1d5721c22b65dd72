"""Keep the daily summary and its monthly roll-up in step with the visits, inside the transaction that changes them.

Each receiver reads what the visit counted before the change and what it counts after, from the database, and
applies the difference (services.summary_apply): whatever changed (day, Maison, reasons, soft deletion…), the summary
moves by exactly that visit's old and new rows. Bulk writes (`bulk_create`, `QuerySet.update`) send no signal: the
demonstration and benchmark seeding rebuild the summary after them (`manage.py stats_rebuild`), and the retention
purges only touch fields the summary does not count (note, agent).

A service that changes a visit in several steps (saved, then its reasons linked) wraps them in `grouped()`: the
visit's contribution is then read once before its first change and once at the end, and the summary moved once,
instead of at every step.
"""

from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from accueil.models import Visit

from . import services

BEFORE = "_stats_before"
# Inside `grouped()`: each visit changed so far → what it counted before its first change.
_group: ContextVar[dict[int, Counter] | None] = ContextVar("accueil_stats_group", default=None)


@contextmanager
def grouped():
    """Follow the visits changed in the block once, at its end (call it inside the transaction that changes them).
    Nested blocks join the outer one; a block left by an exception moves nothing (its transaction rolls back)."""
    if _group.get() is not None:
        yield
        return
    befores: dict[int, Counter] = {}
    token = _group.set(befores)
    try:
        yield
    finally:
        _group.reset(token)
    delta = Counter()
    for pk, before in befores.items():
        delta.update(services.visit_contribution(pk))
        delta.subtract(before)
    services.summary_apply(delta)


def _remember(visit_ids) -> bool:
    """Inside `grouped()`, note what these visits counted before their first change; False outside."""
    befores = _group.get()
    if befores is None:
        return False
    for pk in visit_ids:
        if pk is not None and pk not in befores:
            befores[pk] = services.visit_contribution(pk)
    return True


def _before_save(sender, instance, raw=False, **kwargs):
    if raw:  # Fixtures: `stats_rebuild` afterwards.
        return
    if instance.pk is not None and not instance._state.adding:
        if _remember([instance.pk]):
            return
        setattr(instance, BEFORE, services.visit_contribution(instance.pk))


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    befores = _group.get()
    if befores is not None:
        befores.setdefault(instance.pk, Counter())  # Created in the block: it counted nothing before.
        return
    before = getattr(instance, BEFORE, Counter())
    after = services.visit_contribution(instance.pk)
    after.subtract(before)
    services.summary_apply(after)
    setattr(instance, BEFORE, Counter())


def _before_delete(sender, instance, **kwargs):
    # Before the deletion cascades to the reasons' links, which post_delete could no longer read.
    if _remember([instance.pk]):
        return
    setattr(instance, BEFORE, services.visit_contribution(instance.pk))


def _after_delete(sender, instance, **kwargs):
    if _group.get() is not None:
        return
    delta = Counter()
    delta.subtract(getattr(instance, BEFORE, Counter()))
    services.summary_apply(delta)


def _motifs_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        visit_ids = [instance.pk]
    elif pk_set is not None:
        visit_ids = sorted(pk_set)
    else:  # motif.visits.clear(): the visits it is linked to, read before the clear.
        visit_ids = getattr(instance, "_stats_visit_ids", None)
        if visit_ids is None:
            visit_ids = list(
                Visit.motifs.through.objects.filter(motif_id=instance.pk).values_list("visit_id", flat=True)
            )
            instance._stats_visit_ids = visit_ids
    if _group.get() is not None:
        if action.startswith("pre_"):
            _remember(visit_ids)
        if reverse and pk_set is None and action.startswith("post_"):
            instance._stats_visit_ids = None
        return
    states = getattr(instance, BEFORE + "_m2m", None)
    if action.startswith("pre_"):
        setattr(instance, BEFORE + "_m2m", {pk: services.visit_contribution(pk) for pk in visit_ids})
        return
    delta = Counter()
    for pk in visit_ids:
        delta.update(services.visit_contribution(pk))
        delta.subtract((states or {}).get(pk, Counter()))
    services.summary_apply(delta)
    setattr(instance, BEFORE + "_m2m", None)
    if reverse and pk_set is None:
        instance._stats_visit_ids = None


def connect() -> None:
    uid = "accueil_stats"
    pre_save.connect(_before_save, sender=Visit, dispatch_uid=f"{uid}_pre_save")
    post_save.connect(_after_save, sender=Visit, dispatch_uid=f"{uid}_post_save")
    pre_delete.connect(_before_delete, sender=Visit, dispatch_uid=f"{uid}_pre_delete")
    post_delete.connect(_after_delete, sender=Visit, dispatch_uid=f"{uid}_post_delete")
    if hasattr(Visit, "motifs"):
        m2m_changed.connect(_motifs_changed, sender=Visit.motifs.through, dispatch_uid=f"{uid}_motifs")
