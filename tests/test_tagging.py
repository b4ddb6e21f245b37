"""Tags of many objects in one query, and the tags readers may see."""

import pytest

from articleapp.models import Annotation
from articleapp.tagging import attach_tags, tag_lists
from tests.support.factories import make_annotation, make_article

pytestmark = pytest.mark.django_db


def annotations_with_tags(*tag_sets):
    paragraph = make_article(["Ein Absatz mit genug Wörtern."]).paragraphs.get()
    return [make_annotation(paragraph, 0, 3, tags=tags) for tags in tag_sets]


def test_tag_lists_reads_every_objects_tags_by_name_in_one_query(django_assert_num_queries):
    """One query for all objects; each list sorted by name; a shared tag is one instance."""
    first, second, bare = annotations_with_tags(["Zeit", "Arbeit"], ["Arbeit"], [])
    with django_assert_num_queries(1):
        lists = tag_lists([first, second, bare])
    assert [tag.name for tag in lists[first.pk]] == ["Arbeit", "Zeit"]
    assert lists[second.pk][0] is lists[first.pk][0]
    assert lists[first.pk][0].slug == "arbeit"
    assert bare.pk not in lists


def test_tag_lists_of_nothing_runs_no_query(django_assert_num_queries):
    """No objects, no query."""
    with django_assert_num_queries(0):
        assert tag_lists([]) == {}


def test_attach_tags_fills_the_cache_tags_all_reads(django_assert_num_queries):
    """After ``attach_tags``, ``obj.tags.all()`` answers without a query."""
    annotations_with_tags(["Zeit", "Arbeit"], [])
    annotations = list(Annotation.objects.order_by("pk"))
    attach_tags(annotations)
    with django_assert_num_queries(0):
        assert [[tag.name for tag in item.tags.all()] for item in annotations] == [
            ["Arbeit", "Zeit"],
            [],
        ]
