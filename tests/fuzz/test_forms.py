"""Every form of the portal fed with hostile data: validation never raises, speaks French, writes nothing.

Where a valid form's data goes through a service (FormCase.save), a refusal by the service leaves no row behind.
"""

import pytest
from allauth.core import context as allauth_context
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from .registry import FORMS
from .support import (
    FUZZ,
    changed_counts,
    english_messages,
    form_messages,
    hostile_text,
    id_like,
    row_counts,
    watched_tables,
    wrong_type,
)


def _choice_values(field: forms.Field) -> list[str]:
    return [str(value) for value, _ in getattr(field, "choices", []) if str(value) != ""]


def _field_values(name: str, field: forms.Field, known: dict[str, list[str]]) -> st.SearchStrategy:
    odd = st.one_of(id_like(), wrong_type())
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        options = _choice_values(field)
        item = st.one_of(st.sampled_from(options), id_like()) if options else id_like()
        return st.one_of(st.lists(item, max_size=4), odd)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        options = _choice_values(field)
        return st.one_of(st.sampled_from(options), odd) if options else odd
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", "", "false", "0", "True"]), odd)
    candidates = [hostile_text(), odd]
    if name in known:
        candidates.insert(0, st.sampled_from(known[name]))
    return st.one_of(*candidates)


def form_data(form: forms.BaseForm, known: dict[str, list[str]]) -> st.SearchStrategy[dict]:
    """Data for this form: any field may be missing, hostile, of a wrong type, a valid choice or a known value."""
    optional = {name: _field_values(name, field, known) for name, field in form.fields.items()}
    extra = st.dictionaries(st.text(max_size=8), hostile_text(max_size=8), max_size=2)

    def merge(drawn):
        fields, extra_fields, same = drawn
        values = {**extra_fields, **fields}
        if same and "password1" in values:
            values["password2"] = values["password1"]
        # As a request gives them: a QueryDict, where a field may hold several values or none.
        data = QueryDict(mutable=True)
        for name, value in values.items():
            data.setlist(name, value if isinstance(value, list) else [value])
        return data

    return st.tuples(st.fixed_dictionaries({}, optional=optional), extra, st.booleans()).map(merge)


@pytest.mark.parametrize("case", FORMS, ids=lambda case: case.name)
def test_form_validation_never_raises_speaks_french_and_writes_nothing(case, fuzz_context):
    ctx = fuzz_context
    tables = watched_tables()
    with allauth_context.request_context(ctx.request):
        strategy = form_data(case.form_class(**case.kwargs(ctx)), ctx.known_values())

    @FUZZ
    @given(data=strategy)
    def check(data):
        with transaction.atomic(), allauth_context.request_context(ctx.request):
            before = row_counts(tables)
            form = case.form_class(data=data, **case.kwargs(ctx))
            if not form.is_valid():
                assert english_messages(form_messages(form)) == []
                assert changed_counts(before, row_counts(tables)) == {}
            elif case.save is not None:
                try:
                    case.save(form, ctx)
                except ValidationError as error:  # A refusal the service makes itself (a twin, a race).
                    assert english_messages(error.messages) == []
                    assert changed_counts(before, row_counts(tables)) == {}
            transaction.set_rollback(True)

    check()


def test_the_french_check_catches_django_english_defaults():
    messages = ["This field is required.", "Ce champ est obligatoire.", "Code incorrect.", "Enter a valid date."]

    assert english_messages(messages) == ["This field is required.", "Enter a valid date."]
