"""Accept or reject one suggestion with the buttons on its row of the review list.

The review list's rows sit inside the admin's changelist form, and forms cannot nest, so each
button submits that form (its CSRF token and the rows' ``version_<pk>`` fields) to the row's
own URL through ``formaction``: no script needed. The view runs the list's own action, accept or
reject, on that one row, so permissions, the version check and the messages are the bulk
actions', and a rejected span is remembered the same way.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articleapp import params
from articleapp.locking import conflict_message, posted_version
from articleapp.models import Annotation
from articleapp.wording import quoted

ACTIONS = ("accept", "reject")


def review_column(queue_admin, request):
    """Return a list column with the row's Accept and Reject buttons, as far as permitted."""
    permitted = {
        "accept": queue_admin.has_change_permission(request),
        "reject": queue_admin.has_delete_permission(request),
    }
    labels = {"accept": gettext("Accept"), "reject": gettext("Reject")}
    # Accept is the default action; Reject deletes and is styled as such (review.css).
    classes = {"accept": "button default rn-accept", "reject": "button rn-reject"}
    descriptions = {
        "accept": gettext("Accept %(quote)s and publish it"),
        "reject": gettext("Reject %(quote)s"),
    }
    filters = queue_admin.get_preserved_filters(request)

    @admin.display(description=_("review"))
    def review(annotation):
        buttons = [
            (
                classes[action],
                _action_url(annotation, action) + (f"?{filters}" if filters else ""),
                descriptions[action] % {"quote": quoted(annotation.quote)},
                labels[action],
            )
            for action in ACTIONS
            if permitted[action]
        ]
        return format_html_join(
            " ",
            '<button type="submit" class="{}" formaction="{}" aria-label="{}">{}</button>',
            buttons,
        )

    return review


def review_view(queue_admin, request, object_id, action):
    """Run the list action ``action`` on one suggestion; redirect to the list as filtered."""
    if action not in ACTIONS:
        raise Http404
    may = (
        queue_admin.has_change_permission
        if action == "accept"
        else queue_admin.has_delete_permission
    )
    if not may(request):
        raise PermissionDenied
    try:
        pk = params.whole_number(unquote(object_id), name="id", minimum=1)
    except params.InvalidParameter:
        raise Http404(gettext("No such suggestion.")) from None
    row = queue_admin.get_queryset(request).filter(pk=pk)
    if row.exists():
        # One row, named on its button: rejected at once, without the bulk confirmation.
        (queue_admin.accept if action == "accept" else queue_admin.reject_rows)(request, row)
    else:
        queue_admin.message_user(request, _gone(request, pk), messages.ERROR)
    changelist = reverse("admin:articleapp_suggestedannotation_changelist")
    # Parsed and encoded again: only the list's own query string, never a header-breaking one.
    filters = QueryDict(request.GET.get("_changelist_filters", "")).urlencode()
    return HttpResponseRedirect(f"{changelist}?{filters}" if filters else changelist)


def _gone(request, pk):
    """Say why a suggestion shown in the list is no longer there to review; 404 if it never was."""
    annotation = Annotation.objects.filter(pk=pk).first()
    if annotation is None:
        if not Annotation.history.filter(id=pk).exists():
            raise Http404(gettext("No such suggestion."))
        annotation = Annotation(pk=pk)
    version = posted_version(request.POST, f"version_{pk}", annotation.version)
    return conflict_message(annotation, version)


def _action_url(annotation, action):
    return reverse(f"admin:articleapp_suggestedannotation_{action}", args=[annotation.pk])
