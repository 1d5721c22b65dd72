import subprocess
import sys

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


def test_production_defaults_are_safe_and_the_cache_is_redis_when_configured():
    env = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@db/portail", "REDIS_URL": "redis://redis:6379/0"}
    values = _settings_in_subprocess(
        env,
        "settings.DEBUG, settings.CACHES['default']['BACKEND'], settings.SESSION_COOKIE_SECURE, settings.TIME_ZONE",
    )
    assert values == "False django.core.cache.backends.redis.RedisCache True Europe/Paris"
