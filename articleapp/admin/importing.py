"""The admin's page "Import article": a file, pasted text or a URL; a preview; the import.

Reached through ``ArticleAdmin.get_urls()`` and linked from the article list. The first POST
reads the source and shows what the import would do (``importer.plan``): the article's fields,
its paragraphs, and for a re-import which annotations stay in place, move or need review. The
preview carries the article as read, signed, so that the confirmation imports exactly what was
previewed without reading the source again, and only while the plan is still the one shown
(``importer.save(expected=digest)``); otherwise the new plan is shown. Only users who may add
and change articles may import; anyone else gets 403.
"""

import dataclasses
import datetime

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from articleapp import importer
from articleapp.forms import ArticleImportForm
from articleapp.models import Annotation, Article
from articleapp.parsed import ParsedArticle
from articleapp.textdiff import word_diff
from articleapp.wording import quoted

TEMPLATE = "admin/articleapp/article/import.html"
SALT = "articleapp.admin.importing"
# A preview left open longer is shown again before it is imported.
PREVIEW_MAX_AGE = 60 * 60


def may_import(article_admin, request):
    """An import creates an article or changes one, so both permissions are needed."""
    return article_admin.has_add_permission(request) and article_admin.has_change_permission(
        request
    )


def import_view(article_admin, request):
    """Template ``admin/articleapp/article/import.html``: the form, or the preview of an import.

    GET shows the form; a POST of the form reads the source and shows the preview with the
    confirmation; a POST of the confirmation imports and redirects to the article. Queries for
    a preview: the article by slug and by source URL, its paragraphs, its annotations.
    """
    if not may_import(article_admin, request):
        raise PermissionDenied
    may_suggest = article_admin.has_suggest_permission(request)
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(article_admin, request, may_suggest)
    if request.method == "POST":
        form = ArticleImportForm(request.POST, request.FILES, may_suggest=may_suggest)
        if form.is_valid():
            data = form.cleaned_data
            try:
                parsed = _read(data)
                plan = importer.plan(parsed, data["slug"] or None)
            except importer.ArticleImportError as error:
                form.add_error(None, str(error))
            else:
                return _render(article_admin, request, form, plan, data.get("suggest", False))
    else:
        form = ArticleImportForm(may_suggest=may_suggest)
    return _render(article_admin, request, form)


def _read(data):
    """Read the one source the form was given."""
    if data["url"]:
        return importer.read_url(data["url"])
    if data["file"]:
        upload = data["file"]
        return importer.read_bytes_as(upload.read(), upload.name, upload.name)
    return importer.read_bytes_as(data["text"].encode(), "", gettext("the pasted text"))


def _confirm(article_admin, request, may_suggest):
    """Import what the preview showed, if it still would do the same."""
    try:
        payload = signing.loads(request.POST["payload"], salt=SALT, max_age=PREVIEW_MAX_AGE)
        parsed, slug = _parsed(payload["article"]), payload["slug"]
        digest, suggest = payload["digest"], payload["suggest"] and may_suggest
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        messages.error(
            request, gettext("The preview has expired or is not valid; import the article again.")
        )
        return HttpResponseRedirect(reverse("admin:articleapp_article_import"))
    try:
        article, created = importer.save(parsed, slug, expected=digest)
    except importer.PlanChanged:
        messages.warning(
            request,
            gettext(
                "The article changed since the preview, and nothing was imported. This is what "
                "the import would do now."
            ),
        )
        try:
            plan = importer.plan(parsed, slug)
        except importer.ArticleImportError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:articleapp_article_import"))
        form = ArticleImportForm(may_suggest=may_suggest)
        return _render(article_admin, request, form, plan, suggest)
    except importer.ArticleImportError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("admin:articleapp_article_import"))
    count = len(parsed.paragraphs)
    message = (
        ngettext(
            "Imported %(article)s with %(count)d paragraph.",
            "Imported %(article)s with %(count)d paragraphs.",
            count,
        )
        if created
        else ngettext(
            "Updated %(article)s; it has %(count)d paragraph.",
            "Updated %(article)s; it has %(count)d paragraphs.",
            count,
        )
    )
    messages.success(request, message % {"article": quoted(article), "count": count})
    if suggest:
        article_admin.report_suggestions(request, [article])
    return HttpResponseRedirect(reverse("admin:articleapp_article_change", args=[article.pk]))


def _render(article_admin, request, form, plan=None, suggest=False):
    opts = article_admin.model._meta
    context = {
        **article_admin.admin_site.each_context(request),
        "title": gettext("Import article"),
        "opts": opts,
        "form": form,
        "media": article_admin.media + form.media,
    }
    if plan is not None:
        context.update(preview_context(plan, suggest))
    return TemplateResponse(request, TEMPLATE, context)


def preview_context(plan, suggest):
    """What the preview shows of ``plan``, and the signed payload its confirmation posts."""
    parsed, text = plan.parsed, plan.text
    labels = {field: Article._meta.get_field(field).verbose_name for field in importer.FIELDS}
    review = text.to_review
    return {
        "plan": plan,
        "parsed": parsed,
        "values": plan.values,
        "changes": [(labels[field], old, new) for field, old, new in plan.changes],
        # A changed paragraph as the words that go and come, so that an editor sees what the
        # import undoes (a correction made in the admin since the last import, say).
        "paragraphs": [
            (new, state, word_diff(old, new) if state == "changed" else None)
            for new, state, old in zip(parsed.paragraphs, text.states, text.previous, strict=True)
        ],
        "moved": text.moved,
        "review": review,
        "kept_count": len(text.kept),
        "orphaned_count": sum(o.status == Annotation.AnchorStatus.ORPHANED for o in review),
        "suggest": suggest,
        "payload": confirmation(plan, suggest),
    }


def confirmation(plan, suggest=False):
    """The signed payload that confirms ``plan``: the article as read, its slug, the digest."""
    payload = {
        "article": _serialised(plan.parsed),
        "slug": plan.slug,
        "digest": plan.digest,
        "suggest": suggest,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def _serialised(parsed):
    fields = dataclasses.asdict(parsed)
    fields["paragraphs"] = list(parsed.paragraphs)
    fields["published_on"] = parsed.published_on.isoformat() if parsed.published_on else None
    return fields


def _parsed(fields):
    published_on = fields["published_on"]
    return ParsedArticle(
        **{
            **fields,
            "paragraphs": tuple(fields["paragraphs"]),
            "published_on": datetime.date.fromisoformat(published_on) if published_on else None,
        }
    )
