import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from articleapp.models import Article
from articleapp.reading import readings
from articleapp.seed import SEED_SLUG
from tests.support.caches import LOCMEM, REDIS, redis_is_running
from tests.support.factories import make_user

# Fixtures that the test modules of one subject share, kept beside the helpers they go with.
pytest_plugins = ["tests.support.hostile"]


@pytest.fixture(autouse=True)
def fresh_readings():
    """Each test starts with no reading page's data kept in the process (``reading.readings``),
    so that what it counts and renders does not depend on the tests before it."""
    readings.clear()
    yield
    readings.clear()


@pytest.fixture
def seeded(db):
    """The bundled article, gazetteer and annotations, loaded by the seed command."""
    call_command("seed", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


@pytest.fixture
def exporter(client):
    """The test client signed in as a user who may export annotations (and nothing else)."""
    client.force_login(make_user(permissions=["articleapp.export_annotations"]))
    return client


@pytest.fixture
def admin_client_seeded(admin_client, seeded):
    return admin_client


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request):
    """The page cache on local memory, then on the real Redis (database 13, never 0)."""
    if request.param == "redis" and not redis_is_running():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI must start it")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    # Stamps live a minute, as with Redis in production: the default without REDIS_URL, 2 s,
    # can pass between two requests of a test on a loaded machine and cost a query.
    caches = LOCMEM if request.param == "locmem" else REDIS
    with override_settings(CACHES=caches, PAGE_STAMP_SECONDS=60):
        cache.clear()
        yield request.param
        cache.clear()
