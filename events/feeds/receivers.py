"""A deactivated account's calendar addresses stop working at once (as its sessions end, accounts/services.py)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


def _user_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.is_active:
        return
    from .services import token_revoke_all

    token_revoke_all(user=instance)


def connect() -> None:
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="event_feeds_revoke_on_deactivation")
