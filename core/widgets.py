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
    column (the model's `__str__`), the value the field's `to_field_name` (the primary key by default). Plain
    choices work too, grouped ones included (<optgroup>): the directory's 86 themes took 6 ms through templates."""

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

    def _options(self, pairs, selected: set[str]) -> str:
        parts = []
        for key, label in pairs:
            if isinstance(label, (list, tuple)):  # A group of choices: (its label, [(value, label)…]).
                parts.append(f'<optgroup label="{escape(str(key))}">{self._options(label, selected)}</optgroup>')
            else:
                mark = " selected" if str(key) in selected else ""
                parts.append(f'<option value="{escape(str(key))}"{mark}>{escape(str(label))}</option>')
        return "".join(parts)

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}
        options = self._options(self._pairs(), selected)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')
