"""An annotation whose words an edit changed, as readers and exports meet it.

Hidden from the reading page, its tag page and the reader digest until an editor confirms it
(``Annotation.objects.published()`` is the one rule); exports say whether readers see it, and an
import of the export keeps it hidden. The admin side is in ``tests/test_queues_changed.py``.
"""

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from articleapp import textchanges
from articleapp.models import Annotation, Article
from tests.support.factories import annotate_quote, make_article
from tests.support.pages import text

BEFORE = "Mistral AI baut mit dem Chiphersteller Nvidia in Paris."
AFTER = "Mistral AI baut mit dem Chip-Hersteller Nvidia in Paris."


def edit(article, new_text):
    with transaction.atomic():
        before = textchanges.before(article)
        paragraph = article.paragraphs.get()
        paragraph.text = new_text
        paragraph.save()
        textchanges.reconcile(before)


def confirm(annotation):
    annotation.refresh_from_db()
    annotation.confirm_words()
    annotation.save()


@pytest.fixture
def article(db):
    article = make_article(paragraphs=[BEFORE])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Chiphersteller Nvidia", comment="Partnerschaft", tags=["Partner"])
    annotate_quote(paragraph, "Paris", comment="Hauptstadt", tags=["Ort"])
    return article


def partnership():
    return Annotation.objects.get(comment="Partnerschaft")


def digest(article):
    return Article.objects.get(pk=article.pk).reader_digest


def test_reading_page_hides_it_until_confirmed(client, article):
    """Edit → hidden from the reading page; confirmed → shown with the new words."""
    url = article.get_absolute_url()
    assert "Partnerschaft" in text(client.get(url))
    edit(article, AFTER)
    page = text(client.get(url))
    assert "Partnerschaft" not in page and "Hauptstadt" in page
    confirm(partnership())
    page = text(client.get(url))
    assert "Partnerschaft" in page and "Chip-Hersteller Nvidia" in page


def test_reader_digest_follows_the_same_rule(article):
    """The reading stamp moves when the edit hides it and again when it is confirmed."""
    first = digest(article)
    edit(article, AFTER)
    hidden = digest(article)
    assert hidden != first
    confirm(partnership())
    assert digest(article) not in {first, hidden}


def test_a_tag_page_lives_while_a_visible_annotation_carries_the_tag(client, article):
    """A tag only the hidden annotation carries has no page until it is confirmed; a tag that a
    visible annotation carries too keeps its page."""
    Annotation.objects.get(comment="Hauptstadt").tags.add("Partner-Weit")
    partnership().tags.add("Partner-Weit")
    edit(article, AFTER)
    assert client.get("/tags/partner/").status_code == 404
    shared = text(client.get("/tags/partner-weit/"))
    assert "Hauptstadt" in shared and "Partnerschaft" not in shared
    confirm(partnership())
    assert client.get("/tags/partner/").status_code == 200


def test_exports_say_whether_readers_see_it(article, tmp_path):
    """JSON and CSV carry visible_to_readers; an import of the JSON keeps it hidden."""
    edit(article, AFTER)
    target = tmp_path / "export.json"
    call_command("export_annotations", "--format", "json", "--output", str(target), verbosity=0)
    records = {record["comment"]: record for record in json.loads(target.read_text())}
    assert records["Partnerschaft"]["status"] == "published"
    assert records["Partnerschaft"]["visible_to_readers"] is False
    assert records["Hauptstadt"]["visible_to_readers"] is True
    csv_target = tmp_path / "export.csv"
    call_command("export_annotations", "--format", "csv", "--output", str(csv_target), verbosity=0)
    header, *rows = csv_target.read_text(encoding="utf-8").splitlines()
    column = header.split(",").index("visible_to_readers")
    assert sorted(row.split(",")[column] for row in rows) == ["False", "True"]
    Annotation.objects.all().delete()
    call_command("import_annotations", str(target), verbosity=0)
    assert partnership().has_changed_words
    assert list(Annotation.objects.published().values_list("comment", flat=True)) == ["Hauptstadt"]
    again = tmp_path / "again.json"
    call_command("export_annotations", "--format", "json", "--output", str(again), verbosity=0)
    assert again.read_bytes() == target.read_bytes()


def test_import_refuses_a_visibility_that_is_not_true_or_false(article, tmp_path):
    """visible_to_readers must be a boolean when given."""
    target = tmp_path / "export.json"
    call_command("export_annotations", "--format", "json", "--output", str(target), verbosity=0)
    records = json.loads(target.read_text())
    records[0]["visible_to_readers"] = "ja"
    target.write_text(json.dumps(records))
    Annotation.objects.all().delete()
    with pytest.raises(Exception, match="visible_to_readers must be true or false"):
        call_command("import_annotations", str(target), verbosity=0)
    assert not Annotation.objects.exists()
