"""The directory's French full-text search, accent-insensitive: « securite sociale » finds « Sécurité sociale ».

Each partner holds a `search_vector` (GIN-indexed) built from its texts and its services' with the « french »
configuration over `unaccent()` (PostgreSQL docs, « unaccent »); the query goes through `unaccent()` as well, so
both sides lose their accents before stemming. The services of partenaires.services rebuild it on every change.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Case, F, Func, Q, QuerySet, Value, When

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


def by_name(queryset: QuerySet, words: str) -> QuerySet:
    """Partners for a few letters typed in a name field (the reception's orientation, accueil/forms.py): those whose
    name contains them or whose acronym is them, accent- and case-insensitive, names that start with them first;
    then the directory's full-text matches (« logement » finds the housing partners), each group by name. `place`
    says which: 0 and 1 for a name or acronym match, 2 for a match on the partner's texts only."""
    words = " ".join(words.split())
    query = search_query(words)
    in_name = Q(name__unaccent__icontains=words) | Q(acronym__unaccent__iexact=words)
    return (
        queryset.filter(in_name | Q(search_vector=query))
        .annotate(place=Case(When(name__unaccent__istartswith=words, then=0), When(in_name, then=1), default=2))
        .order_by("place", "name")
    )
