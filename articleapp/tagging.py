"""Tags: which ones readers may see, and the tags of many objects loaded in one query.

``public_tags`` is the one definition of a tag readers may see (tag pages, search, sitemap);
``makes_a_slug`` the one rule for a tag name the forms and imports accept.

Why ``attach_tags``: taggit's ``prefetch_related("tags")`` builds a filtered queryset for every
object before it hands over the prefetched rows (about 3 ms an object, measured with cProfile:
300 annotations a second), which makes exports and long reading pages slow. This loads the same
rows in one query and fills the same prefetch cache, so ``obj.tags.all()`` reads them without a
query. The reading page needs only the lists, not taggit's managers (~15 µs an ``obj.tags``):
``tag_lists`` gives them, from the same query.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from taggit.models import Tag, TaggedItem

from articleapp.models import Annotation, Entity


def makes_a_slug(name):
    """Tell whether a tag name has a letter or a digit, so its slug and its page's URL are not
    empty (taggit's own ``slugify``); a tag of punctuation alone ("#", "?") would have none."""
    return bool(Tag().slugify(name))


def public_tags():
    """Tags readers may see: those on a public entity, or on an annotation readers may see.

    One without a slug (made before the forms refused them) has no page, so it is left out.

    A tag used only by drafts, orphans, annotations whose words changed or entities not yet
    public is an editor's business: it has no public page and is listed nowhere public. Checked
    tag by tag (``EXISTS``), so asking about one tag reads only that tag's items.
    """
    items = TaggedItem.objects.filter(tag=OuterRef("pk"), content_type__app_label="articleapp")
    on_entity = items.filter(content_type__model="entity").filter(
        Exists(Entity.objects.public().filter(pk=OuterRef("object_id")))
    )
    on_published = items.filter(content_type__model="annotation").filter(
        Exists(Annotation.objects.published().filter(pk=OuterRef("object_id")))
    )
    return Tag.objects.exclude(slug="").filter(Exists(on_entity) | Exists(on_published))


TAG_FIELDS = ["id", "name", "slug"]


def tag_lists(objects):
    """Return ``{pk: [Tag, …]}`` for ``objects`` (all of one model), by name, in one query.

    A tag carried by many objects is one instance, built from its columns alone.
    """
    if not objects:
        return {}
    meta = objects[0]._meta
    rows = (
        TaggedItem.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id__in=[obj.pk for obj in objects],
        )
        .order_by("tag__name", "pk")
        .values_list("object_id", "tag_id", "tag__name", "tag__slug")
    )
    tags, lists = {}, defaultdict(list)
    for object_id, tag_id, name, slug in rows:
        tag = tags.get(tag_id)
        if tag is None:
            tag = tags[tag_id] = Tag.from_db(rows.db, TAG_FIELDS, (tag_id, name, slug))
        lists[object_id].append(tag)
    return lists


def attach_tags(objects):
    """Fill the ``tags`` prefetch cache of every object in ``objects``; return them as a list."""
    objects = list(objects)
    tags_by_pk = tag_lists(objects)
    for obj in objects:
        tags = Tag.objects.all()
        tags._result_cache = tags_by_pk.get(obj.pk, [])
        tags._prefetch_done = True
        if not hasattr(obj, "_prefetched_objects_cache"):
            obj._prefetched_objects_cache = {}
        obj._prefetched_objects_cache["tags"] = tags
    return objects
