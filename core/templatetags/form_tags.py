"""Form helpers for templates.

`{% choice_input choice %}` writes one radio button or checkbox of a field (a BoundWidget, `{% for choice in field
%}`) as `{{ choice.tag }}` does, without its two templates per option: the reception screen's radio buttons, sixty
of them, took a third of its time through Django's option templates (issue 8, « logging visitors in seconds »).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def choice_input(choice):
    """The <input> of `choice`, with the attributes Django's widget template writes, in the same order (its
    attrs.html: a True attribute by its name alone, a False one left out)."""
    data = choice.data
    attrs = {"type": data["type"], "name": data["name"]}
    if data["value"] is not None:
        attrs["value"] = data["value"]
    attrs.update(data["attrs"])
    written = "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )
    return mark_safe(f"<input{written}>")  # noqa: S308 (names from the widget, values escaped)
