"""Buttons on each row of a review queue: accept or reject a suggestion, confirm changed words.

A queue's rows sit inside the admin's changelist form, and forms cannot nest, so each button
submits that form (its CSRF token and the rows' ``version_<pk>`` fields) to the row's own URL
through ``formaction``: no script needed. The view runs the queue's own list action on that one
row (``QueueAdmin.run_row_action``), so permissions, the version check and the messages are the
bulk actions', and a rejected span is remembered the same way.

A queue names its buttons in ``row_actions``; ``row_urls`` gives each its URL,
``<id>/<action>/``, named ``<app>_<model>_<action>``.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articleapp import params
from articleapp.locking import conflict_message, posted_version
from articleapp.models import Annotation
from articleapp.wording import quoted


@dataclass(frozen=True)
class Button:
    label: str
    description: str  # its accessible name, with the row's %(quote)s
    css_class: str
    permission: str  # the permission of the concrete model it needs: change or delete


# Accept and Confirm are default actions; Reject deletes and is styled as such (review.css).
BUTTONS = {
    "accept": Button(
        _("Accept"), _("Accept %(quote)s and publish it"), "button default rn-accept", "change"
    ),
    "reject": Button(_("Reject"), _("Reject %(quote)s"), "button rn-reject", "delete"),
    "confirm": Button(
        _("Confirm"),
        _("Confirm %(quote)s with its new words"),
        "button default rn-confirm",
        "change",
    ),
}


def may(queue_admin, request, action):
    """Whether the user may use the row button ``action`` of this queue."""
    check = getattr(queue_admin, f"has_{BUTTONS[action].permission}_permission")
    return check(request)


def row_urls(queue_admin):
    """The URL patterns of the queue's row buttons, for its ``get_urls``."""
    opts = queue_admin.model._meta
    view = queue_admin.admin_site.admin_view(require_POST(queue_admin.review_view))
    return [
        path(
            f"<path:object_id>/{action}/",
            view,
            {"action": action},
            name=f"{opts.app_label}_{opts.model_name}_{action}",
        )
        for action in queue_admin.row_actions
    ]


def review_column(queue_admin, request):
    """Return a list column with the row's buttons, as far as the user may use them."""
    actions = [action for action in queue_admin.row_actions if may(queue_admin, request, action)]
    filters = queue_admin.get_preserved_filters(request)

    @admin.display(description=_("review"))
    def review(annotation):
        buttons = [
            (
                BUTTONS[action].css_class,
                _action_url(queue_admin, annotation, action) + (f"?{filters}" if filters else ""),
                BUTTONS[action].description % {"quote": quoted(annotation.quote)},
                BUTTONS[action].label,
            )
            for action in actions
        ]
        return format_html_join(
            " ",
            '<button type="submit" class="{}" formaction="{}" aria-label="{}">{}</button>',
            buttons,
        )

    return review


def review_view(queue_admin, request, object_id, action):
    """Run the row action ``action`` on one row; redirect to the list as filtered."""
    if action not in queue_admin.row_actions:
        raise Http404
    if not may(queue_admin, request, action):
        raise PermissionDenied
    try:
        pk = params.whole_number(unquote(object_id), name="id", minimum=1)
    except params.InvalidParameter:
        raise Http404(gettext("No such annotation in this list.")) from None
    row = queue_admin.get_queryset(request).filter(pk=pk)
    if row.exists():
        queue_admin.run_row_action(request, action, row)
    else:
        queue_admin.message_user(request, _gone(request, pk), messages.ERROR)
    opts = queue_admin.model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    # Parsed and encoded again: only the list's own query string, never a header-breaking one.
    filters = QueryDict(request.GET.get("_changelist_filters", "")).urlencode()
    return HttpResponseRedirect(f"{changelist}?{filters}" if filters else changelist)


def _gone(request, pk):
    """Say why a row shown in the list is no longer there to review; 404 if it never was."""
    annotation = Annotation.objects.filter(pk=pk).first()
    if annotation is None:
        if not Annotation.history.filter(id=pk).exists():
            raise Http404(gettext("No such annotation in this list."))
        annotation = Annotation(pk=pk)
    version = posted_version(request.POST, f"version_{pk}", annotation.version)
    return conflict_message(annotation, version)


def _action_url(queue_admin, annotation, action):
    opts = queue_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[annotation.pk])
