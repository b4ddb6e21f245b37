"""A small published world with hidden things in it, for the publishers' faces of the site.

Schema.org JSON-LD, Open Graph, feeds, the sitemap and embeds must show what readers may see and
nothing else. ``build_world`` makes an article whose first paragraph has published annotations
(entities of several kinds, with and without a Wikidata ID, a comment, tags) and, hidden from
readers, a draft, an orphan and a published annotation whose words changed since, each on an
entity of its own with a Wikidata ID, a comment and a tag of its own, and an entity nobody
mentions. ``hidden_traces`` finds any of the hidden ones in a response.
"""

import datetime

from taggit.models import Tag

from articleapp.models import Annotation
from articleapp.reanchoring import reanchor_paragraph
from tests.support.factories import annotate_quote, make_article, make_entity

FIRST = (
    "Mistral AI und Nvidia bauen in Frankreich Rechenzentren. Arthur Mensch stellt das "
    "Vorhaben auf der VivaTech vor."
)
SECOND = "Der Plan Verwaistwort stammt aus Paris. Das sagt Quendolin Mayr aus Lyon."
SECOND_EDITED = "Der Plan stammt aus Paris. Das sagt Quendolin K. Mayr aus Lyon."
PUBLIC_TAG = "Rechenzentren"
# Each hidden annotation's comment, tag and entity (name, slug, Wikidata ID): none may appear.
HIDDEN = {
    "draft": ("Geheimer Entwurfskommentar 7f3a", "Entwurfs-Tag 7f3a", "Entwurfsfirma 7f3a"),
    "orphan": ("Verwaister Kommentar 5d1e", "Verwaister Tag 5d1e", "Verwaist GmbH 5d1e"),
    "changed": ("Überholter Kommentar 4b2c", "Überholter Tag 4b2c", "Quendolin-Stiftung 4b2c"),
}
HIDDEN_WIKIDATA = {"draft": "Q9900001", "orphan": "Q9900002", "changed": "Q9900003"}
UNMENTIONED = ("Niemand erwähnt 9c0d", "niemand-erwaehnt", "Q9900004")


def build_world():
    """Return the article, the public entities and tag, and the hidden objects by name."""
    article = make_article(
        paragraphs=[FIRST, SECOND],
        title="Rechenzentren für Europa",
        kicker="Künstliche Intelligenz",
        byline="nen",
        source_name="heise online",
        source_url="https://www.heise.de/news/rechenzentren.html",
        published_on=datetime.date(2025, 5, 1),
    )
    first, second = article.paragraphs.order_by("position")
    mistral = make_entity(
        name="Mistral AI", slug="mistral-ai", kind="organisation", wikidata_id="Q119718658"
    )
    person = make_entity(name="Arthur Mensch", slug="arthur-mensch", kind="person")
    event = make_entity(name="VivaTech", slug="vivatech", kind="event", wikidata_id="Q30907596")
    published = [
        annotate_quote(first, "Mistral AI", entity=mistral, tags=[PUBLIC_TAG]),
        annotate_quote(first, "Arthur Mensch", entity=person, comment="Chef von *Mistral*"),
        annotate_quote(first, "VivaTech", entity=event),
        annotate_quote(first, "Rechenzentren", comment="Öffentlicher Kommentar", tags=["KI"]),
    ]
    hidden = {}
    for key, quote, paragraph in [
        ("draft", "Nvidia", first),
        ("orphan", "Verwaistwort", second),
        ("changed", "Quendolin Mayr", second),
    ]:
        comment, tag, name = HIDDEN[key]
        entity = make_entity(
            name=name, slug=f"hidden-{key}", kind="person", wikidata_id=HIDDEN_WIKIDATA[key]
        )
        status = Annotation.Status.DRAFT if key == "draft" else Annotation.Status.PUBLISHED
        hidden[key] = annotate_quote(
            paragraph, quote, entity=entity, comment=comment, tags=[tag, PUBLIC_TAG], status=status
        )
    make_entity(name=UNMENTIONED[0], slug=UNMENTIONED[1], wikidata_id=UNMENTIONED[2])
    # An editor's change to the text: one annotation loses its words, the other's words change.
    second.text = SECOND_EDITED
    second.save()
    reanchor_paragraph(second)
    assert set(Annotation.objects.published()) == set(published)
    return {
        "article": article,
        "entities": [mistral, person, event],
        "published": published,
        "tag": Tag.objects.get(name=PUBLIC_TAG),
        "hidden": {key: annotation.pk for key, annotation in hidden.items()},
    }


def hidden_markers(world):
    """Every text, slug, id and link of the hidden objects, as they would show in a response."""
    markers = [UNMENTIONED[0], f"/entities/{UNMENTIONED[1]}/", UNMENTIONED[2]]
    for key, (comment, tag, name) in HIDDEN.items():
        slug = Tag.objects.get(name=tag).slug
        markers += [comment, tag, name, f"/entities/hidden-{key}/", HIDDEN_WIKIDATA[key]]
        markers += [f"/tags/{slug}/"]
    for pk in world["hidden"].values():
        markers += [f'id="a-{pk}"', f'id="h-{pk}"', f'#a-{pk}"', f"#a-{pk}<", f"/annotations/{pk}"]
    return markers


def hidden_traces(world, text):
    """The markers of hidden objects found in ``text`` (a page, a feed, a sitemap, JSON)."""
    return [marker for marker in hidden_markers(world) if marker in text]
