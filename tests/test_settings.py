import subprocess
import sys

import pytest

from config.settings.base import celery_broker_url


def test_redis_socket_urls_are_spelled_for_celery():
    assert celery_broker_url("unix:///work/var/redis/redis.socket") == "redis+socket:///work/var/redis/redis.socket"
    assert celery_broker_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def _settings_in_subprocess(env: dict, expression: str) -> str:
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.base'; import django; django.setup(); "
        f"from django.conf import settings; print({expression})"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://u@db/portail",
    "REDIS_URL": "redis://redis:6379/0",
    "SITE_URL": "https://portail.example.fr",
}


def test_production_defaults_are_safe_and_the_cache_is_redis():
    env = PRODUCTION_ENV
    values = _settings_in_subprocess(
        env,
        "settings.DEBUG, settings.CACHES['default']['BACKEND'], settings.SESSION_COOKIE_SECURE, settings.TIME_ZONE",
    )
    assert values == "False django.core.cache.backends.redis.RedisCache True Europe/Paris"


@pytest.mark.parametrize("missing", ["REDIS_URL", "SITE_URL"])
def test_production_refuses_to_start_without_redis_or_its_public_address(missing):
    """Without Redis each process would count sign-in failures apart; without SITE_URL links would be guessed."""
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.base'; import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"The environment variable {missing} is not set" in result.stderr


def test_development_links_follow_the_port(tmp_path):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'; import django; django.setup(); "
        "from django.conf import settings; print(settings.SITE_URL)"
    )
    env = {"PORT": "8080", "DATABASE_URL": "postgres://u@db/portail", "REDIS_URL": "redis://redis:6379/0"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8080"


def test_development_links_in_the_workers_e_mails_name_the_web_servers_port():
    """honcho gives the worker PORT 8100 when the web server has 8000: SITE_PORT (devtools/run.py) wins."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'; import django; django.setup(); "
        "from django.conf import settings; print(settings.SITE_URL)"
    )
    env = {
        "PORT": "8100",
        "SITE_PORT": "8000",
        "DATABASE_URL": "postgres://u@db/portail",
        "REDIS_URL": "redis://redis:6379/0",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"
