"""Which entities each article mentions (``ArticleEntity``), and the articles related through them.

``ArticleEntity`` holds, per article, the entities of its published annotations
(``Annotation.objects.published()``, the one reader rule) and how often each is mentioned.
``articleapp.invalidation`` keeps it, with ``store_mentions``, whenever it settles an article's
reading stamp, which is whenever what readers see of the article may have changed; nothing else
writes it. Reading it is cheap where the rule is not: the rule compares each annotation's words
with its paragraph's text.

An article's related articles are the ``RELATED_COUNT`` others sharing the most entities with
it, newest first among equals (``related_articles``). The reading page shows them and its stamp
digests them (``related_parts``), so that a page moves when another article enters or leaves its
list, or changes what the list shows of it (its card, ``CARD_FIELDS``).
"""

from collections import defaultdict

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from articleapp.models import Article, ArticleEntity

RELATED_COUNT = 5
# What a reading page shows of a related article; a change of one of them moves the stamps of
# the pages that list it.
CARD_FIELDS = ("slug", "title", "published_on", "source_name", "language")
# From an article, through the entities it mentions, to the articles mentioning them too.
THROUGH_SHARED = "entity_mentions__entity__article_mentions__article"


def store_mentions(counts, using):
    """Make ``ArticleEntity`` hold ``counts``: ``{article pk: {entity pk: mentions}}``.

    Returns ``{article pk: entity pks}`` of the entities an article began or ceased to mention;
    a mere change of count is not among them (relatedness counts shared entities, not mentions).
    """
    rows = ArticleEntity.objects.using(using)
    stored = defaultdict(dict)
    for pk, article_id, entity_id, mentions in rows.filter(article__in=list(counts)).values_list(
        "pk", "article_id", "entity_id", "mentions"
    ):
        stored[article_id][entity_id] = (pk, mentions)
    changed, created, updated, deleted = {}, [], [], []
    for article_id, entities in counts.items():
        before = stored.get(article_id, {})
        changed[article_id] = set(entities) ^ set(before)
        deleted += [pk for entity_id, (pk, _) in before.items() if entity_id not in entities]
        for entity_id, mentions in entities.items():
            if entity_id not in before:
                created.append(
                    ArticleEntity(article_id=article_id, entity_id=entity_id, mentions=mentions)
                )
            elif before[entity_id][1] != mentions:
                updated.append(ArticleEntity(pk=before[entity_id][0], mentions=mentions))
    if deleted:
        rows.filter(pk__in=deleted).delete()
    rows.bulk_create(created)
    rows.bulk_update(updated, ["mentions"])
    return {article_id: entities for article_id, entities in changed.items() if entities}


def sharing(entity_pks, using):
    """The pks of the articles that mention any of ``entity_pks``."""
    rows = ArticleEntity.objects.using(using).filter(entity__in=entity_pks)
    return set(rows.values_list("article", flat=True).distinct())


def related_articles(pks, using="default"):
    """Return ``{pk: [Article, …]}``: each article's related articles, best first.

    Each has ``shared`` (how many entities it shares) and the ``CARD_FIELDS``. One query
    whatever the number of articles: the pairs are counted and ranked per article in SQL.
    """
    pks = list(pks)
    shared = (
        Article.objects.using(using)
        .filter(
            # One filter() so that both conditions name the same join: the other article.
            Q(**{f"{THROUGH_SHARED}__in": pks})
            & (Q(pk__lt=F(THROUGH_SHARED)) | Q(pk__gt=F(THROUGH_SHARED)))
        )
        .annotate(related_to=F(THROUGH_SHARED), shared=Count("entity_mentions"))
        .only(*CARD_FIELDS, "created_at")
    )
    ranked = shared.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("related_to"),
            order_by=[
                F("shared").desc(),
                F("published_on").desc(nulls_last=True),
                F("created_at").desc(),
                F("pk").desc(),
            ],
        )
    ).filter(rank__lte=RELATED_COUNT)
    related = {pk: [] for pk in pks}
    for article in ranked.order_by("related_to", "rank"):
        related[article.related_to].append(article)
    return related


def related_parts(pks, using):
    """Return ``{pk: [card values and shared count of each related article]}`` for the digest."""
    return {
        pk: [[*card(other), other.shared] for other in items]
        for pk, items in related_articles(pks, using).items()
    }


def card(article):
    """The values of ``CARD_FIELDS`` of ``article``, as text, for the digests."""
    return [str(getattr(article, name)) for name in CARD_FIELDS]
