from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from import_export.admin import ImportExportMixin

from accounts import perms

from .models import Partner, PartnerContact, Service, Theme
from .resources import PartnerContactResource, PartnerResource, ServiceResource


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    autocomplete_fields = ["communes"]
    filter_horizontal = ["themes"]


class PartnerContactInline(admin.StackedInline):
    model = PartnerContact
    extra = 0


class DirectoryImportExportMixin(ImportExportMixin):
    """django-import-export in the partners' administration, under the portal's rules.

    Its own check lets any account that reaches the administration import and export (IMPORT_EXPORT_*_PERMISSION_CODE
    unset); here only `accounts.perms.can_import_partners` may. Exports use the directory's resources (formula-safe
    cells). An import goes through the directory's importer (/gestion/partenaires/importer/), the only one that
    reports each faulty row in French, matches rows on natural keys and records the import in the audit trail:
    the administration's « Importer » button leads there.
    """

    resource_classes = [PartnerResource, ServiceResource, PartnerContactResource]

    def has_import_permission(self, request):
        return perms.can_import_partners(request.user)

    def has_export_permission(self, request):
        return perms.can_import_partners(request.user)

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return redirect("partenaires:import_start")

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return redirect("partenaires:import_start")


@admin.register(Partner)
class PartnerAdmin(DirectoryImportExportMixin, admin.ModelAdmin):
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
