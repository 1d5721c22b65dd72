from .navigation import staff_areas


def staff_navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"staff_areas": []}
    return {"staff_areas": staff_areas(user)}
