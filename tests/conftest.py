import pytest
from django.core.management import call_command

from articleapp.models import Article
from articleapp.seed import SEED_SLUG
from tests.support.factories import make_user


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
