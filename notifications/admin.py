from django.contrib import admin, messages

from . import services
from .models import Notification, OptOut, Preference, Rule


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["due_at", "kind", "recipient_email", "state", "attempts", "sent_at", "subject"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient_email", "subject"]
    date_hierarchy = "due_at"
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Envoyer à nouveau (messages en échec ou annulés)")
    def send_again(self, request, queryset):
        count = sum(services.resend(notification) for notification in queryset)
        messages.success(request, f"{count} message{'s' if count > 1 else ''} renvoyé{'s' if count > 1 else ''}.")


admin.site.register(Rule)
admin.site.register(Preference)
admin.site.register(OptOut)
