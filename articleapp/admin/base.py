"""What the editors' model admins share: optimistic locking and a history that is safe to open."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext

from articleapp import params
from articleapp.admin_history import GuardedHistoryAdmin
from articleapp.locking import VersionedAdminMixin


def history_id(value, name):
    """An id from a history URL, read strictly: django-simple-history hands the text to the
    database as it is, and ``²`` or ``%FF`` there was a 500; here it is a 404."""
    try:
        return str(params.whole_number(unquote(value), name=name))
    except params.InvalidParameter:
        raise Http404(gettext("No such history entry.")) from None


class VersionedAdmin(VersionedAdminMixin, GuardedHistoryAdmin):
    """An admin of a versioned model, with its history; lost races become messages."""

    def history_view(self, request, object_id, extra_context=None):
        object_id = history_id(object_id, "id")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        object_id, version_id = history_id(object_id, "id"), history_id(version_id, "version")
        return super().history_form_view(request, object_id, version_id, extra_context)


class TaggedHistoryAdmin(VersionedAdmin):
    """A versioned admin whose history also lists the changes of tags (see articleapp.history)."""

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        newer = None
        for older in historical_records:
            if newer is not None and _tags_changed(older, newer):
                changes = getattr(newer, "history_delta_changes", None) or []
                changes.append(
                    {
                        "field": capfirst(gettext("tags")),
                        "old": older.tag_names or "—",
                        "new": newer.tag_names or "—",
                    }
                )
                newer.history_delta_changes = changes
            newer = older


def _tags_changed(older, newer):
    # NULL: recorded before tags were; nothing to compare.
    known = older.tag_names is not None and newer.tag_names is not None
    return known and older.tag_names != newer.tag_names
