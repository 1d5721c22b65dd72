"""Right of access (RGPD art. 15): a signed-in person downloads what the portal holds about them."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.enums import SecurityEventKind
from audit.journal import record_security_event
from core import personal_data


@require_http_methods(["GET", "HEAD", "POST"])
def personal_data_view(request):
    """GET explains what the file holds; POST (a state change: the download is journalled) sends the JSON file.

    Open to every signed-in person whatever their roles (LoginRequiredMiddleware turns the others away).
    """
    sections = personal_data.exporters()
    if request.method != "POST":
        return render(request, "accounts/personal_data.html", {"sections": sections})
    now = timezone.now()
    data = {
        "portail": "Maisons du Département de la Haute-Marne",
        "exporté_le": now.isoformat(),
        "compte_n°": request.user.pk,
        **personal_data.person_export(request.user),
    }
    record_security_event(kind=SecurityEventKind.DATA_EXPORTED, request=request, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    filename = f"mes-donnees-{timezone.localtime(now):%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
