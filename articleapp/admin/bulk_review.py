"""Accept or reject many suggestions at once, after a page that counts them.

The review list's filters (article, entity, kind, confidence, reason) choose the suggestions, and
its "Select all" picks every one that matches, not only the page's. Before acting, the page
counts them, names the filters, breaks them down by entity and reason and lists the first few.
Its form posts back to the list's own URL, so the same filters choose the same rows. Rows picked
one by one carry the versions the list showed (a row changed meanwhile is left alone, as
everywhere); rows picked across pages were never shown, so the form carries the count instead:
if the filters match a different number by the time it is confirmed (someone ran the gazetteer,
or reviewed some), the page is shown again with the new count rather than acting on rows the
editor did not see counted.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articleapp.locking import posted_version
from articleapp.models import Annotation

LISTED = 50
TITLES = {"accept": _("Accept suggestions"), "reject": _("Reject suggestions")}


def confirmed(queue_admin, request, queryset):
    """Tell whether this post confirms the action for exactly the rows counted before."""
    if request.POST.get("post") != "yes":
        return False
    if not is_across(request):
        return True
    count = queryset.count()
    if request.POST.get("count") == str(count):
        return True
    queue_admin.message_user(
        request,
        ngettext(
            "The filters match %(count)d suggestion now, not as many as before; nothing was "
            "done yet. Check the count and confirm again.",
            "The filters match %(count)d suggestions now, not as many as before; nothing was "
            "done yet. Check the count and confirm again.",
            count,
        )
        % {"count": count},
        messages.WARNING,
    )
    return False


def confirmation(queue_admin, request, queryset, action):
    """Return the page that asks to ``action`` ("accept" or "reject") the rows; None if none."""
    across = is_across(request)
    count = queryset.count()
    if not count:
        return None
    shown = list(queryset[:LISTED])
    rows = [
        (annotation, posted_version(request.POST, f"version_{annotation.pk}", annotation.version))
        for annotation in shown
    ]
    # What the form posts back: the rows as selected, with versions only for rows the list showed.
    selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
    versions = (
        []
        if across
        else [
            (pk, request.POST[f"version_{pk}"])
            for pk in selected
            if f"version_{pk}" in request.POST
        ]
    )
    context = {
        **queue_admin.admin_site.each_context(request),
        "title": str(TITLES[action]),
        "opts": queue_admin.model._meta,
        "action": action,
        "rows": rows,
        "count": count,
        "more": count - len(shown),
        "across": across,
        "selected": selected,
        "versions": versions,
        "filters": active_filters(queue_admin, request),
        "breakdown": breakdown(queryset),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": queue_admin.media,
    }
    return TemplateResponse(
        request, "admin/articleapp/suggestedannotation/review_confirmation.html", context
    )


def is_across(request):
    """Whether the rows are all that match the filters ("Select all"), not the ones ticked."""
    return request.POST.get("select_across") == "1"


def active_filters(queue_admin, request):
    """Return (title, chosen value) for each of the list's filters that is in use."""
    changelist = queue_admin.get_changelist_instance(request)
    chosen = []
    for spec in changelist.filter_specs:
        choices = list(spec.choices(changelist))
        values = [str(choice["display"]) for choice in choices[1:] if choice["selected"]]
        if values and not choices[0]["selected"]:
            chosen.append((str(spec.title), ", ".join(values)))
    return chosen


def breakdown(queryset):
    """Return (entity name, reason label, count) for the rows, the largest groups first."""
    groups = (
        queryset.order_by()
        .values("entity__name", "reason")
        .annotate(rows=Count("pk"))
        .order_by("-rows", "entity__name", "reason")
    )
    labels = dict(Annotation.Reason.choices)
    return [
        (group["entity__name"] or "—", labels.get(group["reason"], "—"), group["rows"])
        for group in groups
    ]
