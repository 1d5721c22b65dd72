import psycopg.errors
import pytest
from django.db import OperationalError

from core.db import atomic_with_retry
from maisons.models import Commune


def _aborted(sqlstate_error: type[Exception]) -> OperationalError:
    error = OperationalError("aborted")
    error.__cause__ = sqlstate_error("aborted")
    return error


def test_a_transaction_aborted_by_a_deadlock_runs_again_and_keeps_only_the_last_attempt():
    calls = []

    def work():
        calls.append(len(calls))
        Commune.objects.create(
            code_insee=f"5200{len(calls)}", name=f"Essai {len(calls)}", departement="52", region="44"
        )
        if len(calls) == 1:
            raise _aborted(psycopg.errors.DeadlockDetected)
        return "fait"

    assert atomic_with_retry(work) == "fait"
    assert calls == [0, 1]
    assert list(Commune.objects.values_list("code_insee", flat=True)) == ["52002"]  # The aborted write is gone.


def test_other_database_errors_are_not_retried():
    calls = []

    def work():
        calls.append(1)
        raise _aborted(psycopg.errors.QueryCanceled)

    with pytest.raises(OperationalError):
        atomic_with_retry(work)
    assert calls == [1]


def test_retries_stop_after_the_last_attempt():
    calls = []

    def work():
        calls.append(1)
        raise _aborted(psycopg.errors.SerializationFailure)

    with pytest.raises(OperationalError):
        atomic_with_retry(work, attempts=3)
    assert len(calls) == 3
