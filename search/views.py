from django.contrib.auth.decorators import login_not_required
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Func, Max, TextField, Value, Window
from django.db.models.functions import Concat, Lower
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from . import index
from .forms import SearchForm
from .models import SEARCH_CONFIG, SearchEntry

PER_PAGE = 10
SUGGESTIONS = 8
CLOSE_TITLES = 5
CLOSE_TITLE_SIMILARITY = 0.45  # "colege" → "Collèges" (0.56); "xyzzy" → nothing.
# Searches offered before anything is typed: the Département's missions that visitors ask about most.
EXAMPLE_QUERIES = ["collège", "routes", "transport scolaire", "aide à domicile", "horaires"]


class KnownCountPaginator(Paginator):
    """The total is already known from the per-kind counts: no extra COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@require_safe
@login_not_required
def search(request):
    """/recherche/?q=…&type=…&page=… — at most four queries, whatever the size of the index (GIN on the vector)."""
    kinds = index.kind_labels()
    form = SearchForm(request.GET, kinds=kinds)
    form.is_valid()  # Every field cleans to a usable value; nothing is ever refused.
    query_text = form.cleaned_data.get("q", "")
    kind = form.cleaned_data.get("type", "")
    context = {"form": form, "query_text": query_text, "kind": kind, "example_queries": EXAMPLE_QUERIES}
    if query_text:
        context.update(_results(request, query_text, kind, kinds))
    if query_text and not context["total"]:
        context["close_titles"] = _close_titles(query_text)
    if not context.get("total"):
        context["suggestions"] = list(
            SearchEntry.objects.filter(is_suggested=True).order_by("kind", "title").only("title", "url")[:SUGGESTIONS]
        )
    return render(request, "search/search.html", context)


def _results(request, query_text: str, kind: str, kinds: dict[str, str]) -> dict:
    query = SearchQuery(query_text, search_type="websearch", config=SEARCH_CONFIG)
    matches = SearchEntry.objects.filter(search_vector=query)
    counts = dict(matches.order_by().values_list("kind").annotate(n=Count("pk")))
    filters = [
        {"kind": k, "label": label, "count": counts[k], "current": k == kind}
        for k, label in kinds.items()
        if k in counts
    ]
    shown = matches.filter(kind=kind) if kind else matches
    total = counts.get(kind, 0) if kind else sum(counts.values())
    # The page's ids first (ranking reads only the vectors), then the headlines of these ten rows only:
    # ts_headline re-parses each text, and PostgreSQL would compute it for every row an OFFSET skips.
    ranked = (
        shown.annotate(
            rank=SearchRank(F("search_vector"), query),
            kind_rank=Window(Max(SearchRank(F("search_vector"), query)), partition_by=[F("kind")]),
        )
        .order_by("-kind_rank", "kind", "-rank", "title", "pk")
        .values_list("pk", flat=True)
    )
    page = KnownCountPaginator(ranked, PER_PAGE, count=total).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    page.object_list = sorted(
        SearchEntry.objects.filter(pk__in=ids)
        .annotate(title_html=_headline("title", query, highlight_all=True), excerpt_html=_headline(EXCERPT, query))
        .defer("summary", "body", "search_vector"),
        key=lambda entry: ids.index(entry.pk),
    )
    groups = []
    for entry in page.object_list:
        entry.title_html = _highlighted(entry.title_html)
        entry.excerpt_html = _highlighted(entry.excerpt_html)
        if not groups or groups[-1]["kind"] != entry.kind:
            groups.append(
                {"kind": entry.kind, "label": kinds.get(entry.kind, entry.kind), "count": counts[entry.kind]}
            )
            groups[-1]["entries"] = []
        groups[-1]["entries"].append(entry)
    return {"total": total, "all_count": sum(counts.values()), "filters": filters, "page_obj": page, "groups": groups}


EXCERPT = Concat("summary", Value("\n"), "body", output_field=TextField())


def _headline(expression, query: SearchQuery, **options) -> SearchHeadline:
    if not options.get("highlight_all"):
        options.update(max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ")
    return SearchHeadline(
        expression,
        query,
        config=SEARCH_CONFIG,
        start_sel=index.HIGHLIGHT_START,
        stop_sel=index.HIGHLIGHT_STOP,
        **options,
    )


def _close_titles(query_text: str) -> list[SearchEntry]:
    """Entries whose title is spelled like the query (pg_trgm word similarity, accents and case aside)."""

    def unaccent(expression):
        return Func(Lower(expression), function="unaccent", output_field=CharField())

    return list(
        SearchEntry.objects.annotate(similarity=TrigramWordSimilarity(unaccent(Value(query_text)), unaccent("title")))
        .filter(similarity__gte=CLOSE_TITLE_SIMILARITY)
        .order_by("-similarity", "title")
        .only("title", "url")[:CLOSE_TITLES]
    )


def _highlighted(text: str) -> str:
    """ts_headline's output as HTML: the text escaped, then only the markers of the matches turned into <mark>."""
    html = escape(text).replace(index.HIGHLIGHT_START, "<mark>").replace(index.HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - every character from the index is escaped above.
