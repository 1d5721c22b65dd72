"""Settings for the portal, read from the environment (12-factor).

This module holds every setting with production-safe defaults: DEBUG off, a SECRET_KEY required, secure cookies.
``dev`` and ``test`` only relax it. See ``.env.example`` for the variables.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from core.logging import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def require(name: str) -> str:
    """Read a variable that production cannot run without, failing with a message an operator understands."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not set. It is required in production; "
            f"see .env.example (development and tests use config.settings.dev or config.settings.test)."
        )
    return value


def celery_broker_url(redis_url: str) -> str:
    """Celery (kombu) spells a Redis Unix socket ``redis+socket://``, redis-py and Django ``unix://``."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + urlsplit(redis_url).path
    return redis_url


# Core
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = require("SECRET_KEY")
# Former keys, still accepted for signatures while sessions and links made with them expire (key rotation).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address, for links in e-mails and calendar feeds: required, never guessed from a request.
SITE_URL = require("SITE_URL").rstrip("/")
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml (legal/sitemaps.py).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "auditlog",
    "django_celery_beat",
    # Editorial content (information pages, news) edited at /cms/ (Wagtail).
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # The portal's apps, base first (see docs/architecture.md).
    "core",
    "audit",
    "accounts",
    "search",
    "maisons",
    "pages",
    "legal",
    "partenaires",
    "import_export",  # The partners' administration: export, and the way to the directory's importer.
    "partenaires.verification",  # Partners check their own entry through a personal link (issue 7).
    "notifications",  # The ledger of every e-mail and reminder, below events and accueil (DESIGN.md).
    "events",
    "events.registrations",  # Registrations for public events (label event_registrations).
    "events.feeds",  # Personal calendar subscription addresses (label event_feeds).
    "accueil",
    "api",  # /api/: read-only open data (django-ninja), above every app it reads.
    "corsheaders",
    "accueil.stats",  # Reception statistics: the daily summary, charts, exports (label accueil_stats).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for /api/ only, reading only (CORS_URLS_REGEX, CORS_ALLOW_METHODS below).
    "corsheaders.middleware.CorsMiddleware",
    # A request id for the logs and the X-Request-ID header; one log line per request (core/middleware.py).
    "core.middleware.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' public pages from Redis, before any session or database work (core/pagecache.py).
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Private by default: public views opt out with @login_not_required (les-emplois).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Staff sessions end after SESSION_IDLE_TIMEOUT idle or SESSION_MAX_AGE in all; MFA enforced by role.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "accounts.middleware.RateLimitJournalMiddleware",
    # /cms/: the portal's 403 for a signed-in person who may not edit the content (pages/middleware.py).
    "pages.middleware.CmsAccessMiddleware",
    # Records the signed-in person as the actor of model changes (django-auditlog).
    "audit.middleware.AuditlogMiddleware",
    # Editors' redirects, and those Wagtail creates when a page moves (consulted only on a 404).
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.staff_navigation",
                "wagtail.contrib.settings.context_processors.settings",
                "legal.context_processors.accessibility",
                # The main navigation's editable entries, from the cache (pages/menu.py).
                "pages.menu.main_menu",
            ],
        },
    },
]

# Database: one PostgreSQL (exclusion constraints, French full-text search).
DATABASES = {"default": env.db_url_config(require("DATABASE_URL"))}
# A Unix socket folder is percent-encoded in the URL's host (postgres://user@%2Fpath%2Fto%2Fsocket/db), as libpq
# reads it; django-environ leaves it encoded.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache (sessions, rate limits shared across processes) and Celery broker.
# Required: a per-process cache would let each web process count sign-in failures apart, and a broker on
# localhost would silently lose every task in a container.
REDIS_URL = require("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Public pages for anonymous readers, cached in Redis (core/pagecache.py): invalidated at once by any change they
# show, and expired after PAGE_CACHE_SECONDS because some of what they say follows the clock (open or closed).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Length first: the rule people meet most is stated first. The last one refuses a name or the e-mail's local part
# with digits or punctuation added (« jean.dupont2024! »).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.NotBasedOnIdentityValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # Addresses come from an invitation, which proves them.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Sign-in limits, counted in the Redis cache and so shared by every web process (allauth "Rate Limits"):
# at most 100 failures per hour per address typed, known or not (the refusal is the same, revealing nothing);
# per client address, generous enough for the agents of one office behind the same public address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "30/m/ip,100/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    # The public registration form of an event (events/registrations/views.py): per client and per address typed.
    "event_registration": "10/m/ip,5/h/key",
}
# Reverse proxies in front of the portal: the client is the address this many hops from the end of
# X-Forwarded-For (1 behind the docker-compose proxy; 0 when clients connect directly).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
# A reset requested for an unknown address mails nothing (sign-up is closed) and answers the same page.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Password changes and MFA changes are mailed to the person (allauth "notifications").
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maisons du Département] "
# Multi-factor authentication: an authenticator app (TOTP) and recovery codes; required for some roles
# (accounts.perms.must_use_mfa, enforced by accounts.middleware.MfaRequiredMiddleware).
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maisons du Département 52"
# One 30-second step of drift either way (RFC 6238 § 5.2): a code typed as the step turns, or read from a phone
# whose clock is a few seconds off, is still accepted; allauth refuses a code used once, so this widens no replay.
MFA_TOTP_TOLERANCE = 1
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
# Demonstration accounts and data (`manage.py seed_demo`): never in production.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)
INVITATION_VALIDITY_DAYS = env.int("INVITATION_VALIDITY_DAYS", default=7)

# Retention of personal data (RGPD art. 5-1-e), in days; each delay is a rule of core/retention.py, purged nightly,
# shown on /donnees-personnelles/ and justified in docs/rgpd/registre.md.
# Reception notes (about 3 months, issue 8): long enough to follow up a referral, short enough that a slip (a name
# typed despite the instruction) does not stay.
VISIT_NOTE_RETENTION_DAYS = env.int("VISIT_NOTE_RETENTION_DAYS", default=92)
# Which agent logged a visit: to correct entries and follow a year of activity; then statistics need no one.
VISIT_AGENT_RETENTION_DAYS = env.int("VISIT_AGENT_RETENTION_DAYS", default=365)
# A referral's personal data (the visitor's name, contact and need): about 3 months (issue 8).
VISIT_REFERRAL_RETENTION_DAYS = env.int("VISIT_REFERRAL_RETENTION_DAYS", default=92)
# A visit deleted from the reception screen can be restored for a few minutes, then goes for good.
VISIT_DELETED_RETENTION_DAYS = env.int("VISIT_DELETED_RETENTION_DAYS", default=1)
# An invitation is deleted this long after it expired unaccepted.
INVITATION_RETENTION_DAYS = env.int("INVITATION_RETENTION_DAYS", default=30)
# Sign-ins, failures, MFA changes: the CNIL recommends keeping such logs 6 months to 1 year.
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=365)
# Who changed a booking, a partner, an account: 5 years, the common limitation period for claims (Code civil,
# art. 2224). The reception log's own history goes with the notes (VISIT_NOTE_RETENTION_DAYS).
AUDIT_LOG_RETENTION_DAYS = env.int("AUDIT_LOG_RETENTION_DAYS", default=1825)
# A retired partner's internal contacts: a year to answer questions about past orientations, then nobody calls them.
PARTNER_CONTACT_RETENTION_DAYS = env.int("PARTNER_CONTACT_RETENTION_DAYS", default=365)
# Uploaded import files of the directory (they hold contacts) and their reports (partenaires/personal_data.py).
PARTNER_IMPORT_RETENTION_DAYS = env.int("PARTNER_IMPORT_RETENTION_DAYS", default=30)
# Registrants of a public event (name, address): deleted this long after the event (the list is needed until then,
# and a little after for questions about it).
EVENT_REGISTRATION_RETENTION_DAYS = env.int("EVENT_REGISTRATION_RETENTION_DAYS", default=30)
# Partner imports (/gestion/partenaires/importer/, docs/partenaires-import.md): the largest file accepted, what an
# XLSX or ODS file (a zip archive) may unpack into at most (a « zip bomb » is refused), and the size from which a
# file is checked and imported by a Celery task rather than in the web request.
PARTNER_IMPORT_MAX_SIZE = env.int("PARTNER_IMPORT_MAX_SIZE", default=5 * 1024 * 1024)
PARTNER_IMPORT_MAX_UNPACKED_SIZE = env.int("PARTNER_IMPORT_MAX_UNPACKED_SIZE", default=100 * 1024 * 1024)
PARTNER_IMPORT_BACKGROUND_SIZE = env.int("PARTNER_IMPORT_BACKGROUND_SIZE", default=100 * 1024)
# django-import-export: without these, any account that reaches /admin/ may import and export; partenaires/admin.py
# asks accounts.perms.can_import_partners instead, and these stand for any other admin that would use it.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# A partner's verification request (the address it went to) and its proposed changes, after the answer or expiry.
PARTNER_VERIFICATION_RETENTION_DAYS = env.int("PARTNER_VERIFICATION_RETENTION_DAYS", default=365)

# Audit trail (django-auditlog): one place lists what is tracked. Passwords, sign-in times, invitation tokens and
# the reception note are never recorded; foreign keys are stored as ids, so an erased person's name does not linger.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "accounts.User",
        "exclude_fields": ["password", "last_login"],
        "m2m_fields": ["groups", "maisons", "user_permissions", "assisted_officials"],
    },
    {"model": "accounts.Invitation", "exclude_fields": ["token_hash"], "m2m_fields": ["roles", "maisons"]},
    {"model": "auth.Group", "m2m_fields": ["permissions"]},
    "maisons.Direction",
    {"model": "maisons.Maison", "exclude_fields": ["updated_at"]},
    "maisons.OpeningHours",
    "maisons.ExceptionalClosure",
    "maisons.Room",
    "maisons.RoomBlock",
    "maisons.MaisonPhoto",
    {"model": "partenaires.Partner", "exclude_fields": ["updated_at", "search_vector"], "m2m_fields": ["themes"]},
    {"model": "partenaires.Service", "exclude_fields": ["updated_at"], "m2m_fields": ["themes", "communes"]},
    {"model": "partenaires.PartnerContact", "exclude_fields": ["updated_at"]},
    "partner_verification.ChangeProposal",
    "partenaires.Theme",
    {"model": "events.Occupancy", "exclude_fields": ["updated_at"]},
    # An Event's exdates (a list of datetimes) are not JSON for auditlog; its rrule says the series.
    {"model": "events.Event", "exclude_fields": ["updated_at", "exdates"], "m2m_fields": ["directions", "officials"]},
    "events.Category",
    "accueil.Motif",
    # Not its referral either: reading that reverse link costs a query on every visit logged (issue 8's benchmark).
    {"model": "accueil.Visit", "exclude_fields": ["note", "updated_at", "referral"]},
    {"model": "legal.AccessibilityStatement", "exclude_fields": ["updated_at"]},
    {"model": "legal.LegalNotice", "exclude_fields": ["updated_at"]},
)
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# Internationalisation: French, Europe/Paris, aware datetimes stored in UTC.
# Wagtail (/cms/): the portal's accounts and sign-in only, no second account system, no outside request.
WAGTAIL_SITE_NAME = "Maisons du Département de la Haute-Marne"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Pages and documents are public or restricted to signed-in people; no shared passwords.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAILDOCS_PRIVATE_DOCUMENT_OPTIONS = {"password": False}
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt"]
# Documents go through Wagtail's view (its privacy checks), never straight from the media folder; only PDFs open
# in the browser, every other type is downloaded (Content-Disposition: attachment) with nosniff.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Renditions: WebP with a JPEG fallback ({% picture … format-{webp,jpeg} %}); the original upload is never served.
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"gif": "png", "bmp": "png", "avif": "webp"}
TAGGIT_CASE_INSENSITIVE = True

LANGUAGE_CODE = "fr-fr"
LOCALE_PATHS = [BASE_DIR / "locale"]  # The portal's translations come first (locale/fr/LC_MESSAGES/django.po).
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static files: hashed names, compressed, served by whitenoise; no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.fr:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Maisons du Département <ne-pas-repondre@haute-marne.fr>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Administrateurs", address) for address in env.list("ADMINS_EMAILS", default=[])]

# Celery: Redis broker, late acknowledgement so that a task whose worker dies is delivered again.
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# With acks_late, an unacknowledged task (its worker killed mid-task) comes back after the visibility timeout, when a
# worker next starts or sweeps the broker: longer than any task runs, or a running task would be run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Seeded into the database schedule by django-celery-beat at beat start-up; editable in the admin.
CELERY_BEAT_SCHEDULE = {
    # One nightly entry per retention rule of core/retention.py (registered by each app), staggered by 4 minutes;
    # core/tests checks that every registered rule has its entry.
    f"retention-{key}": {
        "task": "core.tasks.retention_purge_task",
        "schedule": crontab(hour=3, minute=4 * index),
        "args": [key],
    }
    for index, key in enumerate(
        [
            "visit-notes",
            "visit-history",
            "visit-agents",
            "invitations",
            "security-journal",
            "audit-log",
            "sessions",
            "partner-contacts",
            "event-registrations",
            "partner-verifications",
            "visit-referrals",
            "visit-deleted",
            "partner-imports",
            "notifications",
        ]
    )
}
# Room requests left unanswered past their room's delay expire and free their slot (events/reservations.py).
CELERY_BEAT_SCHEDULE["events-reservations-expire"] = {
    "task": "events.reservation_tasks.reservations_expire_task",
    "schedule": crontab(minute="*/5"),
}
# Wagtail's scheduled publishing (go-live and expiry dates), checked every minute (pages/tasks.py).
CELERY_BEAT_SCHEDULE["pages-publish-scheduled"] = {
    "task": "pages.tasks.publish_scheduled_task",
    "schedule": crontab(minute="*"),
}
# Recurring events (events/recurrence.py): occurrences are written this many days ahead, extended every night.
EVENTS_RECURRENCE_HORIZON_DAYS = env.int("EVENTS_RECURRENCE_HORIZON_DAYS", default=400)
CELERY_BEAT_SCHEDULE["events-extend-recurrences"] = {
    "task": "events.tasks.extend_recurrences_task",
    "schedule": crontab(hour=2, minute=30),
}
# E-mails and reminders (notifications/, docs/notifications.md): the ledger's due rows are handed to the send task
# every minute; what starts soon is planned again every quarter of an hour; the digests.
CELERY_BEAT_SCHEDULE["notifications-dispatch"] = {
    "task": "notifications.tasks.dispatch_due_task",
    "schedule": crontab(minute="*"),
}
CELERY_BEAT_SCHEDULE["notifications-plan"] = {
    "task": "notifications.tasks.plan_window_task",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["events-weekly-digest"] = {
    "task": "events.tasks.weekly_digest_task",
    "schedule": crontab(day_of_week="mon", hour=7, minute=30),
}
CELERY_BEAT_SCHEDULE["events-daily-digest"] = {
    "task": "events.tasks.daily_digest_task",
    "schedule": crontab(day_of_week="mon-fri", hour=8, minute=0),
}
NOTIFICATIONS_SUBJECT_PREFIX = ACCOUNT_EMAIL_SUBJECT_PREFIX
# A reminder found more than this late (beat or the workers were down) is dropped and logged, never sent late.
NOTIFICATIONS_GRACE_MINUTES = env.int("NOTIFICATIONS_GRACE_MINUTES", default=60)
# SMTP failures: retried this many times, waiting NOTIFICATIONS_RETRY_BACKOFF seconds doubled each time (30 min
# at most), then shown as failed in the administration.
NOTIFICATIONS_MAX_RETRIES = env.int("NOTIFICATIONS_MAX_RETRIES", default=6)
NOTIFICATIONS_RETRY_BACKOFF = env.float("NOTIFICATIONS_RETRY_BACKOFF", default=60)
# The changes of one event made in one go (a series cancelled) become one message: it leaves this many seconds later.
NOTIFICATIONS_MERGE_SECONDS = env.int("NOTIFICATIONS_MERGE_SECONDS", default=10)
# A row handed to the workers is handed again by the dispatcher only after this long (its task was lost).
NOTIFICATIONS_REQUEUE_MINUTES = env.int("NOTIFICATIONS_REQUEUE_MINUTES", default=90)
# The ledger (addresses, subjects, states) is deleted this many days after the message's due time.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=90)

# Open data (/api/, docs/api.md): any site may read it from a browser; nothing else is shared across origins.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# The producer's identifier in the data·inclusion exports (`source`, and the prefix of every `id`).
DATA_INCLUSION_SOURCE = env.str("DATA_INCLUSION_SOURCE", default="maisons-departement-52")
# Partners check their entry (partenaires/verification): every PARTNER_VERIFICATION_MONTHS, or
# PARTNER_VERIFICATION_POOR_MONTHS when a service scores under PARTNER_VERIFICATION_POOR_SCORE (data·inclusion's
# quality score); the link in the e-mail works PARTNER_VERIFICATION_LINK_DAYS.
PARTNER_VERIFICATION_MONTHS = env.int("PARTNER_VERIFICATION_MONTHS", default=6)
PARTNER_VERIFICATION_POOR_MONTHS = env.int("PARTNER_VERIFICATION_POOR_MONTHS", default=3)
PARTNER_VERIFICATION_POOR_SCORE = env.float("PARTNER_VERIFICATION_POOR_SCORE", default=0.5)
PARTNER_VERIFICATION_LINK_DAYS = env.int("PARTNER_VERIFICATION_LINK_DAYS", default=30)

# Partners asked to check their entry when due (partenaires/verification/tasks.py), every morning.
CELERY_BEAT_SCHEDULE["partner-verification-requests"] = {
    "task": "partenaires.verification.tasks.verification_requests_send_task",
    "schedule": crontab(hour=9, minute=15),
}

# Security: production-safe by default (`manage.py check --deploy` is clean with DEBUG off).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # Probed over plain HTTP by the orchestrator.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after 30 minutes idle, 12 hours in all, and when the browser closes (reception computers
# are shared); accounts.middleware.SessionTimeoutMiddleware enforces the first two.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_MAX_AGE = env.int("SESSION_MAX_AGE", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_AGE
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Content Security Policy (django-csp): only the portal's own files, no inline script or style anywhere (the
# Django admin needs none either); see docs/security.md. tests/browser fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): no page uses these browser features; WebAuthn, if enabled
# for MFA, stays limited to the portal's own origin.
PERMISSIONS_POLICY = {
    **dict.fromkeys(
        [
            "accelerometer",
            "ambient-light-sensor",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "interest-cohort",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        ],
        [],
    ),
    "publickey-credentials-create": "self",
    "publickey-credentials-get": "self",
}

# Logs: one line per record on standard output, JSON in production (request id, method, path, status, user id,
# duration; never an e-mail or IP address: see core/logging.py). LOG_FORMAT=plain for readable lines.
LOGGING = logging_config(log_format=env.str("LOG_FORMAT", default="json"), level=env.str("LOG_LEVEL", default="INFO"))
# Celery workers log through the same handler instead of replacing the root logger's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reports to Sentry (or GlitchTip), off unless SENTRY_DSN is set; no personal data is sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
    )
