import datetime
import json
import re

import pytest
from django.core.management import CommandError, call_command
from markdown_it import MarkdownIt

from articleapp import seed as seed_module
from articleapp.markdown import render_markdown
from articleapp.models import Annotation, Article, Entity
from articleapp.seed import DATA_DIR, SeedError, load_article_source

# The published annotations the seed ships: 34 entity mentions (highlights) and 6 editorial
# comments on spans of their own; a seventh comment sits on the first „Mistral“ mention.
SEED_MENTIONS = 34
SEED_EDITORIAL_SPANS = 6
SEED_COMMENTS = 7


def markdown_links(text):
    """Return the targets of every link in ``text`` (Markdown), in order."""
    links = []
    for token in MarkdownIt("commonmark").parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                links.append(child.attrGet("href"))
    return links


def shipped_texts():
    """Return (where, Markdown text) for every description and comment in articleapp/data/."""
    entities = json.loads((DATA_DIR / "entities.json").read_text(encoding="utf-8"))
    comments = json.loads((DATA_DIR / "comments.json").read_text(encoding="utf-8"))
    return [(f"entity {e['slug']}", e["description"]) for e in entities] + [
        (f"comment ¶{c['paragraph']} „{c['quote']}“", c["comment"]) for c in comments
    ]


def snapshot():
    return (
        sorted(Entity.objects.values_list("slug", "name", "kind", "wikidata_id", "description")),
        sorted(Entity.tags.through.objects.values_list("object_id", "tag__name")),
        sorted(Article.objects.values_list("slug", "source_name", "source_url", "published_on")),
        sorted(
            Annotation.objects.values_list(
                "pk", "paragraph_id", "start", "end", "quote", "entity__slug", "comment", "status"
            ),
            key=str,
        ),
        sorted(Annotation.tags.through.objects.values_list("object_id", "tag__name")),
    )


@pytest.mark.django_db
def test_seed_is_idempotent(seeded):
    """Running seed twice leaves exactly the same rows."""
    before = snapshot()
    call_command("seed", verbosity=0)
    assert snapshot() == before


def test_seed_loads_the_gazetteer(seeded):
    """Every entity of the brief is there with kind and verified Wikidata ID."""
    expected = {
        "mistral-ai": ("organisation", "Q119718658"),
        "nvidia": ("organisation", "Q182477"),
        "microsoft": ("organisation", "Q2283"),
        "microsoft-azure": ("product", "Q725967"),
        "openai": ("organisation", "Q21708200"),
        "vivatech": ("event", ""),
        "friedrich-merz": ("person", "Q566257"),
        "financial-times": ("organisation", ""),
        "paris": ("place", "Q90"),
        "frankreich": ("place", "Q142"),
        "luxemburg": ("place", "Q32"),
        "singapur": ("place", "Q334"),
        "niederlande": ("place", "Q55"),
        "england": ("place", "Q21"),
        "schweiz": ("place", "Q39"),
        "ai-for-citizens": ("initiative", ""),
        "big-tech": ("other", ""),
    }
    actual = {e.slug: (e.kind, e.wikidata_id) for e in Entity.objects.all()}
    assert actual == expected
    assert set(Entity.objects.get(slug="mistral-ai").aliases.values_list("name", flat=True)) == {
        "Mistral"
    }
    assert "Big Tech" in Entity.objects.get(slug="microsoft").tags.names()


def test_seed_annotates_every_mention(seeded):
    """Each mention in the text is a published annotation whose quote is the text at its offsets."""
    annotations = Annotation.objects.select_related("paragraph", "entity")
    assert all(a.status == Annotation.Status.PUBLISHED for a in annotations)
    for annotation in annotations:
        assert annotation.paragraph.text[annotation.start : annotation.end] == annotation.quote
    counts = {}
    for annotation in annotations.exclude(entity=None):
        counts[annotation.entity.slug] = counts.get(annotation.entity.slug, 0) + 1
    mistral_mentions = sum(p.text.count("Mistral") for p in seeded.paragraphs.all())
    assert counts["mistral-ai"] == mistral_mentions
    assert counts["microsoft"] == 4
    assert counts["nvidia"] == 1
    assert counts["vivatech"] == 1
    assert counts["frankreich"] == 2
    assert counts["microsoft-azure"] == 1


def test_seed_has_overlapping_microsoft_and_azure(seeded):
    """„Microsoft-Cloud Azure“ is annotated as Azure and, inside it, Microsoft."""
    azure = Annotation.objects.get(entity__slug="microsoft-azure")
    assert azure.quote == "Microsoft-Cloud Azure"
    inner = Annotation.objects.get(
        entity__slug="microsoft", paragraph=azure.paragraph, start=azure.start
    )
    assert inner.end < azure.end


def test_seed_has_editor_comments(seeded):
    """The criticism of Big Tech, the Nvidia partnership and the Microsoft stake carry comments."""
    commented = Annotation.objects.exclude(comment="")
    quotes = " ".join(commented.values_list("quote", flat=True))
    assert "Kritik an großen Tech-Konzernen" in quotes
    assert "Partnerschaft mit Chiphersteller Nvidia" in quotes
    assert "Beteiligung an Mistral" in quotes
    assert "Die Kooperation gaben beide Unternehmen im Februar 2024 bekannt." in quotes
    assert "Konkrete Beispiele nennt Mistral nicht" in quotes
    assert "Initiative „AI for Citizens“" in quotes


def test_seed_publishes_mentions_and_comments_in_the_set_numbers(seeded):
    """34 mentions, 6 editorial spans, 7 comments: 40 published annotations, none left in draft."""
    annotations = Annotation.objects.filter(paragraph__article=seeded)
    assert annotations.published().count() == annotations.count() == 40
    assert annotations.exclude(entity=None).count() == SEED_MENTIONS
    assert annotations.filter(entity=None).count() == SEED_EDITORIAL_SPANS
    assert annotations.exclude(comment="").count() == SEED_COMMENTS
    assert not annotations.filter(entity=None, comment="").exists()


def test_first_mistral_mention_carries_the_founding_comment(seeded):
    """The first „Mistral“ is the entity mention that says who founded the company, and when."""
    first = (
        Annotation.objects.filter(entity__slug="mistral-ai", paragraph__article=seeded)
        .order_by("paragraph__position", "start")
        .first()
    )
    assert (first.paragraph.position, first.quote) == (1, "Mistral")
    assert "2023" in first.comment and "Arthur Mensch" in first.comment


def test_every_entity_has_a_description(seeded):
    """Each entity of the gazetteer is described, in one or two sentences of German."""
    for entity in Entity.objects.all():
        text = re.sub(r"\]\([^)]*\)", "]", entity.description)
        assert 20 < len(text) < 400, entity.slug


def test_links_in_descriptions_and_comments_are_https(seeded):
    """A description or comment that links anywhere links to https pages, each link well-formed."""
    texts = list(Entity.objects.values_list("description", flat=True))
    texts += list(Annotation.objects.exclude(comment="").values_list("comment", flat=True))
    linked = [text for text in texts if "](" in text or "http" in text]
    assert len(linked) >= 20
    for text in linked:
        links = markdown_links(text)
        assert len(links) == text.count("]("), text
        assert all(link.startswith("https://") for link in links), text


def test_every_shipped_link_is_listed_in_sources_md():
    """Each Markdown link in entities.json and comments.json points to a page SOURCES.md lists."""
    listed = set(markdown_links((DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")))
    for where, text in shipped_texts():
        for link in markdown_links(text):
            assert link.startswith("https://"), where
            assert link in listed, f"{where}: {link} is not in SOURCES.md"


def test_rendered_descriptions_keep_their_source_links(seeded):
    """The Markdown renderer turns each source into a safe link to the same https page."""
    for entity in Entity.objects.all():
        html = render_markdown(entity.description)
        for link in markdown_links(entity.description):
            href = link.replace("&", "&amp;")
            assert f'<a href="{href}" rel="noopener noreferrer nofollow">' in html, entity.slug


def test_seed_sets_the_article_source(seeded):
    """The article names where its text is published; the date stays empty, being unknown."""
    assert seeded.source_name == "inspohub.de"
    assert seeded.source_url.startswith("https://inspohub.de/ki-fuer-buerger-mistral-ai")
    assert seeded.published_on is None


def test_load_article_source_reads_a_date(tmp_path):
    """A publication date in ISO form becomes a date."""
    path = tmp_path / "source.json"
    path.write_text(
        '{"source_name": "Quelle", "source_url": "https://example.org/a", '
        '"published_on": "2025-07-04"}',
        encoding="utf-8",
    )
    assert load_article_source(path) == {
        "source_name": "Quelle",
        "source_url": "https://example.org/a",
        "published_on": datetime.date(2025, 7, 4),
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not valid JSON"),
        ('{"source_name": "", "source_url": ""}', "expected an object with exactly"),
        ('{"source_name": "", "source_url": "", "published_on": null, "x": 1}', "exactly"),
        ('["source_name", "source_url", "published_on"]', "expected an object"),
        ('{"source_name": 7, "source_url": "", "published_on": null}', "must be a string"),
        ('{"source_name": "", "source_url": "", "published_on": "4.7.2025"}', "a date like"),
        ('{"source_name": "", "source_url": "", "published_on": 2025}', "a date like"),
    ],
)
def test_load_article_source_names_what_is_wrong(tmp_path, content, message):
    """A broken source file is a SeedError that names the file and the fault."""
    path = tmp_path / "source.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SeedError, match=message) as error:
        load_article_source(path)
    assert str(path) in str(error.value)


def test_load_article_source_of_a_missing_file(tmp_path):
    """A missing source file is a SeedError, not a traceback."""
    with pytest.raises(SeedError, match="no such file"):
        load_article_source(tmp_path / "missing.json")


@pytest.mark.django_db
def test_seed_with_an_invalid_source_url_writes_nothing(tmp_path, monkeypatch):
    """An invalid source URL stops the seed with one clear line and leaves the database empty."""
    path = tmp_path / "source.json"
    path.write_text(
        '{"source_name": "X", "source_url": "keine Adresse", "published_on": null}',
        encoding="utf-8",
    )
    monkeypatch.setattr(seed_module, "SEED_ARTICLE_SOURCE", path)
    with pytest.raises(CommandError, match=r"source\.json: source_url: ") as error:
        call_command("seed", verbosity=0)
    assert "\n" not in str(error.value)
    assert not Article.objects.exists()
    assert not Entity.objects.exists()
