"""core.widgets.LongSelect: the same choices as Django's Select, escaped, in a bounded number of queries."""

from django import forms

from core.widgets import LongSelect
from partenaires.models import Partner
from partenaires.tests.factories import PartnerFactory


class PartnerForm(forms.Form):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=Partner.objects.all(), required=False)
    long = forms.ModelChoiceField(
        label="Partenaire", queryset=Partner.objects.all(), required=False, widget=LongSelect(label_field="name")
    )


def test_long_select_renders_every_row_escaped_with_the_chosen_one_selected(django_assert_num_queries):
    PartnerFactory(name="CAF <Haute-Marne> & co", slug="caf")
    chosen = PartnerFactory(name="CPAM", slug="cpam")
    form = PartnerForm(initial={"long": chosen.pk})

    with django_assert_num_queries(1):
        html = str(form["long"])

    assert html.startswith('<select name="long" id="id_long">') and html.endswith("</select>")
    assert '<option value="" selected>---------</option>' not in html
    assert '<option value="">---------</option>' in html
    assert "CAF &lt;Haute-Marne&gt; &amp; co" in html
    assert f'<option value="{chosen.pk}" selected>CPAM</option>' in html
    # The same options as Django's own Select.
    assert html.count("<option") == str(form["partner"]).count("<option") == 3


def test_long_select_offers_the_field_s_own_values(maison_langres):
    from maisons.models import Maison

    class MaisonForm(forms.Form):
        maison = forms.ModelChoiceField(
            queryset=Maison.objects.all(), to_field_name="slug", empty_label=None, widget=LongSelect()
        )

    form = MaisonForm({"maison": maison_langres.slug})
    assert form.is_valid() and form.cleaned_data["maison"] == maison_langres
    assert f'<option value="{maison_langres.slug}" selected>{maison_langres.name}</option>' in str(form["maison"])


def test_long_select_writes_grouped_choices_as_django_s_select_does():
    choices = [("", "Toutes"), ("Famille", [("famille", "Famille (tout)"), ("garde", "Garde d’enfants & <crèches>")])]

    class ThemeForm(forms.Form):
        long = forms.ChoiceField(choices=choices, required=False, widget=LongSelect())
        plain = forms.ChoiceField(choices=choices, required=False)

    form = ThemeForm({"long": "garde", "plain": "garde"})
    long, plain = str(form["long"]), str(form["plain"])
    assert '<optgroup label="Famille"><option value="famille">Famille (tout)</option>' in long
    assert '<option value="garde" selected>Garde d’enfants &amp; &lt;crèches&gt;</option></optgroup>' in long
    assert long.count("<option") == plain.count("<option") == 3
    assert long.count("<optgroup") == plain.count("<optgroup") == 1
