"""Cache configurations for tests of the page cache: local memory, and the real Redis.

The Redis database is 13 unless ``REDIS_TEST_URL`` names another: the tests clear it, so two
runs at once (CI runs the SQLite and PostgreSQL suites side by side) each need their own.
"""

import os

import redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "project.cache.RedisCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": "randnotiz-test",
    }
}


def redis_is_running():
    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


def redis_keys(pattern):
    """Return the keys of the test database matching ``pattern`` (a glob), for counting."""
    return list(redis.Redis.from_url(REDIS_TEST_URL).scan_iter(match=pattern))
