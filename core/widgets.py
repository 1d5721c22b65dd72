"""Form widgets shared by the apps."""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A <select> of a model's rows by the thousand (the partner directory: 5,000 in the benchmark), written in
    Python from (pk, str) pairs: Django's Select renders a template per option and the field builds a model
    instance per row, two seconds for 5,000 options on the reception screen, which must answer in tens of
    milliseconds (issue 8); a hundred Maisons in the statistics' filter took 10 ms. The label is the `label_field`
    column (the model's `__str__`), the value the field's `to_field_name` (the primary key by default)."""

    def __init__(self, attrs=None, *, label_field: str = "name"):
        super().__init__(attrs)
        self.label_field = label_field

    def _pairs(self):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            if field.empty_label is not None:
                yield "", field.empty_label
            key = field.to_field_name or "pk"
            yield from field.queryset.values_list(key, self.label_field).iterator(chunk_size=2000)
        else:
            yield from choices

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in selected else ""}>{escape(str(label))}'
            "</option>"
            for key, label in self._pairs()
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')
