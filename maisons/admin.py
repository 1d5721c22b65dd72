from django.contrib import admin

from .forms import ExceptionalClosureFormSet, OpeningHoursFormSet, RoomBlockForm, RoomForm
from .models import Commune, Direction, ExceptionalClosure, Maison, OpeningHours, Room, RoomBlock


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet  # Overlapping ranges of one submission are refused, in French.
    extra = 0


class ExceptionalClosureInline(admin.TabularInline):
    model = ExceptionalClosure
    formset = ExceptionalClosureFormSet
    fields = ["start_date", "start_time", "end_date", "end_time", "reason"]
    extra = 0


class RoomInline(admin.StackedInline):
    model = Room
    form = RoomForm
    extra = 0


@admin.register(Maison)
class MaisonAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "phone", "is_published"]
    list_filter = ["is_published"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune"]
    inlines = [OpeningHoursInline, ExceptionalClosureInline, RoomInline]


class RoomBlockInline(admin.TabularInline):
    model = RoomBlock
    form = RoomBlockForm
    extra = 0


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    form = RoomForm
    list_display = ["name", "maison", "capacity", "step_free_access", "is_active", "requires_approval"]
    list_filter = ["maison", "step_free_access", "is_active", "requires_approval"]
    inlines = [RoomBlockInline]


@admin.register(RoomBlock)
class RoomBlockAdmin(admin.ModelAdmin):
    form = RoomBlockForm
    list_display = ["room", "starts_at", "ends_at", "reason"]
    list_filter = ["room__maison"]
    fields = ["room", "starts_at", "ends_at", "reason"]


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "mailbox", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code_insee", "departement", "population"]
    list_filter = ["departement"]
    search_fields = ["name", "code_insee", "postal_codes"]

    def has_add_permission(self, request):
        # Reference data: loaded by `manage.py load_communes`, not typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
