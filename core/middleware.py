"""Request context: a request id on every request, its log records and its response; one log line per request."""

import logging
import re
import time
import uuid

from django.core.signals import request_finished

from core.logging import RequestContext, bind_request_context, clear_request_context

logger = logging.getLogger("core.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# What an id from the reverse proxy must look like to be kept (nginx's $request_id is 32 hex digits, a UUID 36
# characters): anything else, such as a line break that would forge a log line or a long string, is replaced.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
# A percent-encoded line break in the URL is a real one in request.path: escaped, it cannot forge a plain log line.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_LOGGED_PATH = 500


def loggable_path(path: str) -> str:
    path = CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", path)
    return path if len(path) <= MAX_LOGGED_PATH else path[:MAX_LOGGED_PATH] + "…"


def request_id_from(request) -> str:
    """The reverse proxy's X-Request-ID when it is a safe token, else a new random id."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Bind the request's context for log records, echo the id in X-Request-ID, log the request once served.

    The proxy should set X-Request-ID itself (replacing any value from the client) so that its access log and the
    portal's share the id; an id sent by a client is only kept if it is a safe token, and only names log lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request)
        context = RequestContext(
            request_id=request.request_id, method=request.method, path=loggable_path(request.path), request=request
        )
        bind_request_context(context)
        started = time.monotonic()
        try:
            response = self.get_response(request)
        except BaseException:
            clear_request_context()
            raise
        response[REQUEST_ID_HEADER] = request.request_id
        logger.info(
            "%s %s %s",
            context.method,
            context.path,
            response.status_code,
            extra={"status": response.status_code, "duration_ms": round((time.monotonic() - started) * 1000)},
        )
        return response


def end_of_request(**kwargs) -> None:
    """Unbind the context once the response is sent and closed, not when this middleware returns.

    Django logs a 4xx response ("Not Found: …") after the whole middleware chain has returned: the context must
    still be bound then. The WSGI server closes the response in the same thread, which sends request_finished.
    """
    clear_request_context()


request_finished.connect(end_of_request, dispatch_uid="core.middleware.end_of_request")
