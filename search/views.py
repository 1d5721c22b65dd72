from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.views.decorators.http import require_safe


@require_safe
@login_not_required
def search(request):
    raise Http404  # The search page comes with its index (issue 6).
