"""Roles have one source of truth: groups named by the role's code; the administrator flags follow from the roles."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from accounts.enums import Role
from accounts.models import User
from accounts.services import user_set_roles
from accounts.tests.factories import InvitationFactory, UserFactory
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent


def test_groups_are_named_by_the_role_code_and_labels_come_from_the_enumeration(client, maison_langres):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert not Group.objects.filter(name__in=Role.labels).exists()
    user = UserFactory(email="camille@haute-marne.fr", maisons=[maison_langres])
    user.groups.set(Group.objects.filter(name__in=["agent", "elu"]))
    assert User.objects.get(pk=user.pk).roles == {Role.AGENT, Role.ELECTED}
    client.force_login(user)
    html = client.get("/comptes/").content.decode()
    assert "<li>Agent d’accueil</li>" in html and "<li>Élu·e</li>" in html


def test_a_group_that_is_no_role_gives_no_role():
    user = UserFactory()
    user.groups.add(Group.objects.create(name="Agent d’accueil"))  # The former label: no longer a role.
    assert User.objects.get(pk=user.pk).roles == set()


def test_administrator_role_gives_and_takes_the_flags_and_is_journaled(user_with_role):
    actor = user_with_role(Role.ADMINISTRATOR)
    user = UserFactory(agent=True)

    user = user_set_roles(user=user, roles=[Role.AGENT, Role.ADMINISTRATOR], actor=actor)
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert user.roles == {Role.AGENT, Role.ADMINISTRATOR}

    user = user_set_roles(user=user, roles=[Role.AGENT], actor=actor)
    user = User.objects.get(pk=user.pk)
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert user.roles == {Role.AGENT}

    events = SecurityEvent.objects.filter(kind=SecurityEventKind.ROLES_CHANGED, user=user).order_by("occurred_at")
    assert [(e.details["before"], e.details["after"], e.actor) for e in events] == [
        (["agent"], ["administrateur", "agent"], actor),
        (["administrateur", "agent"], ["agent"], actor),
    ]


def test_setting_the_same_roles_records_nothing_and_keeps_other_groups():
    user = UserFactory(elected=True)
    other = Group.objects.create(name="Comité de pilotage")
    user.groups.add(other)
    user_set_roles(user=user, roles=[Role.ELECTED])
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLES_CHANGED).exists()
    assert set(user.groups.values_list("name", flat=True)) == {"elu", "Comité de pilotage"}


def test_the_last_active_administrator_keeps_the_role(user_with_role):
    admin = user_with_role(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="au moins un administrateur actif"):
        user_set_roles(user=admin, roles=[Role.PROJECT_LEAD], actor=admin)
    assert User.objects.get(pk=admin.pk).roles == {Role.ADMINISTRATOR}
    second = user_with_role(Role.ADMINISTRATOR)
    user_set_roles(user=admin, roles=[Role.PROJECT_LEAD], actor=second)
    assert not User.objects.get(pk=admin.pk).is_superuser


def test_createsuperuser_gives_the_administrator_role(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Chaumont-Prefecture-52000")
    call_command("createsuperuser", interactive=False, email="Premier.Admin@haute-marne.fr", verbosity=0)
    user = User.objects.get(email="premier.admin@haute-marne.fr")
    assert user.roles == {Role.ADMINISTRATOR}
    assert user.is_staff and user.is_superuser
    assert user.check_password("Chaumont-Prefecture-52000")


def test_an_administrator_changing_groups_in_the_admin_moves_the_flags(client_for):
    client = client_for(Role.ADMINISTRATOR)
    user = UserFactory(email="sophie@haute-marne.fr", first_name="Sophie", last_name="Lemoine", project_lead=True)
    url = f"/admin/accounts/user/{user.pk}/change/"
    form = client.get(url).content.decode()
    for hidden in ("is_staff", "is_superuser", "user_permissions"):
        assert f'name="{hidden}"' not in form  # Follow from the roles: not editable, cannot drift.
    assert "Chef·fe de projet" in form  # The role's label, not the group's code.

    def post(*roles):
        data = {"email": user.email, "first_name": "Sophie", "last_name": "Lemoine", "is_active": "on"}
        data["groups"] = [Group.objects.get(name=role.group_name).pk for role in roles]
        return client.post(url, data)

    assert post(Role.PROJECT_LEAD, Role.ADMINISTRATOR).status_code == 302
    user.refresh_from_db()
    assert user.is_superuser and user.is_staff
    assert post(Role.PROJECT_LEAD).status_code == 302
    user = User.objects.get(pk=user.pk)
    assert not user.is_superuser and not user.is_staff
    assert user.roles == {Role.PROJECT_LEAD}
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.ROLES_CHANGED, user=user).latest("occurred_at")
    assert event.details == {"before": ["administrateur", "chef_projet"], "after": ["chef_projet"]}
    assert event.actor.has_role(Role.ADMINISTRATOR)


def test_the_admin_refuses_to_remove_the_last_administrator(client, user_with_role):
    admin = user_with_role(Role.ADMINISTRATOR, first_name="Alex", last_name="Perrin")
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{admin.pk}/change/",
        {"email": admin.email, "first_name": "Alex", "last_name": "Perrin", "is_active": "on", "groups": []},
    )
    assert response.status_code == 200
    assert "Il doit rester au moins un administrateur actif." in response.content.decode()
    assert User.objects.get(pk=admin.pk).roles == {Role.ADMINISTRATOR}


def test_role_groups_hold_no_model_permission_but_the_communication_groups_wagtail_rights():
    """Wagtail checks its own permissions: the communication group holds those it needs to edit content
    (pages/migrations/0003), nothing else; no other role group holds any."""
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.snippets.models import get_snippet_models

    from pages.services import COLLECTION_PERMISSIONS, MODEL_PERMISSIONS, PAGE_PERMISSIONS

    others = [role.group_name for role in Role if role != Role.COMMUNICATION]
    assert not Permission.objects.filter(group__name__in=others).exists()
    held = set(
        Permission.objects.filter(group__name=Role.COMMUNICATION.group_name).values_list(
            "content_type__app_label", "codename"
        )
    )
    assert held >= {(app, codename) for app, codenames in MODEL_PERMISSIONS.items() for codename in codenames}
    # Beyond those: only the Wagtail settings and snippets the communication service edits (legal/, pages/).
    edited_in_wagtail = {model._meta.app_label for model in [*settings_registry, *get_snippet_models()]}
    assert {app for app, _ in held} <= {"wagtailadmin", "wagtailredirects", *edited_in_wagtail}
    page_rights = set(
        GroupPagePermission.objects.filter(group__name=Role.COMMUNICATION.group_name).values_list(
            "permission__codename", flat=True
        )
    )
    assert page_rights == set(PAGE_PERMISSIONS)
    collection_rights = set(
        GroupCollectionPermission.objects.filter(group__name=Role.COMMUNICATION.group_name).values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    )
    assert collection_rights == {
        (app, codename) for app, codenames in COLLECTION_PERMISSIONS.items() for codename in codenames
    }
    # Wagtail's sample groups are gone: no group outside the roles can edit or publish.
    assert not GroupPagePermission.objects.exclude(group__name=Role.COMMUNICATION.group_name).exists()
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


def test_migrate_creates_missing_groups_and_keeps_what_an_administrator_changed():
    agent = Group.objects.get(name=Role.AGENT.group_name)
    permission = Permission.objects.get(codename="view_visit")
    agent.permissions.add(permission)  # An administrator's choice.
    Group.objects.filter(name=Role.ELECTED.group_name).delete()

    call_command("migrate", verbosity=0)

    assert list(agent.permissions.all()) == [permission]
    assert Group.objects.filter(name=Role.ELECTED.group_name).exists()
    assert Group.objects.filter(name__in=Role.values).count() == len(Role)


def test_the_data_migration_renames_label_groups_to_codes_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old_apps = executor.loader.project_state([("accounts", "0001_initial")]).apps
    OldGroup = old_apps.get_model("auth", "Group")
    OldUser = old_apps.get_model("accounts", "User")
    OldGroup.objects.all().delete()
    lead_group = OldGroup.objects.create(name="Chef·fe de projet")
    lead_group.permissions.add(Permission.objects.get(codename="change_maison").pk)
    lead = OldUser.objects.create(email="lead@haute-marne.fr", is_staff=True)
    lead.groups.add(lead_group)
    superuser = OldUser.objects.create(email="root@haute-marne.fr", is_staff=True, is_superuser=True)

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_role_groups_keyed_by_code")])

    assert User.objects.get(pk=lead.pk).roles == {Role.PROJECT_LEAD}
    assert not User.objects.get(pk=lead.pk).is_staff  # Only the administrator role opens /admin/.
    assert not Group.objects.get(name="chef_projet").permissions.exists()
    root = User.objects.get(pk=superuser.pk)
    assert root.roles == {Role.ADMINISTRATOR} and root.is_superuser

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    assert set(OldGroup.objects.values_list("name", flat=True)) >= {"Chef·fe de projet", "Administrateur·rice"}
    assert OldUser.objects.get(pk=lead.pk).groups.get().name == "Chef·fe de projet"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_invitation_labels_come_from_the_enumeration(client_for):
    invitation = InvitationFactory(email="nina@haute-marne.fr")
    invitation.roles.set(Group.objects.filter(name__in=["agent", "communication"]))
    html = client_for(Role.ADMINISTRATOR).get("/comptes/invitations/").content.decode()
    assert "Agent d’accueil, Communication" in html


def test_the_admin_lists_people_by_role(client_for):
    UserFactory(email="agent.un@haute-marne.fr", agent=True)
    UserFactory(email="elu.un@haute-marne.fr", elected=True)
    html = client_for(Role.ADMINISTRATOR).get("/admin/accounts/user/?role=elu").content.decode()
    assert "elu.un@haute-marne.fr" in html and "agent.un@haute-marne.fr" not in html
    assert "Élu·e" in html  # The filter shows the roles' labels.


def test_a_role_group_cannot_be_renamed_or_deleted_in_the_admin(client_for):
    client = client_for(Role.ADMINISTRATOR)
    group = Group.objects.get(name=Role.AGENT.group_name)
    response = client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "Agents", "permissions": []})
    assert response.status_code == 302
    assert Group.objects.filter(pk=group.pk, name="agent").exists()
    assert client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Group.objects.filter(pk=group.pk).exists()
    assert "Agent d’accueil" in client.get("/admin/auth/group/").content.decode()


def test_the_invitation_list_filters_by_role_label(admin_client):
    lead = InvitationFactory(email="cheffe@haute-marne.fr")
    lead.roles.set(Group.objects.filter(name=Role.PROJECT_LEAD.group_name))
    InvitationFactory(email="agent@haute-marne.fr")

    html = admin_client.get("/admin/accounts/invitation/").content.decode()
    assert "Chef·fe de projet" in html
    filtered = admin_client.get("/admin/accounts/invitation/?role=chef_projet").content.decode()
    assert "cheffe@haute-marne.fr" in filtered and "agent@haute-marne.fr" not in filtered
