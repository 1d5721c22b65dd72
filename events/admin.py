from django.contrib import admin

from .models import Category, Occupancy


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Occupancy)
class OccupancyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "maison", "room", "period", "status", "is_public"]
    list_filter = ["kind", "status", "maison", "is_public"]
    search_fields = ["title"]
    list_select_related = ["maison", "room"]
    raw_id_fields = ["holder"]
