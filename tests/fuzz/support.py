"""What the fuzz tests share: hypothesis profiles, hostile values, row counts, the French-message check.

Profiles (HYPOTHESIS_PROFILE): `fuzz` (default, for CI: few examples, derandomized so that two runs draw the
same inputs) and `fuzz-long` (many random examples, for a local hunt):

    HYPOTHESIS_PROFILE=fuzz-long .venv/bin/pytest -p no:xdist tests/fuzz
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    max_examples=35,
    deadline=None,
    derandomize=True,
    database=None,
    # Function-scoped fixtures (users, the client) are built once per test and reused by every example, which
    # each run in a savepoint rolled back at their end (see `isolated`).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("fuzz-long", parent=settings.get_profile("fuzz"), max_examples=600, derandomize=False)
FUZZ = settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz")))

# Hostile text -------------------------------------------------------------------------------------------------

CONTROL = [chr(code) for code in range(0x20) if chr(code) not in "\n\t"] + ["\x7f", "\x85"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
SPECIAL = ["\n", "\r\n", "\t", "\u00a0", "\u200b", "\ufeff", "\u2028", "'", '"', "<", ">", "&", ";", "%", "\\"]
TRICKY = [
    "",
    " ",
    "null",
    "None",
    "0",
    "-1",
    "1e309",
    "9" * 30,
    "<script>alert(1)</script>",
    "'; DROP TABLE accounts_user; --",
    "{{ request }}",
    "%s%s%n",
    "é" * 3,
    "Zoë d’Argentré",
    "🏠🇫🇷",
    "\U0010ffff",
    "a@b",
    "@",
    "x" * 255 + "@haute-marne.fr",
    "personne@haute-marne.fr\nBcc: autre@example.org",
]
# Huge values: sampled sizes rather than drawn strings, which hypothesis keeps small.
HUGE = st.sampled_from([256, 1_001, 10_000, 200_000]).flatmap(
    lambda size: st.sampled_from(["a", "é", "🏠", "\u202e", "\x00"]).map(lambda char: char * size)
)


def hostile_text(*, max_size: int = 60) -> st.SearchStrategy[str]:
    """Any text a form might receive: unicode, control and bidi characters, empty, huge, injection-shaped."""
    spiced = st.lists(
        st.one_of(st.text(max_size=8), st.sampled_from(CONTROL + BIDI + SPECIAL)), max_size=max_size // 4
    ).map("".join)
    return st.one_of(st.text(max_size=max_size), spiced, st.sampled_from(TRICKY), HUGE)


def id_like() -> st.SearchStrategy[str]:
    """Values posted where an id or a choice is expected."""
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["", "0", "1", "1.5", "abc", "[1]", "00000000-0000-0000-0000-000000000000", "\x00"]),
        hostile_text(max_size=12),
    )


def wrong_type() -> st.SearchStrategy[object]:
    """Values of another shape than the field expects, as a request can carry them: no value, several values
    for one field, numbers in any notation (a request holds strings only: Django's fields assume so)."""
    return st.one_of(
        st.just([]),
        st.lists(st.text(max_size=5), min_size=2, max_size=3),
        st.floats(allow_nan=True).map(str),
        st.sampled_from(["True", "False", "None", "{}", "[]", "1,5"]),
    )


# French messages ----------------------------------------------------------------------------------------------

# Django's and allauth's English defaults: one slipping through means a message was not translated.
ENGLISH_DEFAULTS = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Enter a whole number",
    "Enter a number",
    "Enter a list of values",
    "Ensure this value",
    "Null characters are not allowed",
    "is not one of the available choices",
    "This password is",
    "The password is too similar",
    "Passwords must match",
    "You must type the same password",
    "The email address and/or password you specified are not correct",
    "Incorrect code",
    "already exists",
)
ENGLISH_WORDS = re.compile(
    r"\b(the|this|is|are|please|enter|field|required|ensure|must|should|characters|select|invalid|value|"
    r"password|not allowed|at most|at least)\b",
    re.IGNORECASE,
)


def english_messages(messages: list[str]) -> list[str]:
    """The messages that read as English rather than French."""
    return [
        message
        for message in messages
        if any(default.lower() in message.lower() for default in ENGLISH_DEFAULTS) or ENGLISH_WORDS.search(message)
    ]


def form_messages(form: forms.BaseForm) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


# Row counts ---------------------------------------------------------------------------------------------------

# Tables a refused request may write to: the security journal and the change log record attempts by design,
# sessions and the allauth session list follow signing in and out.
UNWATCHED_APPS = {"audit", "auditlog", "sessions", "usersessions", "admin", "django_celery_beat"}


def watched_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNWATCHED_APPS and model._meta.managed and not model._meta.proxy
    )


def row_counts(tables: list[str]) -> dict[str, int]:
    """Every watched table's row count, in one query."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_counts(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {table: (before[table], after[table]) for table in before if before[table] != after[table]}


# HTML forms ---------------------------------------------------------------------------------------------------


@dataclass
class HtmlForm:
    action: str
    fields: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """The POST forms of a page: per form, field name → (kind, option values), hidden values, action."""

    def __init__(self):
        super().__init__()
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = HtmlForm(action=attrs.get("action") or "")
            self.forms.append(self._form)
        form, name = self._form, attrs.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "hidden":
                form.hidden[name] = attrs.get("value") or ""
            elif kind in ("checkbox", "radio"):
                form.fields.setdefault(name, (kind, []))[1].append(attrs.get("value") or "on")
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields[name] = (kind, [])
        elif tag == "textarea" and name:
            form.fields[name] = ("textarea", [])
        elif tag == "select" and name:
            self._select = name
            form.fields[name] = ("select-multiple" if "multiple" in attrs else "select", [])
        elif tag == "option" and self._select:
            form.fields[self._select][1].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def parse_form(html: str, path: str) -> HtmlForm | None:
    """The page's main POST form: the one with the most fields, then the one posting to the page itself (not
    the sign-out button of the header)."""
    parser = _FormParser()
    parser.feed(html)
    return max(parser.forms, key=lambda form: (len(form.fields), form.action in ("", path)), default=None)


def post_bodies(form: HtmlForm, known: dict[str, list[str]]) -> st.SearchStrategy[dict[str, list[str]]]:
    """POST bodies for this form: each field missing, hostile, a valid option, or a value known to the test.

    `known` gives values worth trying per field name (a real password, an existing address): random text alone
    would never reach the code behind a first valid field. Hidden fields (the CSRF token) keep their value.
    """
    parts = {}
    for name, (kind, options) in form.fields.items():
        if kind in ("checkbox", "select-multiple"):
            value = st.lists(st.one_of(st.sampled_from(options), id_like()) if options else id_like(), max_size=4)
        else:
            choices = [st.sampled_from(options)] if options else []
            if name in known:
                choices.append(st.sampled_from(known[name]))
            single = (
                st.one_of(*choices, hostile_text(), id_like()) if choices else st.one_of(hostile_text(), id_like())
            )
            value = st.one_of(single.map(lambda text: [text]), st.lists(hostile_text(max_size=10), max_size=3))
        parts[name] = value
    fixed = {name: st.just([value]) for name, value in form.hidden.items()}
    extra = st.dictionaries(
        st.text(min_size=1, max_size=10), st.lists(hostile_text(max_size=10), max_size=2), max_size=2
    )
    return st.tuples(
        st.fixed_dictionaries({}, optional={**parts}), st.fixed_dictionaries(fixed), extra, st.booleans()
    ).map(_merge_body)


def _merge_body(drawn) -> dict[str, list[str]]:
    fields, hidden, extra, same_passwords = drawn
    body = {**extra, **fields, **hidden}
    # Confirmation fields copied from the first one, so that some examples get past "the passwords differ".
    if same_passwords and "password1" in body:
        body["password2"] = list(body["password1"])
    return {name: values for name, values in body.items() if "\x00" not in name}
