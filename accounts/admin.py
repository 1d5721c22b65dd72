from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from .enums import Role
from .models import Invitation, User
from .services import user_deactivate, user_reactivate, user_set_roles


class RoleFilter(admin.SimpleListFilter):
    """Filter by role, shown by its French label (groups are named by the role's code)."""

    title = "rôle"
    parameter_name = "role"
    groups_field = "groups"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(**{f"{self.groups_field}__name": Role(self.value()).group_name})
        return queryset


class InvitationRoleFilter(RoleFilter):
    groups_field = "roles"


class UserChangeForm(BaseUserAdmin.form):
    """Refuse, with a message, leaving the portal without an active administrator."""

    def clean(self):
        cleaned = super().clean()
        user = self.instance
        if user.pk and user.has_role(Role.ADMINISTRATOR):
            keeps_role = Role.ADMINISTRATOR in Role.from_group_names(g.name for g in cleaned.get("groups") or [])
            stays_active = cleaned.get("is_active", True)
            others = User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.group_name)
            if not (keeps_role and stays_active) and not others.exclude(pk=user.pk).exists():
                raise ValidationError("Il doit rester au moins un administrateur actif.")
        return cleaned


class RoleGroupsField(forms.ModelMultipleChoiceField):
    """The role groups, shown by their French label (groups are named by the role's code)."""

    def label_from_instance(self, obj):
        return Role.label_of_group(obj.name)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People and their roles. `is_staff` and `is_superuser` are not editable: they follow from the administrator
    role (accounts.services.user_set_roles); Django model permissions are not used by the portal, so neither
    individual permissions nor a staff flag without the role can drift from the roles.
    """

    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", RoleFilter, "maisons"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = ["maisons", "assisted_officials"]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Rôles et rattachement", {"fields": ["groups", "maisons", "assisted_officials"]}),
        (
            "Droits",
            {
                "fields": ["is_active", "is_staff", "is_superuser"],
                "description": "L’accès à l’administration découle du rôle Administrateur·rice. "
                "Décocher « actif » termine aussitôt toutes les sessions de la personne.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["deactivate_now", "reactivate"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            return RoleGroupsField(
                queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
                required=False,
                label="Rôles",
                widget=forms.CheckboxSelectMultiple,
                help_text="Le rôle Administrateur·rice donne l’accès complet à l’administration.",
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The services change is_active, with the sessions and the journal: the form only asks for it.
        toggled = change and "is_active" in form.changed_data
        if toggled:
            obj.is_active = not obj.is_active
        super().save_model(request, obj, form, change)
        if toggled and obj.is_active:
            user_deactivate(user=obj, actor=request.user)
        elif toggled:
            user_reactivate(user=obj, actor=request.user)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The roles go through the service, which sets the flags and records the change; Django must not save
        # the groups itself.
        groups = form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        if groups is not None:
            user_set_roles(user=form.instance, roles=Role.from_group_names(g.name for g in groups), actor=request.user)

    @admin.action(description="Désactiver immédiatement (fin de toutes les sessions)")
    def deactivate_now(self, request, queryset):
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(request, "Vous ne pouvez pas désactiver votre propre compte.", messages.ERROR)
                continue
            try:
                user_deactivate(user=user, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user.email} : {' '.join(error.messages)}", messages.ERROR)
                continue
            done += 1
        if done:
            self.message_user(request, f"{done} compte(s) désactivé(s) ; leurs sessions sont terminées.")

    @admin.action(description="Réactiver")
    def reactivate(self, request, queryset):
        for user in queryset:
            user_reactivate(user=user, actor=request.user)
        self.message_user(request, f"{queryset.count()} compte(s) réactivé(s).")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "expires_at", "accepted_at", "invited_by"]
    list_filter = ["accepted_at", InvitationRoleFilter]
    search_fields = ["email", "last_name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "user", "invited_by"]
    filter_horizontal = ["maisons"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "roles":
            return RoleGroupsField(
                queryset=Group.objects.filter(name__in=Role.values).order_by("name"),
                label="Rôles",
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_add_permission(self, request):
        # Invitations are sent from /comptes/invitations/, which mails the link; the admin cannot.
        return False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """A role's group keeps its name (the role's code) and cannot be deleted: its members would lose the role."""

    list_display = ["name", "role_label"]

    @admin.display(description="rôle")
    def role_label(self, obj):
        return Role.label_of_group(obj.name) if obj.name in Role.values else "—"

    def get_readonly_fields(self, request, obj=None):
        return ["name"] if obj is not None and obj.name in Role.values else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return False
        return super().has_delete_permission(request, obj)
