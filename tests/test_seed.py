import pytest
from django.core.management import call_command

from articleapp.models import Annotation, Entity


def snapshot():
    return (
        sorted(Entity.objects.values_list("slug", "name", "kind", "wikidata_id")),
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
