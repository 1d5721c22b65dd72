from .navigation import staff_areas
from .perms import must_use_mfa


def staff_navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"staff_areas": [], "mfa_required": False}
    return {"staff_areas": staff_areas(user), "mfa_required": must_use_mfa(user)}
