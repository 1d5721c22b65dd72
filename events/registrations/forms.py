from django import forms
from django.conf import settings

from core.retention import duration_in_words
from core.validators import single_line_text

from .services import CONSENT_TEXT


def consent_text() -> str:
    import datetime

    return CONSENT_TEXT.format(
        delay=duration_in_words(datetime.timedelta(days=settings.EVENT_REGISTRATION_RETENTION_DAYS))
    )


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="La confirmation et le lien d’annulation y sont envoyés.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."},
    )
    consent = forms.BooleanField(
        label="",
        error_messages={"required": "Cochez cette case pour vous inscrire : sans ces données, pas d’inscription."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text()
        self.fields["name"].error_messages["required"] = "Indiquez votre nom et votre prénom."
        self.fields["email"].error_messages["required"] = "Indiquez votre adresse électronique."
