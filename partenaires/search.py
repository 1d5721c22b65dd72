"""The directory's French full-text search, accent-insensitive: « securite sociale » finds « Sécurité sociale ».

Each partner holds a `search_vector` (GIN-indexed) built from its texts and its services' with the « french »
configuration over `unaccent()` (PostgreSQL docs, « unaccent »); the query goes through `unaccent()` as well, so
both sides lose their accents before stemming. The services of partenaires.services rebuild it on every change.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Func, QuerySet, Value

CONFIG = "french"


def unaccent(expression):
    return Func(expression, function="unaccent")


def weighted(text: str, weight: str) -> SearchVector:
    return SearchVector(unaccent(Value(text)), config=CONFIG, weight=weight)


def search_query(words: str) -> SearchQuery:
    """The reader's words, as a search engine reads them (quotes, « ou », a minus sign), without accents."""
    return SearchQuery(unaccent(Value(words)), config=CONFIG, search_type="websearch")


def matching(queryset: QuerySet, words: str) -> QuerySet:
    query = search_query(words)
    return (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "name")
    )
