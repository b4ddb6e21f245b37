"""Articles, their paragraphs, the entity gazetteer and the annotations that link them.

One module a subject (``common``, ``articles``, ``entities``, ``annotations``); every model and
helper is imported from here, as ``articleapp.models``.
"""

from articleapp.models.annotations import (
    Annotation,
    AnnotationQuerySet,
    ChangedAnnotation,
    OrphanedAnnotation,
    RejectedSuggestion,
    SuggestedAnnotation,
    seen_by_readers,
)
from articleapp.models.articles import Article, ArticleQuerySet, Paragraph, TextRevision
from articleapp.models.common import (
    SLUG_PATTERN,
    WIKIDATA_ID_PATTERN,
    newest_first,
    normalize_text,
    validate_wikidata_id,
)
from articleapp.models.entities import ArticleEntity, Entity, EntityAlias, EntityQuerySet

__all__ = [
    "SLUG_PATTERN",
    "WIKIDATA_ID_PATTERN",
    "Annotation",
    "AnnotationQuerySet",
    "Article",
    "ArticleEntity",
    "ArticleQuerySet",
    "ChangedAnnotation",
    "Entity",
    "EntityAlias",
    "EntityQuerySet",
    "OrphanedAnnotation",
    "Paragraph",
    "RejectedSuggestion",
    "SuggestedAnnotation",
    "TextRevision",
    "newest_first",
    "normalize_text",
    "seen_by_readers",
    "validate_wikidata_id",
]
