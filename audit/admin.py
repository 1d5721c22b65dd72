"""The administrator's view of the journals: the change history, the security journal and the erasure requests.

All three are for administrators only: the administrator role, and only it, makes an account a superuser
(accounts.services.user_set_roles), so the rule is `is_superuser` here, where audit may not import accounts.
Nothing here can be edited or deleted by hand; an erasure request is recorded by running the erasure service.
"""

from auditlog.models import LogEntry
from auditlog.render import get_field_verbose_name
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.personal_data import ERASED_EMAIL_DOMAIN

from .models import ChangeLogEntry, ErasureRecord, SecurityEvent
from .services import person_erase

# auditlog's own admin has English labels: this one replaces it.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)

ACTIONS = {
    LogEntry.Action.CREATE: "création",
    LogEntry.Action.UPDATE: "modification",
    LogEntry.Action.DELETE: "suppression",
    LogEntry.Action.ACCESS: "consultation",
}


class AdministratorsOnlyMixin:
    def _is_administrator(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in ACTIONS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = "type d’objet"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        from auditlog.registry import auditlog
        from django.contrib.contenttypes.models import ContentType

        types = ContentType.objects.get_for_models(*auditlog.get_models())
        return sorted(
            ((str(content_type.pk), model._meta.verbose_name.capitalize()) for model, content_type in types.items()),
            key=lambda item: item[1],
        )

    def queryset(self, request, queryset):
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    """Who created, changed or deleted what and when (django-auditlog), searchable by object, person or value."""

    date_hierarchy = "timestamp"
    list_display = ["when", "object_type", "object_repr", "action_label", "changed_fields", "who"]
    list_select_related = ["content_type", "actor"]
    list_filter = [ActionFilter, ObjectTypeFilter]
    search_fields = ["object_repr", "actor__email", "actor__first_name", "actor__last_name", "actor_email", "changes"]
    fields = ["when", "who", "remote_addr", "object_type", "object_repr", "action_label", "details"]
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description="date et heure", ordering="timestamp")
    def when(self, entry):
        return timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M:%S")

    @admin.display(description="par")
    def who(self, entry):
        return entry.actor or entry.actor_email or "le système (tâche planifiée, commande)"

    @admin.display(description="type d’objet")
    def object_type(self, entry):
        model = entry.content_type.model_class()
        return model._meta.verbose_name if model else entry.content_type.model

    @admin.display(description="action", ordering="action")
    def action_label(self, entry):
        return ACTIONS.get(entry.action, entry.action)

    @admin.display(description="champs modifiés")
    def changed_fields(self, entry):
        if entry.action == LogEntry.Action.DELETE:
            return ""
        return ", ".join(str(get_field_verbose_name(entry, name)) for name in entry.changes_dict)

    @admin.display(description="détail des changements")
    def details(self, entry):
        rows = []
        for name, change in entry.changes_dict.items():
            label = get_field_verbose_name(entry, name)
            if isinstance(change, dict) and change.get("type") == "m2m":
                operation = {"add": "ajout", "delete": "retrait"}.get(change.get("operation"), change.get("operation"))
                rows.append((label, operation, ", ".join(map(str, change.get("objects", [])))))
            elif isinstance(change, list | tuple) and len(change) == 2:
                rows.append((label, change[0], change[1]))
        if not rows:
            return "—"
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><thead><tr><th scope='col'>Champ</th><th scope='col'>Avant (ou opération)</th>"
            "<th scope='col'>Après (ou objets)</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )


@admin.register(SecurityEvent)
class SecurityEventAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    date_hierarchy = "occurred_at"
    list_display = ["occurred_at", "kind", "user", "identifier", "ip_address", "actor"]
    list_select_related = ["user", "actor"]
    list_filter = ["kind", "occurred_at"]
    search_fields = ["identifier", "user__email", "user__first_name", "user__last_name", "ip_address"]
    readonly_fields = ["kind", "occurred_at", "user", "identifier", "actor", "ip_address", "user_agent", "details"]
    fields = readonly_fields
    list_per_page = 50


class ErasureRequestForm(forms.ModelForm):
    """The administrator's form for a person's request: the account, the date received and the request's reference."""

    account = forms.ModelChoiceField(
        label="compte à effacer",
        queryset=get_user_model().objects.exclude(email__endswith="@" + ERASED_EMAIL_DOMAIN).order_by("email"),
        help_text="Toutes les données personnelles de ce compte seront effacées ou anonymisées. Irréversible.",
    )
    confirm = forms.BooleanField(
        label="Je confirme l’effacement, qui ne peut pas être annulé",
        required=True,
        error_messages={"required": "Cochez la case pour confirmer l’effacement."},
    )

    class Meta:
        model = ErasureRecord
        fields = ["requested_on", "request_reference"]

    def __init__(self, *args, handled_by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.handled_by = handled_by
        self.fields["requested_on"].initial = timezone.localdate

    def clean_requested_on(self):
        requested_on = self.cleaned_data["requested_on"]
        if requested_on > timezone.localdate():
            raise ValidationError("La date de la demande ne peut pas être dans le futur.")
        return requested_on

    def clean_account(self):
        account = self.cleaned_data["account"]
        if self.handled_by is not None and account.pk == self.handled_by.pk:
            raise ValidationError(
                "Vous ne pouvez pas effacer votre propre compte : un autre administrateur doit le faire."
            )
        return account


@admin.register(ErasureRecord)
class ErasureRecordAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    """Adding a record runs the erasure (audit.services.person_erase); records are never changed nor deleted."""

    list_display = ["handled_at", "subject_reference", "requested_on", "request_reference", "handled_by"]
    list_select_related = ["handled_by"]
    list_filter = ["handled_at"]
    search_fields = ["subject_reference", "request_reference", "handled_by__email"]
    readonly_fields = ["subject_reference", "requested_on", "request_reference", "handled_by", "handled_at", "summary"]

    def has_add_permission(self, request):
        return self._is_administrator(request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["account", "requested_on", "request_reference", "confirm"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)

        class BoundErasureRequestForm(ErasureRequestForm):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, handled_by=request.user, **form_kwargs)

        return BoundErasureRequestForm

    def save_model(self, request, obj, form, change):
        record = person_erase(
            user=form.cleaned_data["account"],
            handled_by=request.user,
            requested_on=form.cleaned_data["requested_on"],
            request_reference=form.cleaned_data["request_reference"],
        )
        # The admin goes on with `obj` (history, message, redirect): make it the record the service wrote.
        obj.__dict__.update({field.attname: getattr(record, field.attname) for field in ErasureRecord._meta.fields})
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, f"Les données du compte n° {obj.subject_reference} ont été effacées ou anonymisées.")
        return super().response_add(request, obj, post_url_continue)
