"""Database helpers every app may use."""

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, transaction

T = TypeVar("T")

# SQLSTATE 40P01 and 40001: PostgreSQL aborted the transaction to break a lock cycle or keep serialisability;
# running it again is the documented answer ("Applications using this level must be prepared to retry").
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def is_retryable(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def atomic_with_retry(work: Callable[[], T], *, attempts: int = 8, backoff: float = 0.02) -> T:
    """Run `work` in its own transaction, again when PostgreSQL aborted it for a deadlock.

    Concurrent inserts checked by the same exclusion constraint wait on each other's uncommitted rows and can form
    a cycle: PostgreSQL then aborts one of them with "deadlock detected". Run again, it sees the committed winner and
    fails with the constraint's IntegrityError like the others. Must not be called inside an outer transaction,
    whose state the aborted attempt would have spoiled.

    Each new attempt waits a random moment, longer each time (exponential backoff with full jitter): aborted
    transactions that all came back at once would only form the same cycle again.
    """
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if attempt == attempts or not is_retryable(error):
                raise
        time.sleep(random.uniform(0, backoff * 2**attempt))
    raise AssertionError("unreachable")
