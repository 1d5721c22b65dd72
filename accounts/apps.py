from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, using="default", **kwargs):
    # post_migrate is sent once per installed app, each after its permissions were created: sync after the last.
    if sender is [config for config in apps.get_app_configs() if config.models_module][-1]:
        from .roles import sync_role_groups

        sync_role_groups(using=using)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        post_migrate.connect(_sync_role_groups, dispatch_uid="accounts.sync_role_groups")

        from . import receivers

        receivers.connect()

        from . import personal_data

        personal_data.register()  # Retention rules, export and erasure of accounts (core/personal_data.py).
