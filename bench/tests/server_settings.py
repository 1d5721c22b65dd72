"""bench.settings for a server started by the tests: static files without collectstatic's manifest, and the
tests' fast password hasher.

The tests must not write the shared staticfiles/ folder, and the accounts they create carry the test settings'
hashes (a sign-in at production cost would take most of a short run on a busy machine); nothing else differs.
"""

from bench.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
