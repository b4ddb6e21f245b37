"""What the admin's add and change forms post, built by tests; where to post; the errors shown."""

from django.urls import reverse


def annotation_form(paragraph, start, end, **extra):
    return {
        "paragraph": paragraph.pk,
        "start": start,
        "end": end,
        "entity": "",
        "comment": "",
        "tags": "",
        "status": "draft",
        **extra,
    }


def entity_form(**fields):
    return {
        "name": "Nvidia",
        "slug": "nvidia",
        "kind": "organisation",
        "description": "",
        "wikidata_id": "",
        "tags": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        **fields,
    }


def change_url(obj):
    return reverse(f"admin:articleapp_{obj._meta.model_name}_change", args=[obj.pk])


def paragraph_form(paragraph, **fields):
    return {
        "article": paragraph.article_id,
        "position": paragraph.position,
        "text": paragraph.text,
        "version": paragraph.version,
        **fields,
    }


def error_text(response):
    return " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
