from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups", "maisons"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = ["groups", "maisons", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Rôles et rattachement", {"fields": ["groups", "maisons"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "expires_at", "accepted_at", "invited_by"]
    list_filter = ["accepted_at", "roles"]
    search_fields = ["email", "last_name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "user", "invited_by"]
    filter_horizontal = ["roles", "maisons"]

    def has_add_permission(self, request):
        # Invitations are sent from /comptes/invitations/, which mails the link; the admin cannot.
        return False
