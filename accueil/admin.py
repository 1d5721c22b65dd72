from django.contrib import admin

from .models import Motif, Visit


@admin.register(Motif)
class MotifAdmin(admin.ModelAdmin):
    list_display = ["label", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "maison", "channel", "motif", "outcome"]
    list_filter = ["maison", "channel", "outcome", "motif"]
    list_select_related = ["maison", "motif"]
    date_hierarchy = "occurred_at"
