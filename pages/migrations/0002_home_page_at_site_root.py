"""The site's root page becomes the portal's HomePage (instead of Wagtail's « Welcome » placeholder)."""

from django.db import migrations

HOME_PATH_PREFIX = "0001"


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("pages", "HomePage")
    if HomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    placeholder_type = ContentType.objects.get_for_model(Page)
    # Wagtail's placeholder (« Welcome to your new Wagtail site! »), if nothing was built under it.
    Page.objects.filter(depth=2, content_type=placeholder_type, numchild=0).delete()
    taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
    step = next(n for n in range(1, 10000) if f"{HOME_PATH_PREFIX}{n:04d}" not in taken)
    home = HomePage.objects.create(
        title="Accueil",
        draft_title="Accueil",
        slug="home",
        content_type=ContentType.objects.get_for_model(HomePage),
        path=f"{HOME_PATH_PREFIX}{step:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True)
    else:
        site.root_page_id = home.pk
        site.site_name = "Maisons du Département de la Haute-Marne"
        site.save(update_fields=["root_page", "site_name"])


def remove_home(apps, schema_editor):
    HomePage = apps.get_model("pages", "HomePage")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    root = Page.objects.filter(depth=1).first()
    for home in HomePage.objects.all():
        Site.objects.filter(root_page_id=home.pk).update(root_page_id=root.pk)
        Page.objects.filter(path__startswith=home.path).delete()
    if root is not None:
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_editorial_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home, remove_home)]
