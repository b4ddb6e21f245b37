"""Everything an import could write, to show that a refused or dry one wrote nothing."""

from articleapp.models import Annotation, Article, Paragraph, RejectedSuggestion

MODELS = (Article, Paragraph, Annotation, RejectedSuggestion)


def article_rows():
    """Every row of articles, paragraphs, annotations, rejections and their histories."""
    models = [*MODELS, *(model.history.model for model in MODELS if hasattr(model, "history"))]
    return {
        model._meta.label: sorted(model._base_manager.values_list(), key=repr) for model in models
    }
