from django import forms

from core.validators import multiline_text
from partenaires.forms import department_communes
from partenaires.models import Partner

from .services import PROPOSABLE_FIELDS


class ProposalForm(forms.ModelForm):
    """What a partner may change in its own entry; validated as the project lead's form is (model validators)."""

    comment = forms.CharField(
        label="Autres remarques (services, permanences…)",
        required=False,
        max_length=2000,
        validators=[multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui ne rentre pas dans les champs ci-dessus : un service à ajouter ou retirer, par exemple.",
    )

    class Meta:
        model = Partner
        fields = PROPOSABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = department_communes()
        self.fields["commune"].label_from_instance = lambda commune: commune.name
        self.fields["phone"].widget.attrs.update(autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["website"].widget.attrs.update(autocomplete="url")

    def proposed_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in PROPOSABLE_FIELDS}
