"""The admin's Annotate page: select words in an article's text to create or edit annotations.

Reached through ``ArticleAdmin.get_urls()``. The browser's selection fills paragraph, start, end
and the selected text (``static/articleapp/admin/annotate.js`` converts the browser's UTF-16
offsets to code points); the server checks that the paragraph holds exactly that text there.
``comment_preview_view`` renders a comment as readers will see it, for the form's preview.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from articleapp import params
from articleapp.forms import AnnotateForm
from articleapp.locking import VersionConflict, conflict_message, posted_version
from articleapp.markdown import render_markdown
from articleapp.models import Annotation
from articleapp.rendering import render_paragraph
from articleapp.wording import quoted

FORM_FIELDS = ["paragraph", "start", "end", "entity", "comment", "tags", "status"]


def annotate_view(article_admin, request, object_id):
    """Template ``admin/articleapp/article/annotate.html`` with the article's rows and a form.

    ``?annotation=<id>`` opens that annotation of the article for editing. Queries: article,
    paragraphs, their annotations with entities and tags, orphans; no more for longer articles.
    """
    article = article_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404(gettext("No such article."))
    annotation_admin = article_admin.admin_site.get_model_admin(Annotation)
    if not annotation_admin.has_view_permission(request):
        raise PermissionDenied
    instance = _annotation_to_edit(request, article)
    page_url = reverse("admin:articleapp_article_annotate", args=[article.pk])

    # Delete asks first, as Django's own delete view does: the first press shows what will go,
    # the confirmation (its own small form) deletes.
    deleting = request.method == "POST" and "delete" in request.POST
    if deleting:
        _check_deletable(request, annotation_admin, instance)
        if "delete_confirmed" in request.POST:
            return _delete(request, instance, page_url)

    may_save = (
        annotation_admin.has_change_permission(request, instance)
        if instance
        else annotation_admin.has_add_permission(request)
    )
    # Built as for saving (for a view-only user Django's get_form would leave no field at all),
    # and shown with every field disabled to whoever may not save it.
    form_class = annotation_admin.get_form(
        request, instance, change=False, form=AnnotateForm, fields=FORM_FIELDS
    )
    if request.method == "POST" and not deleting:
        if not may_save:
            raise PermissionDenied
        form = form_class(
            request.POST,
            instance=instance or Annotation(author=request.user),
            article=article,
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    annotation = form.save()
            except VersionConflict as conflict:
                messages.error(
                    request, conflict_message(conflict.instance, conflict.expected_version)
                )
                return HttpResponseRedirect(f"{page_url}?annotation={instance.pk}")
            messages.success(
                request,
                gettext("Saved %(quote)s (%(status)s).")
                % {"quote": quoted(annotation.quote), "status": annotation.get_status_display()},
            )
            return HttpResponseRedirect(f"{page_url}#p-{annotation.paragraph.position}")
    else:
        form = form_class(instance=instance, article=article)
        if not may_save:
            for field in form.fields.values():
                field.disabled = True

    annotations = (
        Annotation.objects.select_related("entity")
        .prefetch_related("tags")
        .with_reader_visibility()
    )
    paragraphs = article.paragraphs.order_by("position").prefetch_related(
        Prefetch(
            "annotations",
            queryset=annotations.exclude(anchor_status=Annotation.AnchorStatus.ORPHANED).order_by(
                "start", "-end", "pk"
            ),
            to_attr="placed_annotations",
        )
    )
    rows = [
        {
            "paragraph": paragraph,
            "html": render_paragraph(paragraph.text, paragraph.placed_annotations),
            "annotations": paragraph.placed_annotations,
        }
        for paragraph in paragraphs
    ]
    orphans = annotations.orphaned().filter(paragraph__article=article).select_related("paragraph")
    context = {
        **article_admin.admin_site.each_context(request),
        "title": gettext("Annotate %(article)s") % {"article": quoted(article)},
        "opts": article_admin.model._meta,
        "article": article,
        "rows": rows,
        "orphans": orphans,
        "form": form,
        # In the order an editor thinks; the selection comes first, from the text.
        "annotation_fields": [form[name] for name in ("entity", "tags", "comment", "status")],
        "editing": instance,
        "may_save": may_save,
        "may_delete": instance is not None and annotation_admin.has_delete_permission(request),
        "confirm_delete": deleting,
        "page_url": page_url,
        "preview_url": reverse("admin:articleapp_annotation_comment_preview"),
        "media": article_admin.media + form.media,
        # The text and the form need the page's whole width; the breadcrumbs lead back.
        "is_nav_sidebar_enabled": False,
    }
    return TemplateResponse(request, "admin/articleapp/article/annotate.html", context)


def _annotation_to_edit(request, article):
    """Return the annotation named by ``?annotation=``, which must belong to the article.

    A malformed id is a 400 (``params.InvalidParameter``), an unknown one a 404.
    """
    pk = params.query_number(request.GET, "annotation", minimum=1)
    if pk is None:
        return None
    annotation = (
        Annotation.objects.select_related("paragraph")
        .with_reader_visibility()
        .filter(pk=pk, paragraph__article=article)
        .first()
    )
    if annotation is None:
        raise Http404(gettext("No such annotation in this article."))
    return annotation


def _check_deletable(request, annotation_admin, instance):
    """404 without an annotation being edited, 403 for a user who may not delete it."""
    if instance is None:
        raise Http404(gettext("No annotation to delete."))
    if not annotation_admin.has_delete_permission(request, instance):
        raise PermissionDenied


def _delete(request, instance, page_url):
    """Delete the annotation being edited, if it is still the version the editor saw."""
    instance.version = posted_version(request.POST, "version", instance.version)
    try:
        instance.delete_unless_changed()
    except VersionConflict:
        messages.error(request, conflict_message(instance, instance.version))
        return HttpResponseRedirect(f"{page_url}?annotation={instance.pk}")
    messages.success(request, gettext("Deleted %(quote)s.") % {"quote": quoted(instance.quote)})
    return HttpResponseRedirect(page_url)


def comment_preview_view(annotation_admin, request):
    """Template ``admin/articleapp/annotation/comment_preview.html`` with ``html``: the posted
    ``comment`` rendered and sanitised as on the reading page. No queries.

    POST (with the CSRF token), so that drafts stay out of URLs and logs.
    """
    if not annotation_admin.has_view_permission(request):
        raise PermissionDenied
    comment = request.POST.get("comment", "")
    # The renderer unmemoised: half-typed drafts must not push the readers' comments out of
    # its cache.
    html = render_markdown.__wrapped__(comment)
    return TemplateResponse(
        request, "admin/articleapp/annotation/comment_preview.html", {"html": html}
    )
