from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who did what: the security journal (sign-ins, MFA changes) and the records of erasure requests.

    Changes to business objects are recorded by django-auditlog (AUDITLOG_INCLUDE_TRACKING_MODELS in settings).
    Sits at the base of the dependency stack, beside `core`: it refers to people by AUTH_USER_MODEL only.
    """

    name = "audit"
    verbose_name = "Journal et conformité"

    def ready(self):
        from . import personal_data

        personal_data.register()  # Retention rules, export and erasure of the journals.
