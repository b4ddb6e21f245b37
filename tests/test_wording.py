"""Names in sentences are quoted once, and every count in the admin's messages takes its plural.

The helper, then the admin pages and messages that use it, in German and English.
"""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from articleapp import suggestions
from articleapp.wording import quoted
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.pages import text

OWN_QUOTES = "„KI für Bürger“: Mistral AI bezieht Stellung gegen Big Tech"


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("de", "Paris", "„Paris“"),
        ("en", "Paris", "“Paris”"),
        ("de", OWN_QUOTES, OWN_QUOTES),
        ("en", OWN_QUOTES, OWN_QUOTES),
        ("de", "Mistral sagt „Nein“", "„Mistral sagt ‚Nein‘“"),
        ("en", "Mistral sagt „Nein“", "“Mistral sagt ‘Nein’”"),
        ("de", "„Nein“", "„Nein“"),
        ("en", '"No"', '"No"'),
        ("de", "Ein „Zitat“ mittendrin", "„Ein ‚Zitat‘ mittendrin“"),
        ("de", 'He said “yes” and "no"', '„He said ‚yes‘ and "no"“'),
        ("en", "die Initiative „AI for Citizens“", "“die Initiative ‘AI for Citizens’”"),
        ("de", "ein „ allein", "„ein „ allein“"),
    ],
)
def test_quoted_adds_the_languages_marks_unless_the_name_has_its_own(language, name, expected):
    """A name is quoted in the interface language's marks unless it starts with one of its own;
    the quotations inside it take the language's single marks, and a mark without its pair
    stays as it is."""
    with translation.override(language):
        assert quoted(name) == expected


def test_the_template_filter_is_the_same_helper_and_escapes():
    """``|quoted`` in any template quotes once and escapes the name."""
    template = Template("{{ title|quoted }} {{ plain|quoted }}")
    with translation.override("de"):
        rendered = template.render(Context({"title": OWN_QUOTES, "plain": "<b>"}))
    assert rendered == f"{OWN_QUOTES} „&lt;b&gt;“"


@pytest.fixture
def quoted_article(db):
    make_entity("Mistral AI", aliases=["Mistral"])
    return make_article(paragraphs=["Mistral AI baut. Mistral wächst."], title=OWN_QUOTES)


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "title"), [("de", f"{OWN_QUOTES} annotieren"), ("en", f"Annotate {OWN_QUOTES}")]
)
def test_annotate_page_heading_quotes_a_quoted_title_once(
    admin_client, quoted_article, language, title
):
    """The Annotate page of „KI für Bürger“: … never reads „„KI für Bürger“…“."""
    url = reverse("admin:articleapp_article_annotate", args=[quoted_article.pk])
    page = text(in_language(admin_client, language).get(url))
    assert f"<h1>{title}</h1>" in page
    assert "„„" not in page and "““" not in page


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


@pytest.mark.parametrize(
    ("language", "first", "again"),
    [
        (
            "de",
            f"{OWN_QUOTES}: 2 neue Vorschläge; 0 Erwähnungen haben schon eine Anmerkung, "
            "0 wurden früher abgelehnt.",
            f"{OWN_QUOTES}: 0 neue Vorschläge; 1 Erwähnung hat schon eine Anmerkung, "
            "1 wurde früher abgelehnt.",
        ),
        (
            "en",
            f"{OWN_QUOTES}: 2 new suggestions; 0 mentions already annotated, 0 rejected before.",
            f"{OWN_QUOTES}: 0 new suggestions; 1 mention already annotated, 1 rejected before.",
        ),
    ],
)
def test_suggestion_counts_take_their_plural(admin_client, quoted_article, language, first, again):
    """One is singular ("1 wurde früher abgelehnt", never "1 wurden"); the title quoted once."""
    client = in_language(admin_client, language)
    url = reverse("admin:articleapp_article_suggest", args=[quoted_article.pk])
    assert messages_of(client.post(url)) == [first]
    mistral_ai, mistral = quoted_article.paragraphs.get().annotations.order_by("start", "-end")
    suggestions.accept(mistral_ai)
    mistral_ai.save()
    suggestions.reject(mistral)
    assert messages_of(client.post(url))[-1] == again


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "1 Anmerkung an ihrer Stelle, 1 verschoben, 0 mit geänderten Wörtern (für Leser "
            "verborgen, bis sie bestätigt sind), 0 verwaist.",
        ),
        (
            "en",
            "1 annotation in place, 1 moved, 0 with changed words (hidden from readers until "
            "confirmed), 0 orphaned.",
        ),
    ],
)
def test_reanchoring_counts_take_their_plural(admin_client, language, expected):
    """ "1 Anmerkung an ihrer Stelle", never "1 Anmerkungen"."""
    paragraph = make_article(paragraphs=["Mistral baut in Paris."]).paragraphs.get()
    annotate_quote(paragraph, "Mistral")
    annotate_quote(paragraph, "Paris")
    url = reverse("admin:articleapp_paragraph_change", args=[paragraph.pk])
    data = {"position": 1, "text": "Mistral baut neu in Paris.", "version": paragraph.version}
    response = in_language(admin_client, language).post(url, data)
    assert any(message.endswith(expected) for message in messages_of(response))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "der 1 Zeichen hat"),
        ("en", "which has 1 character;"),
    ],
)
def test_span_outside_a_one_character_paragraph_says_character(admin_client, language, expected):
    """The offsets error counts characters in the singular for a one-character paragraph."""
    paragraph = make_article(paragraphs=["A"]).paragraphs.get()
    data = {"paragraph": paragraph.pk, "start": 0, "end": 5, "status": "draft"}
    client = in_language(admin_client, language)
    response = client.post(reverse("admin:articleapp_annotation_add"), data)
    assert expected in text(response)
