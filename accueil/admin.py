from django.contrib import admin

from .models import Motif, Referral, Visit


@admin.register(Motif)
class MotifAdmin(admin.ModelAdmin):
    list_display = ["label", "group", "theme", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["group", "is_active"]

    def has_delete_permission(self, request, obj=None):
        """A reason in use is retired, never deleted (accueil/services.py `motif_retire`)."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.visits.exists())


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "maison", "channel", "outcome", "deleted_at"]
    list_filter = ["maison", "channel", "outcome", "motifs"]
    list_select_related = ["maison"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["commune", "agent"]

    def get_queryset(self, request):
        return Visit.all_objects.all()


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["created_at", "partner", "direction", "sent_at", "answer"]
    list_filter = ["answer"]
    exclude = ["visitor_name", "visitor_contact", "need"]  # Only the agent who made it reads them.
    readonly_fields = ["visit", "consent_version", "consent_text", "consented_at", "sent_at", "follow_up_sent_at"]
