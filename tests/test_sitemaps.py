"""``/sitemap.xml`` parsed as XML: every article, public entity and public tag with ``lastmod``,
nothing hidden, on the public address; ``/robots.txt`` points to it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articleapp.models import Annotation
from tests.support.factories import make_entity
from tests.support.pages import count_queries
from tests.support.publishing import build_world, hidden_traces

pytestmark = pytest.mark.django_db

BASE = "https://randnotiz.example"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def world(settings):
    settings.RANDNOTIZ_BASE_URL = BASE
    return build_world()


def sitemap_entries(client, **headers):
    """The sitemap's URLs, each with its lastmod (a date) or None; parsed as XML."""
    response = client.get(reverse("articleapp:sitemap"), headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # our own output: trusted
    assert root.tag == f"{SITEMAP}urlset"
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        entries[url.findtext(f"{SITEMAP}loc")] = (
            datetime.date.fromisoformat(lastmod) if lastmod else None
        )
    return entries, response.content.decode()


def test_sitemap_lists_articles_public_entities_and_public_tags(client, world):
    """Exactly the article, the three public entities and the two public tags."""
    entries, _ = sitemap_entries(client)
    expected = {BASE + world["article"].get_absolute_url()}
    expected |= {BASE + entity.get_absolute_url() for entity in world["entities"]}
    expected |= {f"{BASE}/tags/{slug}/" for slug in ["rechenzentren", "ki"]}
    assert set(entries) == expected


def test_a_tag_without_a_slug_has_no_entry(client, world):
    """A tag of punctuation alone, made before the forms refused them, has no page: the
    sitemap leaves it out instead of failing to build its URL."""
    annotation = Annotation.objects.published().first()
    annotation.tags.add(Tag.objects.create(name="#", slug=""))
    entries, _ = sitemap_entries(client)
    assert f"{BASE}/tags//" not in entries
    assert len(entries) == 6


def test_sitemap_shows_nothing_hidden(client, world):
    """No entity or tag only drafts, orphans or changed words carry, no unmentioned entity."""
    _, text = sitemap_entries(client)
    assert hidden_traces(world, text) == []


def test_every_url_has_the_date_of_its_last_visible_change(client, world):
    """Articles, entities and tags on published annotations carry today's lastmod; a tag only
    on an entity is listed without one rather than with a guess."""
    make_entity(name="Öffentlich", slug="oeffentlich", is_public=True, tags=["Nur Entität"])
    entries, _ = sitemap_entries(client)
    today = timezone.localdate()
    slug = Tag.objects.get(name="Nur Entität").slug
    assert entries.pop(BASE + reverse("articleapp:tag-detail", kwargs={"slug": slug})) is None
    assert set(entries.values()) == {today}


def test_lastmod_follows_a_newly_published_mention(client, world):
    """Publishing an annotation moves the lastmod of its article and entity."""
    later = timezone.now() + datetime.timedelta(days=3)
    mistral = world["published"][0]
    Annotation.objects.filter(pk=mistral.pk).update(updated_at=later)
    entries, _ = sitemap_entries(client)
    assert entries[BASE + world["article"].get_absolute_url()] == timezone.localdate(later)
    assert entries[BASE + world["entities"][0].get_absolute_url()] == timezone.localdate(later)
    assert entries[f"{BASE}/tags/rechenzentren/"] == timezone.localdate(later)


def test_sitemap_urls_are_on_the_public_address_whatever_the_host(client, world, settings):
    """Asked through another allowed host, the sitemap still names the public address."""
    settings.ALLOWED_HOSTS = ["mirror.example"]
    entries, _ = sitemap_entries(client, host="mirror.example")
    assert all(url.startswith(BASE + "/") for url in entries)


def test_sitemap_costs_the_same_queries_for_more_objects(client, world):
    """Each section is one query (and its count), however many objects it lists."""
    url = reverse("articleapp:sitemap")
    before = count_queries(client, url)
    for number in range(10):
        make_entity(name=f"Öffentlich {number}", is_public=True, tags=[f"t{number}"])
    assert count_queries(client, url) == before


def test_robots_txt_points_to_the_sitemap(client, world):
    """robots.txt: plain text, the staff pages disallowed, the sitemap's absolute URL."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /export/"} <= set(lines)
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_sitemap_pages_past_the_end_are_404(client, world):
    """``?p=`` past the last page, or not a number, is a 404, not an error."""
    for page in ["2", "0", "x", "²"]:
        assert client.get(reverse("articleapp:sitemap"), {"p": page}).status_code == 404
