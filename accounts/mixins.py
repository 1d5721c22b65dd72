from functools import wraps

from django.core.exceptions import PermissionDenied


class PermissionMixin:
    """Declare who may use a class-based view: `permission = perms.can_invite` (pretix control/permissions.py)."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if self.permission is None or not self.permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def permission_required(check):
    """The same for function views: `@permission_required(perms.can_book_rooms)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
