"""bench.settings for a server started by the tests: static files served without collectstatic's manifest.

The tests must not write the shared staticfiles/ folder; nothing else differs from the benchmark's settings.
"""

from bench.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
