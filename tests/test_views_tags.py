"""The tag pages (``views.tag_detail``): what they list, Unicode slugs, which tags have a page."""

import pytest
from taggit.models import Tag

from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.pages import count_queries
from tests.support.sizes import build_entity


@pytest.mark.django_db
def test_tag_page_lists_entities_and_annotations(client, seeded):
    """The tag page shows the entities and the published annotations carrying the tag."""
    content = client.get("/tags/big-tech/").content.decode()
    assert 'href="/entities/microsoft/"' in content and 'href="/entities/big-tech/"' in content
    annotation = Annotation.objects.published().filter(tags__slug="big-tech").first()
    assert annotation.get_absolute_url() in content


@pytest.mark.django_db
def test_tag_with_umlaut_has_a_working_page(client):
    """Unicode tag slugs (taggit keeps umlauts) have a page and links that resolve."""
    article = make_article(paragraphs=["Künstliche Intelligenz für Bürger."])
    annotate_quote(article.paragraphs.get(), "Bürger", tags=["Bürgerrechte"])
    content = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/tags/b%C3%BCrgerrechte/"' in content or 'href="/tags/bürgerrechte/"' in content
    assert client.get("/tags/bürgerrechte/").status_code == 200


@pytest.mark.django_db
def test_tag_page_query_count_is_constant(client):
    """A tag on 10 and on 120 annotations takes the same number of queries, at most 6."""
    build_entity(10)
    small = count_queries(client, "/tags/chips/")
    build_entity(110)
    assert count_queries(client, "/tags/chips/") == small <= 6


@pytest.mark.django_db
def test_tag_only_on_hidden_annotations_has_no_page(client):
    """A tag on nothing readers may see is a 404; on a public entity or a published annotation,
    a page. An entity not yet public does not make its tags public."""
    article = make_article(paragraphs=["Mistral baut geheime Rechenzentren in Paris."])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "geheime", status=Annotation.Status.DRAFT, tags=["Nur Entwurf"])
    orphan = annotate_quote(paragraph, "Paris", tags=["Nur verwaist"])
    orphan.anchor_status = Annotation.AnchorStatus.ORPHANED
    orphan.save()
    annotate_quote(paragraph, "Mistral", tags=["Öffentlich", "Nur Entwurf 2"])
    annotate_quote(
        paragraph, "Rechenzentren", status=Annotation.Status.DRAFT, tags=["Nur Entwurf 2"]
    )
    make_entity(tags=["Auf einer Entität"], is_public=True)
    make_entity(tags=["Auf einer verborgenen Entität"])
    for name in ["Nur Entwurf", "Nur verwaist", "Auf einer verborgenen Entität"]:
        response = client.get(f"/tags/{Tag.objects.get(name=name).slug}/")
        assert response.status_code == 404, name
        assert name not in response.content.decode()
    for name in ["Öffentlich", "Nur Entwurf 2", "Auf einer Entität"]:
        assert client.get(f"/tags/{Tag.objects.get(name=name).slug}/").status_code == 200, name
