"""/cms/ (Wagtail's admin) for those who edit the content: the communication service and administrators."""

from django.core.exceptions import PermissionDenied

CMS_PREFIX = "/cms/"
CMS_SIGN_IN = "/cms/login/"


class CmsAccessMiddleware:
    """A signed-in person without Wagtail's admin access gets the portal's French 403 « Accès refusé ».

    (Wagtail itself would send them to the sign-in page they have just passed, which reads as a loop.) Those not
    signed in go on to Wagtail, which sends them to the portal's sign-in (config/urls.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(CMS_PREFIX)
            and path != CMS_SIGN_IN
            and request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            raise PermissionDenied
        response = self.get_response(request)
        if path.startswith(CMS_PREFIX):
            relax_policy_for_wagtail_admin(response)
        elif getattr(request, "is_preview", False):
            # Wagtail renders a preview through the whole middleware stack again, with a request for the page's own
            # address (Page.make_preview_request); the preview panel frames it. Its scripts stay 'self' only.
            allow_same_origin_framing(response)
        return response


def relax_policy_for_wagtail_admin(response) -> None:
    """The portal's strict CSP, relaxed for Wagtail's admin only, and only where it needs it.

    Wagtail 8's admin writes inline scripts (its date and time choosers: `<script>initDateChooser(…)</script>`,
    as in the page explorer's filters and every page with a date field) and shows the live preview of a page in
    a same-origin frame. The public pages and the rest of the portal keep script-src 'self', no inline code and
    no framing (base.py CONTENT_SECURITY_POLICY, X_FRAME_OPTIONS). Found in Chromium (tests/browser/test_cms.py).
    """
    response._csp_update = {"script-src": ["'unsafe-inline'"]}
    allow_same_origin_framing(response)


def allow_same_origin_framing(response) -> None:
    response._csp_replace = {"frame-ancestors": ["'self'"]}
    response["X-Frame-Options"] = "SAMEORIGIN"
