from django import forms
from django.core.exceptions import ValidationError

from . import timing
from .kinds import Kind
from .mail import TextError, compile_text, default_text
from .models import Rule


def _check_text(source: str) -> None:
    """A text must compile; its variables are checked by the preview, on a real case."""
    try:
        compile_text(source)
    except TextError as error:
        raise ValidationError(str(error)) from error


class TimingsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        value = super().clean(value)
        return [item.to_json() for item in timing.parse(value)]


class RuleForm(forms.ModelForm):
    timings = TimingsField(
        label="Délais d’envoi",
        required=False,
        help_text="Un délai par ligne, par exemple « 7 jours avant », « 1 jour avant à 17:00 », « 2 heures avant ». "
        "Heures de Paris.",
    )

    class Meta:
        model = Rule
        fields = ["enabled", "timings", "subject", "body"]
        labels = {"enabled": "Envoyer ce message", "subject": "Objet du courriel", "body": "Texte du courriel"}
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def __init__(self, *args, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind.timed:
            self.fields["timings"].required = True
            self.fields["timings"].error_messages["required"] = "Indiquez au moins un délai."
            self.initial["timings"] = timing.as_text([timing.Timing.from_json(item) for item in self.instance.timings])
        else:
            del self.fields["timings"]
        # The shipped texts are shown to be edited; kept unchanged (or emptied), the rule follows the shipped text.
        self.defaults = {part: default_text(kind, part).strip() for part in ("subject", "body")}
        for part in ("subject", "body"):
            if not getattr(self.instance, part):
                self.initial[part] = self.defaults[part]
        self.fields["subject"].help_text = "Effacé : le texte livré avec le portail."
        self.fields["body"].help_text = "Effacé : le texte livré avec le portail. " + kind.help

    def _clean_text(self, part: str) -> str:
        value = self.cleaned_data[part]
        _check_text(value)
        return "" if value.strip() == self.defaults[part] else value

    def clean_subject(self):
        return self._clean_text("subject")

    def clean_body(self):
        return self._clean_text("body")


class PreferencesForm(forms.Form):
    """One checkbox per kind the person may refuse, and their own lead times where the kind allows."""

    def __init__(self, *args, kinds: list[Kind], preferences: dict, rule_timings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for index, kind in enumerate(kinds):
            preference = preferences.get(kind.code)
            self.fields[f"enabled_{index}"] = forms.BooleanField(
                label=f"Recevoir « {kind.label} »",
                required=False,
                initial=preference.enabled if preference else True,
                help_text=f"Envoyé à {kind.recipients}"
                + (f", {kind.when}." if kind.when else f" : {', '.join(map(str, rule_timings[kind.code]))}."),
            )
            if kind.adjustable:
                self.fields[f"timings_{index}"] = TimingsField(
                    label=f"Mes délais pour « {kind.label} »",
                    required=False,
                    initial=timing.as_text([timing.Timing.from_json(item) for item in preference.timings])
                    if preference
                    else "",
                    help_text="Vide : les délais prévus ("
                    + ", ".join(map(str, rule_timings[kind.code]))
                    + "). Un délai par ligne, par exemple « 1 jour avant à 18:00 » ou « 3 heures avant ».",
                )

    def rows(self):
        """(kind, enabled field, timings field or None) for the template."""
        for index, kind in enumerate(self.kinds):
            yield kind, self[f"enabled_{index}"], self[f"timings_{index}"] if kind.adjustable else None

    def choices(self) -> dict[str, tuple[bool, list]]:
        return {
            kind.code: (
                self.cleaned_data[f"enabled_{index}"],
                self.cleaned_data.get(f"timings_{index}") or [],
            )
            for index, kind in enumerate(self.kinds)
        }
