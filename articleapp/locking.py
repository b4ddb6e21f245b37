"""Optimistic locking: two editors never overwrite each other's work unseen.

Every editable row (paragraphs, entities, annotations) carries a ``version``. A save succeeds
only if the stored version is still the one the editor read; the check is made by the database
in the UPDATE itself (``WHERE version = read``), so two editors saving at the same moment cannot
both win. The loser gets ``VersionConflict``, and every place an editor saves turns it into the
same message (``conflict_message``): who changed the object, when, and that nothing was written.

The pieces, from the database up:
- ``VersionedModel``: the abstract model with the versioned save and delete;
- ``VersionedModelForm``: a form that carries the version it was opened at and refuses early;
- ``posted_version``, ``version_column``, ``save_each_versioned``: a changelist posts each row's
  version, so that its actions change only rows the editor saw as they are;
- ``VersionedAdminMixin``: a ModelAdmin whose form views answer a lost race with the message.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articleapp import params
from articleapp.wording import quoted

# How a conflict message names the object; the names come quoted (``wording.quoted``).
CONFLICT_NAMES = {
    "articleapp.annotation": _("The annotation %(quote)s"),
    "articleapp.paragraph": _("Paragraph %(position)s of the article %(article)s"),
    "articleapp.entity": _("The entity %(name)s"),
}
QUOTE_LENGTH_IN_MESSAGES = 80


class VersionConflict(Exception):
    """Someone else saved the object since this copy was read; nothing was written."""

    def __init__(self, instance, expected_version):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(
            f"{instance._meta.verbose_name} {instance.pk} changed meanwhile "
            f"(you had version {expected_version})"
        )


class VersionedModel(models.Model):
    """Optimistic locking: an update only succeeds if the stored version is the one read.

    The loser of two racing saves gets VersionConflict and the winner's row stays as written.
    Bulk ``QuerySet.update()`` calls bump ``version`` themselves.
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        expected = self.version
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            claimed = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk, version=expected)
                .update(version=expected + 1)
            )
            if not claimed:
                raise VersionConflict(self, expected)
            self.version = expected + 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version = expected
                raise
        return None

    def stored_version(self):
        """Return the version the database holds now, or None when the row is gone."""
        return type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True).first()

    def delete_unless_changed(self):
        """Delete the row only if it is still at the version read; else VersionConflict."""
        using = router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            deleted, _ = (
                type(self)._base_manager.using(using).filter(pk=self.pk, version=self.version)
            ).delete()
        if not deleted:
            raise VersionConflict(self, self.version)


def conflict_name(instance):
    """Return the object's name for the start of a sentence, e.g. The annotation “Paris”."""
    template = CONFLICT_NAMES.get(instance._meta.label_lower)
    if template is None:
        return gettext("%(kind)s %(name)s") % {
            "kind": capfirst(instance._meta.verbose_name),
            "name": quoted(instance),
        }
    return template % {
        "quote": quoted(Truncator(getattr(instance, "quote", "")).chars(QUOTE_LENGTH_IN_MESSAGES)),
        "position": getattr(instance, "position", ""),
        "article": quoted(getattr(instance, "article", "")),
        "name": quoted(getattr(instance, "name", "")),
    }


def conflict_message(instance, expected_version):
    """Say who changed ``instance`` since the editor read it at ``expected_version``, and when."""
    model = type(instance)
    current = model._base_manager.filter(pk=instance.pk).first()
    if current is None:
        return gettext(
            "This %(name)s was deleted by someone else while you were editing it; your changes "
            "were not saved."
        ) % {"name": model._meta.verbose_name}
    latest = current.history.select_related("history_user").first()
    who = (latest.history_user.get_username() if latest and latest.history_user else "") or gettext(
        "someone else"
    )
    when = (
        formats.date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
        if latest
        else "?"
    )
    return gettext(
        "%(object)s was changed by %(who)s at %(when)s while you were editing it (version "
        "%(current)s; you started from version %(expected)s). Your changes were not saved and "
        "the other editor's work was kept: reload to see the current version, then apply your "
        "changes again."
    ) % {
        "object": conflict_name(current),
        "who": who,
        "when": when,
        "current": current.version,
        "expected": expected_version,
    }


def posted_version(data, name, default):
    """Return the version a page posted in ``data[name]``; ``default`` if absent or malformed."""
    try:
        return params.whole_number(data.get(name, ""), maximum=params.MAX_POSITIVE_INTEGER)
    except params.InvalidParameter:
        return default


class VersionedModelForm(forms.ModelForm):
    """Carries the version the editor started from; refuses to save over someone else's change.

    The form check gives a friendly error early; the save itself is guarded again by the
    versioned UPDATE, which catches two saves racing each other.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: when an earlier version is restored from
            # the history the instance is that old version, but the editor overwrites the
            # current one.
            self.initial["version"] = self.instance.stored_version() or self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or self.instance._state.adding:
            # A new object starts at its default version, whatever the (empty) field says.
            cleaned_data["version"] = self.instance.version
            return cleaned_data
        version = cleaned_data.get("version")
        if version is None:
            raise ValidationError(
                _("This form lacks the version it was opened at; reload the page."),
                code="version_missing",
            )
        if self.instance.stored_version() != version:
            raise ValidationError(conflict_message(self.instance, version), code="conflict")
        self.instance.version = version
        return cleaned_data


@admin.display(description=_("version"))
def version_column(obj):
    """A changelist column with the row's version, posted with the list for its actions."""
    return format_html(
        '{}<input type="hidden" name="version_{}" value="{}">', obj.version, obj.pk, obj.version
    )


def save_each_versioned(request, queryset, change):
    """Apply ``change`` to each object and save it at the version the editor's list showed.

    The changelist posts ``version_<pk>`` for every row (see ``version_column``); an object
    changed since is left alone and reported. Returns ``(saved, conflicts)``, the conflicts as
    messages.
    """
    saved, conflicts = [], []
    for obj in queryset:
        obj.version = posted_version(request.POST, f"version_{obj.pk}", obj.version)
        change(obj)
        try:
            with transaction.atomic():
                obj.save()
        except VersionConflict as conflict:
            conflicts.append(conflict_message(conflict.instance, conflict.expected_version))
        else:
            saved.append(obj)
    return saved, conflicts


class VersionedAdminMixin:
    """A ModelAdmin that answers a save which lost the race with a message, not a 500."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict as conflict:
            return self.refuse_conflict(request, conflict)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except VersionConflict as conflict:
            return self.refuse_conflict(request, conflict)

    def refuse_conflict(self, request, conflict):
        self.message_user(
            request,
            conflict_message(conflict.instance, conflict.expected_version),
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())

    def report_conflicts(self, request, conflicts):
        for message in conflicts:
            self.message_user(request, message, messages.ERROR)
