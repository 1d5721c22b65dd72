from django import forms

from .enums import Equipment
from .models import Room


class RoomForm(forms.ModelForm):
    # Ticked boxes rather than the comma-separated text Django gives an ArrayField.
    equipment = forms.MultipleChoiceField(
        label="Équipements", choices=Equipment.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Room
        fields = ["maison", "name", "capacity", "equipment", "step_free_access", "description", "is_active"]
