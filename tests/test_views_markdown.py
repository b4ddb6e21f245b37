"""Descriptions and comments shown as rendered Markdown on the entity and tag pages."""

import pytest

from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import parse_html, visible_text
from tests.support.pages import main_html


def comment_excerpts(content):
    """The inner HTML of every comment excerpt on a page."""
    parts = content.split('<div class="comment-excerpt"')[1:]
    return [part[part.index(">") + 1 : part.index("</div>")] for part in parts]


RAW_MARKDOWN = ["**", "__", "](", "[Quelle", "https://"]


@pytest.mark.django_db
def test_entity_page_renders_the_description_and_comments_as_markdown(client):
    """The description and each mention's comment show as formatted text with links."""
    entity = make_entity(
        "Mistral AI",
        slug="mistral-ai",
        description="**Französisches** KI-Unternehmen ([IBM](https://www.ibm.com/mistral)).",
    )
    article = make_article(paragraphs=["Mistral baut Modelle.", "Mistral baut Chips."])
    first, second = article.paragraphs.order_by("position")
    annotate_quote(
        first,
        "Mistral",
        entity=entity,
        comment="Gegründet __2023__ ([Quelle](https://example.org/q)).",
    )
    annotate_quote(second, "Mistral", entity=entity)
    content = client.get(entity.get_absolute_url()).content.decode()
    assert (
        '<strong>Französisches</strong> KI-Unternehmen (<a href="https://www.ibm.com/mistral"'
        in content
    )
    [excerpt] = comment_excerpts(content)
    assert 'Gegründet <strong>2023</strong> (<a href="https://example.org/q"' in excerpt
    shown = visible_text(main_html(content))
    for syntax in RAW_MARKDOWN:
        assert syntax not in shown, syntax


@pytest.mark.django_db
def test_tag_page_excerpts_comments_safely(client):
    """A long Markdown comment is rendered, then cut after 40 words with its markup balanced."""
    words = " ".join(f"Wort{n}" for n in range(37))
    comment = f"{words} **fett** [Quelle eins zwei drei](https://example.org/q) _danach_ Ende."
    article = make_article(paragraphs=["Mistral baut Modelle."])
    annotate_quote(article.paragraphs.get(), "Mistral", comment=comment, tags=["Lang"])
    annotate_quote(
        article.paragraphs.get(), "Modelle", comment="Kurz mit **Nachdruck**.", tags=["Lang"]
    )
    content = client.get("/tags/lang/").content.decode()
    long, short = comment_excerpts(content)
    assert parse_html(long).balanced and parse_html(short).balanced
    # Cut inside the link: the link is closed after the ellipsis, then the paragraph.
    assert long.startswith("<p>Wort0 Wort1 ") and long.endswith("…</a></p>")
    assert '<strong>fett</strong> <a href="https://example.org/q" rel="noopener' in long
    assert len(visible_text(long).split()) <= 41  # at most 40 words and the ellipsis
    assert short.strip() == "<p>Kurz mit <strong>Nachdruck</strong>.</p>"
    shown = visible_text(main_html(content))
    for syntax in RAW_MARKDOWN:
        assert syntax not in shown, syntax
