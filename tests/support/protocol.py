"""What the Web Annotation Protocol tests (``tests/conformance``) send and read: media types,
preference IRIs, and helpers that fetch, follow pages and parse ``Link`` headers."""

import json

from articleapp.models import Annotation

LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
LDP = "http://www.w3.org/ns/ldp#"
MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
UNSAFE = ["POST", "PUT", "PATCH", "DELETE"]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def prefer(*iris):
    """A Prefer header as the protocol writes it: one include of space-separated IRIs."""
    return f'return=representation;include="{" ".join(iris)}"'


def get(client, url, **headers):
    response = client.get(url, HTTP_ACCEPT=LD, **headers)
    assert response.status_code == 200, url
    return json.loads(response.content)


def links(response):
    """The ``Link`` header as a set of (target, rel) pairs."""
    found = set()
    for link in response["Link"].split(","):
        target, _, rel = link.strip().partition(";")
        found.add((target.strip("<> "), rel.strip().removeprefix("rel=").strip('"')))
    return found


def published_ids(article):
    annotations = Annotation.objects.published().filter(paragraph__article=article)
    return [
        f"http://testserver/articles/{article.slug}/annotations/{pk}"
        for pk in annotations.for_export().values_list("pk", flat=True)
    ]


def items_of_all_pages(client, container_url, **headers):
    """Follow ``first`` and every ``next``: the container's items in order."""
    data = get(client, container_url, **headers)
    page = data["first"] if isinstance(data["first"], dict) else get(client, data["first"])
    items = list(page["items"])
    while "next" in page:
        page = get(client, page["next"])
        items += page["items"]
    return items
