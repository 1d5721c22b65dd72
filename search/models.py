from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

# The text search configuration created by migration 0001: French stemming after unaccent, so "college" finds
# "collège" and "routes" finds "route" (PostgreSQL docs, "Text Search Dictionaries", unaccent).
SEARCH_CONFIG = "french_unaccent"


class SearchEntry(models.Model):
    """One public object of the site (a Maison, a page, a news item…) as the search sees it.

    Rows are written only by `search.index` from the providers the apps register; `search_vector` is computed by
    PostgreSQL from the title (weight A), the summary (B) and the body (C).
    """

    key = models.CharField("clé", max_length=100, unique=True, help_text="« maison:12 », « page:34 »…")
    kind = models.CharField("type", max_length=40, db_index=True)
    title = models.CharField("titre", max_length=255)
    url = models.CharField("adresse", max_length=500)
    summary = models.TextField("résumé", blank=True)
    body = models.TextField("texte", blank=True)
    date = models.DateField("date", null=True, blank=True)
    maison = models.CharField("Maison", max_length=150, blank=True)
    is_suggested = models.BooleanField("proposé sans recherche", default=False)
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "entrée de l’index de recherche"
        verbose_name_plural = "entrées de l’index de recherche"
        ordering = ["kind", "title"]
        indexes = [GinIndex(fields=["search_vector"], name="search_entry_vector_gin")]

    def __str__(self):
        return f"{self.kind} · {self.title}"
