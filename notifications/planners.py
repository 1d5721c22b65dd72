"""Planners: functions registered by the apps that recompute, from the database, the reminders of what starts
soon (events/notifications.py registers the calendar's). Run by beat (tasks.plan_window_task) and after the project
lead changes a rule."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_planners: dict[str, Callable[[], dict]] = {}


def register(name: str, planner: Callable[[], dict]) -> None:
    _planners[name] = planner


def run_planners() -> dict:
    results = {}
    for name, planner in _planners.items():
        results[name] = planner()
    logger.info("Reminder planners: %s", results)
    return results
