"""Old versions in the admin's history: shown to whoever may view, restored by whoever may change.

django-simple-history's form of an old version (``<id>/history/<history_id>/``) opens for anyone
who may view the model, and its POST saves the version with whatever was posted: the view checks
view-or-change permission only and builds the form as for adding, so Django's own rule, a user
without change permission gets a read-only form, never applies. A staff user of the group
Exporters (view permissions only) could change and publish anything that way (issue 11).

``GuardedHistoryAdmin`` closes that for every model with a history in the admin: a request that
is not a read (anything but GET and HEAD) needs the permission to restore, and everyone else gets
the page with every field disabled and no Revert button. The rule is one method,
``has_restore_permission``, which the Revert button follows too.

A proxy model's versions are its concrete model's: simple-history records them there, and its
views fail for a proxy (its options lack ``simple_history_manager_attribute``). The history pages
of a proxy's admin (the review queues of annotations) redirect to the concrete model's.

The history list is written for editors (``readable_changes``): each record names what changed
since the record before it (the oldest on a page is compared with the next page's newest) by the
fields' labels in the interface language, choices by their labels, related objects by name, and
text fields as a word-level diff (``articleapp.textdiff``) rendered with ``<del>`` and ``<ins>``
by the template, never shortened. The tags recorded with each version (``articleapp.history``)
are compared as a list. Bookkeeping that every save changes (the lock's ``version``, automatic
timestamps) is left out, and so is an empty change reason.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.utils import display_for_value, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model
from taggit.utils import parse_tags

from articleapp.history import TAG_NAMES
from articleapp.textdiff import Segment, word_diff

READS = frozenset({"GET", "HEAD"})
TAG_SEPARATOR = ", "


@dataclass(frozen=True)
class FieldChange:
    """One field's change for the history list: ``words`` when it is shown as a diff."""

    label: str
    old: str = ""
    new: str = ""
    words: tuple[Segment, ...] = ()


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose old versions only users with change permission may restore."""

    object_history_template = "admin/articleapp/object_history.html"
    object_history_list_template = "admin/articleapp/object_history_list.html"
    object_history_form_template = "admin/articleapp/object_history_form.html"
    # Changed by every save, so they say nothing about what an editor did.
    history_hidden_fields = ("version",)

    def has_restore_permission(self, request, obj=None):
        """Whether the user may save an old version ``obj`` over the current object."""
        if getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False):
            return False
        # Restoring changes the object, whatever simple-history's own history permissions say.
        return self.has_change_permission(request, obj) and self.has_change_history_permission(
            request, obj
        )

    def revert_disabled(self, request, obj=None):
        return not self.has_restore_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        if self.model._meta.proxy:
            return self.concrete_history_redirect("history", object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self.model._meta.proxy:
            return self.concrete_history_redirect("simple_history", object_id, version_id)
        # Looked up first: simple-history's own lookup fails with a 500 on an id like "x".
        version = self.history_version(object_id, version_id)
        if request.method not in READS and not self.has_restore_permission(request, version):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def concrete_history_redirect(self, page, *args):
        opts = self.model._meta.concrete_model._meta
        name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{page}"
        return HttpResponseRedirect(reverse(name, args=args))

    def history_version(self, object_id, version_id):
        """Return the object as it was at ``version_id``; 404 if there is no such version."""
        history_model = get_history_model_for_model(self.model)
        lookup = {self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
        try:
            record = history_model._default_manager.get(**lookup)
        except (history_model.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        return record.instance

    def render_history_view(self, request, template, context, **kwargs):
        # The old version's form as a read-only page: what it shows, nothing it could send.
        if template == self.object_history_form_template and not self.has_restore_permission(
            request, context["original"]
        ):
            for field in context["adminform"].form.fields.values():
                field.disabled = True
        if template == self.object_history_template:
            records = context["page_obj"].object_list
            context["shows_change_reasons"] = any(
                record.history_change_reason for record in records
            )
        return super().render_history_view(request, template, context, **kwargs)

    # The history list, readable -----------------------------------------------------------

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """Give each record on the page ``readable_changes``, its changes since the one before.

        Replaces simple-history's ``history_delta_changes``, which shortens long values to
        "[544 chars]" and shows stored values instead of labels.
        """
        records = list(historical_records)
        older = records[1:] + [self.record_before_page(historical_records)]
        for newer, previous in zip(records, older, strict=True):
            newer.readable_changes = [] if previous is None else self.changes(previous, newer)

    def record_before_page(self, page):
        """The newest record of the next page, which the page's oldest is compared with."""
        if not getattr(page, "has_next", lambda: False)():
            return None
        following = page.paginator.object_list[page.end_index() : page.end_index() + 1]
        return next(iter(following), None)

    def changes(self, older, newer):
        """What changed from the historical record ``older`` to ``newer``, as FieldChanges.

        Compared here rather than with simple-history's ``diff_against``, which skips fields
        that forms do not edit, such as an annotation's quote.
        """
        result = []
        for field in newer.tracked_fields:
            if field.primary_key or field.name in self.history_hidden_fields:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            old, new = field.value_from_object(older), field.value_from_object(newer)
            if old == new:
                continue
            if field.is_relation:
                old, new = related_object(older, field), related_object(newer, field)
            result.append(self.field_change(field, old, new))
        tags = tag_change(older, newer)
        return result if tags is None else [*result, tags]

    def field_change(self, field, old, new):
        """A FieldChange with the field's label: a word diff for text, else old and new."""
        label = capfirst(field.verbose_name)
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            old, new = old or "", new or ""
            return FieldChange(str(label), old, new, tuple(word_diff(old, new)))
        return FieldChange(str(label), self.shown_value(field, old), self.shown_value(field, new))

    def shown_value(self, field, value):
        """The value as a person reads it: a choice's label, an object's name, "Ja", a date."""
        empty = self.get_empty_value_display()
        if value is None or value == "":
            return empty
        if field.choices:
            return str(capfirst(dict(field.flatchoices).get(value, value)))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        return str(display_for_value(value, empty))


def related_object(record, field):
    """The object a historical record's foreign key points to, or its id if it is gone."""
    try:
        return getattr(record, field.name)
    except ObjectDoesNotExist:
        return (
            f"{capfirst(field.related_model._meta.verbose_name)} {field.value_from_object(record)}"
        )


def tag_change(older, newer):
    """The change of the tags recorded with two versions, or None if equal or not known."""
    old_names, new_names = getattr(older, TAG_NAMES, None), getattr(newer, TAG_NAMES, None)
    # NULL: recorded before tags were; nothing to compare.
    if old_names is None or new_names is None or old_names == new_names:
        return None
    old_tags, new_tags = parse_tags(old_names), parse_tags(new_names)
    if old_tags == new_tags:
        return None
    words = []
    for name in sorted(set(old_tags) | set(new_tags), key=str.casefold):
        if words:
            words.append(Segment("kept", TAG_SEPARATOR))
        if name not in old_tags:
            words.append(Segment("added", name))
        elif name not in new_tags:
            words.append(Segment("removed", name))
        else:
            words.append(Segment("kept", name))
    return FieldChange(str(capfirst(gettext("tags"))), old_names, new_names, tuple(words))
