import re

from django import forms

from .index import clean_text

# Long enough for any real question, short enough to bound the query's parsing and ranking (issue 6, bad input).
QUERY_MAX_CHARS = 200


class QueryField(forms.CharField):
    """Free text that never fails: control characters dropped, spaces collapsed, cut at a word boundary."""

    def to_python(self, value):
        text = " ".join(clean_text(super().to_python(value)).split())
        if len(text) > QUERY_MAX_CHARS:
            text = text[:QUERY_MAX_CHARS]
            text = re.sub(r"\s+\S*$", "", text) or text
        return text


class SearchForm(forms.Form):
    """The search page's GET form; each field accepts anything (a wrong value means « no filter »)."""

    q = QueryField(
        label="Rechercher sur le site",
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )
    type = forms.CharField(required=False)

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def clean_type(self):
        kind = self.cleaned_data["type"]
        return kind if kind in self.kinds else ""
