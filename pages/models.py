"""Editorial content in Wagtail: the home page, information pages about the Département's missions, news.

Every public page must stay within 8 SQL queries uncached (issue 6): the page types below load what they show in
bounded queries (select_related, renditions prefetched), the menu and filter choices come from the cache, and the
view restrictions Wagtail checks on every page are fetched in one query instead of two.
"""

from http import HTTPMethod

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import ContentStreamBlock, stream_text
from .cache import cached_for_public_pages
from .panels import OrderedInlinePanel
from .urls_ownership import reserved_root_slugs

NEWS_PER_PAGE = 10
HOME_LATEST_NEWS = 3


def restricted_paths() -> set[str]:
    """The tree paths of the pages with a view restriction, their aliases included."""
    restricted = Page.objects.filter(view_restrictions__isnull=False)
    return set(restricted.values_list("path", flat=True)) | set(
        Page.objects.filter(alias_of__in=restricted).values_list("path", flat=True)
    )


def root_slug_error(slug: str) -> str | None:
    """The French message refusing `slug` directly under the home page, or None if Django does not own it."""
    if slug in reserved_root_slugs():
        return (
            f"L’adresse « /{slug}/ » est déjà utilisée par une autre partie du portail : "
            "choisissez un autre identifiant (slug) pour cette page."
        )
    return None


class PortalPageForm(WagtailAdminPageForm):
    """The admin form of every page type: refuses a slug at the root of the site that a Django URL owns."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        parent = self.parent_page
        if slug and parent is not None and parent.depth == 2 and (message := root_slug_error(slug)):
            self.add_error("slug", message)
        return cleaned_data


class PortalPage(Page):
    """What every public page type shares: read-only, one layout, its plain text for the site search."""

    # Pages only read (invariant 4's matrix checks read-only routes): POST, PUT, DELETE… get 405.
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD]
    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        # Directly under the home page (depth 3), a slug must not be a first segment Django owns.
        if self.depth == 3 and (message := root_slug_error(self.slug)):
            raise ValidationError({"slug": message})

    def route(self, request, path_components):
        """Wagtail's routing, one query per level: the child's type comes from the cache, then the child itself.

        (Wagtail loads the child as a Page, then as its specific type: two queries per level.) The cached map of
        the children's slugs changes with the public pages: a page published, unpublished, moved or deleted.
        """
        if not path_components:
            return super().route(request, path_components)
        child_slug, remaining = path_components[0], path_components[1:]
        label = cached_for_public_pages(f"children-{self.pk}", self.children_types).get(child_slug)
        if label is None:
            raise Http404
        model = apps.get_model(label)
        try:
            subpage = model.objects.child_of(self).get(slug=child_slug)
        except model.DoesNotExist as error:
            raise Http404 from error
        subpage._cached_parent_obj = self
        return subpage.route(request, remaining)

    def children_types(self) -> dict[str, str]:
        """Each child's slug → its page type's label ("pages.newsindexpage")."""
        children = self.get_children().values_list("slug", "content_type__app_label", "content_type__model")
        return {slug: f"{app_label}.{model}" for slug, app_label, model in children}

    def get_view_restrictions(self):
        """Wagtail's check without a query when no restriction concerns the page (the restricted paths cached).

        Otherwise one query: ancestors by their tree path, aliases through their source page.
        """
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        if not set(paths) & cached_for_public_pages("restricted-paths", restricted_paths) and not self.alias_of_id:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths)
            | Q(page_id__in=Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id"))
        )

    def breadcrumb(self) -> list[Page]:
        """The ancestors between the home page and this page (both excluded), from the parents cached by routing."""
        trail = []
        page = self
        while page.depth > 3:
            page = page.get_parent()
            trail.append(page)
        return list(reversed(trail))

    def search_body(self) -> str:
        """The page's plain text for the site search (search/), title excluded."""
        return ""


# Home --------------------------------------------------------------------------------------------------------


class HomePage(PortalPage):
    """The site's root: the two Maisons (open now), featured pages chosen by editors, the latest news."""

    intro = models.TextField("Introduction", blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name="Contenu", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        OrderedInlinePanel("featured_pages", label="Pages mises en avant", max_num=6),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = "page d’accueil"
        verbose_name_plural = "pages d’accueil"

    def get_context(self, request, *args, **kwargs):
        # The home composes the apps (DESIGN.md): Maisons and their open-now status, as maisons.views.home did.
        from maisons.models import Maison

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        maisons = list(Maison.objects.published().with_schedule())
        for maison in maisons:
            maison.status = maison.status_at(now)  # « Fermée — ouvre lundi à 8 h 30 »
        context["maisons"] = maisons
        context["now"] = now
        context["featured_pages"] = cached_for_public_pages(f"featured-{self.pk}", self.featured_entries)
        latest_news = list(NewsPage.objects.live().visible().for_listing()[:HOME_LATEST_NEWS])
        context["latest_news"] = latest_news
        # The list's address is its items' parent's: no query for the index page itself.
        context["news_index_url"] = latest_news[0].get_url(request).rsplit("/", 2)[0] + "/" if latest_news else ""
        return context

    def featured_entries(self) -> list[dict]:
        """The featured pages as the home shows them (title, address, summary), cached with the public pages."""
        items = self.featured_pages.select_related("page").filter(page__live=True).order_by("sort_order")
        return [
            {"title": item.page.title, "url": item.page.get_url(), "summary": item.page.search_description}
            for item in items
        ]

    def search_body(self) -> str:
        return "\n".join(part for part in [self.intro, stream_text(self.body)] if part)


class HomeFeaturedPage(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_pages")
    page = models.ForeignKey(Page, verbose_name="Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = "page mise en avant"
        verbose_name_plural = "pages mises en avant"


# Information pages -------------------------------------------------------------------------------------------


class InformationPage(PortalPage):
    """A page about one of the Département's missions (routes, collèges, autonomie…)."""

    intro = models.TextField("Chapeau", max_length=600, help_text="Une ou deux phrases résumant la page.")
    body = StreamField(ContentStreamBlock(), verbose_name="Contenu")

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["pages.HomePage", "pages.InformationPage"]
    subpage_types = ["pages.InformationPage"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = "page d’information"
        verbose_name_plural = "pages d’information"

    def search_body(self) -> str:
        return "\n".join(part for part in [self.intro, stream_text(self.body)] if part)


# News --------------------------------------------------------------------------------------------------------


@register_snippet
class NewsCategory(models.Model):
    name = models.CharField("nom", max_length=80, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True, help_text="Utilisé dans l’adresse du filtre.")

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = "catégorie d’actualité"
        verbose_name_plural = "catégories d’actualité"

    def __str__(self):
        return self.name


class NewsIndexPage(RoutablePageMixin, PortalPage):
    """`/actualites/`: the news, newest first, filtered by category and Maison, with RSS and Atom feeds."""

    intro = models.TextField("Introduction", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "liste des actualités"
        verbose_name_plural = "listes des actualités"

    def route(self, request, path_components):
        # A news item in one query (its image, category and Maison joined), not Wagtail's two (page, then specific).
        if len(path_components) == 1 and self.live and path_components[0] not in NewsPage.RESERVED_SLUGS:
            try:
                item = NewsPage.objects.child_of(self).live().for_listing().get(slug=path_components[0])
            except NewsPage.DoesNotExist as error:
                raise Http404 from error
            item._cached_parent_obj = self
            return item.route(request, [])
        return super().route(request, path_components)

    def news(self):
        return NewsPage.objects.child_of(self).live().visible().for_listing()

    @path("")
    def news_list(self, request):
        from .filters import NewsFilterForm

        form = NewsFilterForm(request.GET)
        items = form.filter_queryset(self.news())
        paginator = Paginator(items, NEWS_PER_PAGE)
        page_number = request.GET.get("page") or 1
        try:
            news_page = paginator.page(int(page_number))
        except (ValueError, TypeError) as error:
            raise Http404("Numéro de page invalide.") from error
        except Exception as error:  # EmptyPage, PageNotAnInteger
            raise Http404("Cette page de résultats n’existe pas.") from error
        return self.render(
            request,
            context_overrides={
                "form": form,
                "news_page": news_page,
                "querystring": form.querystring(),
            },
        )

    @path("rss/")
    def rss_feed(self, request):
        from .feeds import NewsRssFeed

        return NewsRssFeed(self)(request)

    @path("atom/")
    def atom_feed(self, request):
        from .feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)

    def search_body(self) -> str:
        return self.intro


class NewsPageQuerySet(PageQuerySet):
    def visible(self):
        """Wagtail's public() in the same query: no view restriction on the item or any of its ancestors."""
        restricted_ancestor = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        return self.exclude(Exists(restricted_ancestor))

    def for_listing(self):
        """The image, its renditions, the category and the Maison in two queries whatever the number of items."""
        return (
            self.select_related("image", "category", "maison")
            .prefetch_related("image__renditions")
            .order_by("-date", "-first_published_at")
        )


class NewsPage(PortalPage):
    """A news item: its date, an image with its alternative text, a category, the Maison it concerns if any."""

    RESERVED_SLUGS = {"rss", "atom"}

    date = models.DateField("date de l’actualité", default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_alt = models.CharField(
        "texte alternatif de l’image",
        max_length=250,
        blank=True,
        help_text="Décrivez ce que montre l’image pour une personne qui ne la voit pas. Obligatoire avec une image.",
    )
    category = models.ForeignKey(
        NewsCategory, verbose_name="catégorie", null=True, blank=True, on_delete=models.SET_NULL, related_name="news"
    )
    maison = models.ForeignKey(
        "maisons.Maison",
        verbose_name="Maison concernée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )
    intro = models.TextField("chapeau", max_length=600)
    body = StreamField(ContentStreamBlock(), verbose_name="contenu", blank=True)

    objects = PageManager.from_queryset(NewsPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading="Image"),
        FieldPanel("category"),
        FieldPanel("maison"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types = []
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"

    def clean(self):
        super().clean()
        errors = {}
        if self.image_id and not self.image_alt.strip():
            errors["image_alt"] = "Donnez un texte alternatif à l’image : elle ne peut pas être publiée sans."
        if self.slug in self.RESERVED_SLUGS:
            errors["slug"] = f"L’identifiant « {self.slug} » est réservé aux flux des actualités."
        if errors:
            raise ValidationError(errors)

    def search_body(self) -> str:
        return "\n".join(part for part in [self.intro, stream_text(self.body)] if part)


# Main navigation ---------------------------------------------------------------------------------------------


@register_setting(icon="list-ul")
class MainMenu(BaseGenericSetting, ClusterableModel):
    """The entries the communication service adds to the main navigation, after the portal's fixed ones."""

    panels = [OrderedInlinePanel("items", label="Entrées du menu", max_num=6)]

    class Meta:
        verbose_name = "menu principal"
        verbose_name_plural = "menu principal"


class MainMenuItem(Orderable):
    menu = ParentalKey(MainMenu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField("libellé", max_length=40)
    link_page = models.ForeignKey(
        Page, verbose_name="page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    link_url = models.CharField(
        "ou adresse",
        max_length=300,
        blank=True,
        help_text="Une adresse du portail commençant par « / » (ex. /agenda/), si aucune page n’est choisie.",
    )

    panels = [FieldPanel("label"), PageChooserPanel("link_page"), FieldPanel("link_url")]

    class Meta(Orderable.Meta):
        verbose_name = "entrée du menu"
        verbose_name_plural = "entrées du menu"

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError("Choisissez soit une page, soit une adresse, pour chaque entrée du menu.")
        if self.link_url and not self.link_url.startswith("/"):
            raise ValidationError({"link_url": "L’adresse doit être une adresse du portail, commençant par « / »."})
