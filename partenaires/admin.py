from django.contrib import admin
from django.db import models

from .models import Partner, PartnerContact, Service, Theme


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    autocomplete_fields = ["communes"]
    filter_horizontal = ["themes"]


class PartnerContactInline(admin.StackedInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "commune", "is_published", "retired_at"]
    list_filter = ["kind", "is_published", "holds_permanences"]
    search_fields = ["name", "acronym", "siret"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune"]
    filter_horizontal = ["themes"]
    inlines = [ServiceInline, PartnerContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        # The search vector and the public page cache follow through the directory's service.
        from . import services

        super().save_related(request, form, formsets, change)
        services.partner_save(partner=form.instance)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "parent"]
    list_filter = ["parent"]
    search_fields = ["label", "code"]

    def has_add_permission(self, request):  # data·inclusion's list, loaded by a migration.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
