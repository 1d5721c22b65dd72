from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import get_user_model, password_validation

from core.validators import single_line_text
from maisons.models import Maison

from .enums import Role
from .models import Invitation


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False, validators=[single_line_text])
    last_name = forms.CharField(label="Nom", max_length=150, required=False, validators=[single_line_text])
    roles = forms.MultipleChoiceField(label="Rôles", widget=forms.CheckboxSelectMultiple)
    maisons = forms.ModelMultipleChoiceField(
        label="Maisons de rattachement",
        queryset=Maison.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Obligatoire pour un agent d’accueil : il ne verra que ces Maisons.",
    )

    def __init__(self, *args, allowed_roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(role.value, role.label) for role in allowed_roles]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà pour cette adresse.")
        if Invitation.objects.pending().filter(email__iexact=email).exists():
            raise forms.ValidationError("Une invitation est déjà en attente pour cette adresse.")
        return email

    def clean_roles(self):
        return [Role(value) for value in self.cleaned_data["roles"]]

    def clean(self):
        cleaned = super().clean()
        if Role.AGENT in cleaned.get("roles", []) and not cleaned.get("maisons"):
            self.add_error("maisons", "Rattachez l’agent d’accueil à au moins une Maison.")
        return cleaned


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif password1:
            user = get_user_model()(
                email=self.invitation.email, first_name=self.invitation.first_name, last_name=self.invitation.last_name
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form with the portal's wording; the reset link sits under the form, not between fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Adresse électronique"
        self.fields["login"].widget.attrs.update({"autocomplete": "email", "placeholder": ""})
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.update({"placeholder": ""})
