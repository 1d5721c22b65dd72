"""The communication role edits the content in /cms/: Wagtail's permissions for its group, and for no other.

Roles are groups keyed by code (accounts/roles.py); the administrator is a superuser. Wagtail's own sample groups
(« Editors », « Moderators ») are removed: no portal role matches them, and an unknown group with publishing rights
is a way around the role matrix. Its default moderation workflow goes to the communication group.
Permissions are created here if missing (on a fresh database, Django creates them only after every migration).
"""

from django.db import migrations

COMMUNICATION = "communication"
WAGTAIL_SAMPLE_GROUPS = ["Editors", "Moderators"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image", "delete_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document", "delete_document"],
}
MODEL_PERMISSIONS = {
    ("wagtailadmin", "admin"): ["access_admin"],
    ("pages", "newscategory"): ["add_newscategory", "change_newscategory", "delete_newscategory"],
    ("pages", "mainmenu"): ["change_mainmenu"],
    ("wagtailredirects", "redirect"): ["add_redirect", "change_redirect", "delete_redirect"],
}


def _permission(apps, app_label: str, model: str, codename: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")

    communication, _ = Group.objects.get_or_create(name=COMMUNICATION)
    samples = Group.objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS)
    for task in GroupApprovalTask.objects.filter(groups__in=samples).distinct():
        task.groups.set([communication])
        Task.objects.filter(pk=task.pk).update(name="Validation par le service communication")
    Workflow.objects.filter(name="Moderators approval").update(name="Validation par le service communication")
    GroupPagePermission.objects.filter(group__in=samples).delete()
    GroupCollectionPermission.objects.filter(group__in=samples).delete()
    samples.delete()

    for (app_label, model), codenames in MODEL_PERMISSIONS.items():
        communication.permissions.add(*[_permission(apps, app_label, model, codename) for codename in codenames])
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=communication, page=root_page, permission=_permission(apps, "wagtailcore", "page", codename)
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for (app_label, model), codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=communication,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    communication = Group.objects.filter(name=COMMUNICATION).first()
    if communication is None:
        return
    GroupPagePermission.objects.filter(group=communication).delete()
    GroupCollectionPermission.objects.filter(group=communication).delete()
    for task in GroupApprovalTask.objects.filter(groups=communication):
        task.groups.remove(communication)
    communication.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_home_page_at_site_root"),
        ("accounts", "0003_safe_text_validators"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
