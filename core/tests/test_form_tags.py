"""core/templatetags/form_tags.py writes each choice's <input> as Django's option templates do."""

import pytest
from django import forms
from django.template import Context, Template

from accueil.forms import VisitForm

TAG = Template("{% load form_tags %}{% choice_input choice %}")


class ChoicesForm(forms.Form):
    channel = forms.ChoiceField(
        choices=[("physique", "Sur place"), ("telephone", "Téléphone")], widget=forms.RadioSelect, help_text="Aide"
    )
    reasons = forms.MultipleChoiceField(
        choices=[(1, "Routes"), (2, "Collèges"), (3, "« Autre » & <divers>")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chips", "data-x": "1"}),
        required=False,
    )
    sex = forms.ChoiceField(choices=[("", "non indiqué"), ("f", "femme")], widget=forms.RadioSelect, required=False)


@pytest.mark.parametrize(
    "form",
    [
        ChoicesForm(),
        ChoicesForm(initial={"channel": "telephone", "reasons": [2, 3]}),
        ChoicesForm(data={"reasons": ["1", "3"], "sex": ""}),  # Bound, with an error (channel missing).
    ],
)
def test_each_choice_is_written_as_django_writes_it(form):
    for name in form.fields:
        for choice in form[name]:
            assert TAG.render(Context({"choice": choice})) == choice.tag(), (name, choice.data)


@pytest.mark.django_db
def test_the_reception_form_choices_are_written_as_django_writes_them():
    form = VisitForm()
    checked = 0
    for name in ("channel", "outcome", "duration_band", "age_band", "sex", "satisfaction"):
        for choice in form[name]:
            html = TAG.render(Context({"choice": choice}))
            assert html == choice.tag()
            checked += " checked" in html
    assert checked >= 2  # The channel's and the outcome's defaults.
