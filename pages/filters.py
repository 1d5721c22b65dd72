"""The news list's filters (`/actualites/?categorie=…&maison=…`): a form that filters a queryset (STYLE.md)."""

from urllib.parse import urlencode

from django import forms

from .cache import cached_for_public_pages


def category_choices() -> list[tuple[str, str]]:
    from .models import NewsCategory

    return [("", "Toutes les catégories"), *NewsCategory.objects.values_list("slug", "name")]


def maison_choices() -> list[tuple[str, str]]:
    from maisons.models import Maison

    return [("", "Toutes les Maisons"), *Maison.objects.published().order_by("name").values_list("slug", "name")]


class NewsFilterForm(forms.Form):
    categorie = forms.ChoiceField(label="Catégorie", required=False)
    maison = forms.ChoiceField(label="Maison", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorie"].choices = cached_for_public_pages("news-categories", category_choices)
        self.fields["maison"].choices = cached_for_public_pages("news-maisons", maison_choices)

    def filter_queryset(self, queryset):
        """An unknown category or Maison (an old link) filters nothing rather than failing."""
        if not self.is_valid():
            return queryset
        if category := self.cleaned_data["categorie"]:
            queryset = queryset.filter(category__slug=category)
        if maison := self.cleaned_data["maison"]:
            queryset = queryset.filter(maison__slug=maison)
        return queryset

    def querystring(self) -> str:
        """The valid filters as a query string, for the pagination links."""
        if not self.is_valid():
            return ""
        return urlencode({key: value for key, value in self.cleaned_data.items() if value})
