"""A ledger row turned into the e-mail it stands for: French text and HTML from templates (the project lead's text
when they changed it), the portal's identity, and a link to refuse the message where the recipient may.

The subject and body are Django templates rendered with the kind's context; the HTML part is the same text in the
portal's layout (templates/notifications/email/layout.html), so that the two never say different things.
"""

import functools

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateSyntaxError, engines
from django.template.loader import get_template, render_to_string
from django.urls import reverse

from .kinds import Kind, registry
from .models import Notification

OPT_OUT_SALT = "notifications.opt-out"
UID_DOMAIN = "maisons.haute-marne.fr"


class TextError(ValueError):
    """An edited text that does not render (shown to the project lead in French)."""


def default_text(kind: Kind, part: str) -> str:
    """The text of `part` ("subject" or "body") shipped with the portal."""
    template = get_template(f"{kind.template_stem}_{part}.txt")
    return template.template.source


@functools.lru_cache(maxsize=256)
def compile_text(source: str):
    """An editable text as a template (Django template language, no HTML escaping: the HTML part escapes it)."""
    try:
        return engines["django"].from_string("{% autoescape off %}" + source + "{% endautoescape %}")
    except TemplateSyntaxError as error:
        raise TextError(f"Le texte ne peut pas être composé : {error}") from error


def render_text(source: str, context: dict) -> str:
    try:
        return compile_text(source).render(context)
    except TemplateSyntaxError as error:
        raise TextError(f"Le texte ne peut pas être composé : {error}") from error


def opt_out_token(email: str, kind: str) -> str:
    return signing.dumps([email.lower(), kind], salt=OPT_OUT_SALT, compress=True)


def read_opt_out_token(token: str) -> tuple[str, str] | None:
    try:
        email, kind = signing.loads(token, salt=OPT_OUT_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(email, str) or kind not in registry:
        return None
    return email, kind


def refuse_url(notification: Notification, kind: Kind) -> str | None:
    """Where the recipient refuses this kind: their preferences with an account, a signed link otherwise."""
    if not kind.refusable:
        return None
    base = settings.SITE_URL.rstrip("/")
    if notification.recipient_id:
        return base + reverse("notifications:preferences")
    return base + reverse("notifications:opt_out", args=[opt_out_token(notification.recipient_email, kind.code)])


def compose(notification: Notification, *, subject: str | None = None, body: str | None = None):
    """The message of `notification`, or None when its kind says it no longer makes sense.

    `subject` and `body` replace the rule's texts (the project lead's preview of an unsaved edit)."""
    from .services import rule_for

    kind = registry[notification.kind]
    context = kind.context(notification)
    if context is None:
        return None
    rule = rule_for(kind)
    site_url = settings.SITE_URL.rstrip("/")
    context = {**context, "site_url": site_url, "recipient_email": notification.recipient_email}
    subject_source = subject if subject is not None else (rule.subject or default_text(kind, "subject"))
    body_source = body if body is not None else (rule.body or default_text(kind, "body"))
    subject_text = settings.NOTIFICATIONS_SUBJECT_PREFIX + " ".join(render_text(subject_source, context).split())[:250]
    body_text = render_text(body_source, context).strip() + "\n"
    url = refuse_url(notification, kind)
    footer = {"refuse_url": url, "kind": kind, "site_url": site_url}
    text = body_text + render_to_string("notifications/email/footer.txt", footer)
    html = render_to_string("notifications/email/layout.html", {**footer, "subject": subject_text, "body": body_text})
    headers = {"Auto-Submitted": "auto-generated"}
    if notification.pk:
        # The same Message-ID on every attempt: a receiving system can recognise a copy (the short moment between
        # the server's acceptance and the ledger's commit is the only place a worker's death could make one).
        headers["Message-ID"] = f"<notification-{notification.pk}@{UID_DOMAIN}>"
    if url:
        headers["List-Unsubscribe"] = f"<{url}>"
    message = EmailMultiAlternatives(
        subject=subject_text,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        reply_to=context.get("reply_to") or None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in context.get("attachments", []):
        message.attach(filename, content, mimetype)
    return message
