"""Production settings, served with the benchmark's URLs (the portal's plus a ceiling view).

Nothing else differs from production, so that the figures are the ones production would get. The environment
(SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL on the benchmark database…) comes from bench.run.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, env

ROOT_URLCONF = "bench.urls"
# A key prefix of its own per run: the benchmark may share the developer's Redis, and must neither read their
# cached pages nor start warm with a previous run's entries built from another dataset.
CACHES["default"]["KEY_PREFIX"] = env.str("BENCH_CACHE_PREFIX", default="bench")
