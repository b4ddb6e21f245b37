"""The public change log: dated text changes with word-level differences
(``articleapp/changelog.py``, its view, and the dating in ``articleapp/textchanges.py``)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articleapp import changelog, importer
from articleapp.models import Article, TextRevision
from articleapp.textdiff import Segment
from tests.support.factories import annotate_quote, make_article, make_entity
from tests.support.html import visible_text
from tests.support.pages import count_queries

FIRST = "Mistral baut Rechenzentren in Frankreich."
SECOND = "Der Chef von Mistral sagt das in Paris."
MOMENT = datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)


def reimport(article, *texts):
    parsed = importer.ParsedArticle(article.kicker, article.title, article.byline, texts)
    importer.save(parsed, slug=article.slug)
    article.refresh_from_db()
    return article


def changes_url(article):
    return reverse("articleapp:article-changes", kwargs={"slug": article.slug})


def shown(client, url):
    return " ".join(visible_text(client.get(url).content.decode()).split())


def at(minutes):
    return MOMENT + datetime.timedelta(minutes=minutes)


def test_texts_at_replays_the_history_up_to_each_moment():
    """Each state holds a paragraph's last record before the moment, none after its deletion;
    a paragraph whose history begins with a change is reported as unrecorded."""
    records = [
        (1, "+", at(0), 1, "eins"),
        (2, "+", at(0), 2, "zwei"),
        (1, "~", at(10), 1, "eins, geändert"),
        (2, "-", at(11), 2, "zwei"),
        (3, "+", at(20), 2, "drei"),
        (4, "~", at(21), 3, "vier, ohne Anfang"),
    ]
    (before, middle, now), unrecorded = changelog.texts_at(records, [at(5), at(15)])
    assert before == {1: (1, "eins"), 2: (2, "zwei")}
    assert middle == {1: (1, "eins, geändert")}
    assert now == {1: (1, "eins, geändert"), 3: (2, "drei"), 4: (3, "vier, ohne Anfang")}
    assert unrecorded == {4}


def test_a_paragraph_without_recorded_history_is_not_called_added():
    """Its new text is shown as it reads now, flagged as having no recorded earlier wording."""
    [change] = changelog.compare({}, {4: (1, "Jetzt so.")}, unrecorded={4})
    assert change.earlier_unknown and not change.is_added
    assert change.segments == [Segment("kept", "Jetzt so.")]


def test_compare_lists_changed_added_and_removed_paragraphs_in_order():
    """A changed text gets its word diff; added and removed ones all their words; an
    unchanged one, even moved, nothing."""
    old = {1: (1, "Mistral baut."), 2: (2, "Weg damit."), 3: (3, "Bleibt.")}
    new = {1: (1, "Mistral plant."), 3: (2, "Bleibt."), 4: (3, "Neu.")}
    result = changelog.compare(old, new)
    assert [(item.old_position, item.new_position) for item in result] == [
        (1, 1),
        (2, None),
        (None, 3),
    ]
    assert result[0].segments == [
        Segment("kept", "Mistral "),
        Segment("removed", "baut"),
        Segment("added", "plant"),
        Segment("kept", "."),
    ]
    assert result[1].is_removed and result[1].segments == [Segment("removed", "Weg damit.")]
    assert result[2].is_added and result[2].segments == [Segment("added", "Neu.")]


@pytest.mark.django_db
def test_a_reimport_that_changes_text_is_dated_and_logged():
    """A changed, an added and a removed paragraph: one dated change listing all three."""
    article = make_article(paragraphs=[FIRST, SECOND, "Alt."])
    reimport(article, FIRST.replace("baut", "plant"), "Neu.", SECOND)
    [revision] = TextRevision.objects.filter(article=article)
    assert article.text_changed_at == revision.started_at
    [change] = changelog.changes(article)
    assert change.started_at == revision.started_at
    assert [(item.old_position, item.new_position) for item in change.paragraphs] == [
        (1, 1),
        (None, 2),
        (3, None),
    ]
    assert [item.segments for item in change.paragraphs][1:] == [
        [Segment("added", "Neu.")],
        [Segment("removed", "Alt.")],
    ]


@pytest.mark.django_db
def test_first_import_and_unchanged_saves_are_no_change():
    """Creating an article, re-importing it unchanged and saving it record nothing, and
    ``text_changed_at`` stays empty."""
    article = make_article(paragraphs=[FIRST])
    reimport(article, FIRST)
    article.save()
    assert not TextRevision.objects.exists()
    assert Article.objects.get(pk=article.pk).text_changed_at is None
    assert changelog.changes(article) == []


@pytest.mark.django_db
def test_an_unchanged_save_leaves_the_date_alone():
    """After a change, saving the article or re-importing the same text keeps its date."""
    article = reimport(make_article(paragraphs=[FIRST]), SECOND)
    changed_at = article.text_changed_at
    article.title = "Neuer Titel"
    article.save()
    reimport(article, SECOND)
    assert Article.objects.get(pk=article.pk).text_changed_at == changed_at
    assert TextRevision.objects.count() == 1


@pytest.mark.django_db
def test_each_change_compares_with_the_text_before_it():
    """Three versions make two changes, newest first, each against its predecessor."""
    article = make_article(paragraphs=["Version eins."])
    reimport(article, "Version zwei.")
    reimport(article, "Version drei.")
    newest, oldest = changelog.changes(article)
    assert newest.started_at > oldest.started_at
    assert newest.paragraphs[0].segments[1:3] == [
        Segment("removed", "zwei"),
        Segment("added", "drei"),
    ]
    assert oldest.paragraphs[0].segments[1:3] == [
        Segment("removed", "eins"),
        Segment("added", "zwei"),
    ]


@pytest.mark.django_db
def test_admin_paragraph_edit_and_addition_are_dated(client):
    """An editor's change of a paragraph's text, and a paragraph added in its own form, each
    make a dated change."""
    editor = get_user_model().objects.create_user("redaktion", is_staff=True, is_superuser=True)
    client.force_login(editor)
    article = make_article(paragraphs=[FIRST])
    paragraph = article.paragraphs.get()
    url = reverse("admin:articleapp_paragraph_change", args=[paragraph.pk])
    data = {"position": 1, "text": FIRST.replace("baut", "plant"), "version": paragraph.version}
    assert client.post(url, data).status_code == 302
    add = reverse("admin:articleapp_paragraph_add")
    data = {"article": article.pk, "position": 2, "text": SECOND, "version": 1}
    assert client.post(add, data).status_code == 302
    assert TextRevision.objects.filter(article=article).count() == 2
    added, edited = changelog.changes(article)
    assert added.paragraphs[0].is_added and not edited.paragraphs[0].is_added


@pytest.mark.django_db
def test_change_log_page_shows_the_differences(client):
    """The page dates each change and marks removed and added words, for screen readers too."""
    article = reimport(make_article(paragraphs=[FIRST]), FIRST.replace("baut", "plant"))
    content = client.get(changes_url(article)).content.decode()
    assert "<del>" in content and "<ins>" in content
    text = shown(client, changes_url(article))
    assert "Änderungsprotokoll" in text and "Absatz 1" in text
    assert "Mistral [entfernt: baut][hinzugefügt: plant] Rechenzentren" in text


@pytest.mark.django_db
def test_change_log_shows_no_editor_data(client):
    """Annotations, drafts, comments and the editor's name stay off the change log."""
    editor = get_user_model().objects.create_user(
        "geheime-redakteurin", is_staff=True, is_superuser=True
    )
    article = make_article(paragraphs=[FIRST])
    paragraph = article.paragraphs.get()
    annotate_quote(paragraph, "Mistral", comment="Entwurfsnotiz", status="draft")
    annotate_quote(paragraph, "Frankreich", entity=make_entity("Frankreich"), comment="Notiz")
    client.force_login(editor)
    url = reverse("admin:articleapp_paragraph_change", args=[paragraph.pk])
    data = {"position": 1, "text": FIRST.replace("baut", "plant"), "version": paragraph.version}
    assert client.post(url, data).status_code == 302
    assert paragraph.history.latest().history_user == editor
    client.logout()
    text = shown(client, changes_url(article))
    assert "[hinzugefügt: plant]" in text
    for hidden in ["Notiz", "geheime-redakteurin", "Entwurf", "Organisation"]:
        assert hidden not in text


@pytest.mark.django_db
def test_unchanged_article_says_so_and_unknown_is_404(client):
    """An article never changed has a page saying so; an unknown slug is a 404."""
    article = make_article(paragraphs=[FIRST])
    assert "Der Text wurde seit seiner Veröffentlichung nicht geändert." in shown(
        client, changes_url(article)
    )
    url = reverse("articleapp:article-changes", kwargs={"slug": "gibt-es-nicht"})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_change_log_queries_do_not_grow(client):
    """One change or eight take the same three queries."""
    article = reimport(make_article(paragraphs=[FIRST, SECOND]), SECOND, FIRST)
    few = count_queries(client, changes_url(article))
    for number in range(7):
        reimport(article, f"Fassung {number}.", SECOND)
    assert count_queries(client, changes_url(article)) == few == 3


@pytest.mark.django_db
def test_reading_page_says_updated_and_links_the_log(client):
    """Only after a change does the reading page say "Aktualisiert am" with a link here."""
    article = make_article(paragraphs=[FIRST])
    assert "Aktualisiert am" not in client.get(article.get_absolute_url()).content.decode()
    reimport(article, SECOND)
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="updated" href="{changes_url(article)}">Aktualisiert am <time' in content
