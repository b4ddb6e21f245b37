"""Change history that includes the tags: django-simple-history's records plus a tag list.

simple-history records a model's fields, and taggit's tags are not one: they are rows of a
generic through table, which simple-history's ``m2m_fields`` cannot follow (django-taggit#918),
and for many-to-many values its admin shows today's values on old versions anyway. So every
historical record of a tagged model also stores the object's tags as text, ``tag_names``, in
taggit's own edit form ("Europa, KI"); the admin lists their changes and the tag field of an old
version's form reads them back, so restoring a version restores its tags. Records written before
tags were tracked hold NULL: unknown, and restoring one leaves the tags alone.

A form saves tags after the object's row (``save_m2m``), so the record written by the save still
shows the old tags. A tag change therefore updates the record that the same object's save wrote
in the same transaction, which keeps one record per edit, with who, when, the fields and the
tags. A tag change without such a save (``obj.tags.add(...)`` on its own, outside a transaction
that saved the object) gets a record of its own, so no change of tags goes unrecorded.
"""

from django.conf import settings
from django.db import models, router, transaction
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords, to_historic
from simple_history.signals import post_create_historical_record, pre_create_historical_record
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

TAG_NAMES = "tag_names"
# The record that an object's save wrote in the still open transaction, kept on the object.
_OPEN_RECORD = "_history_record_in_transaction"


def current_tag_names(instance):
    """Return the instance's tags as stored, in taggit's edit form ("Europa, KI")."""
    through = instance._meta.get_field("tags").through
    return edit_string_for_tags(through.tags_for(type(instance), instance))


def recorded_tags(instance):
    """Return the tags recorded with the historical version ``instance`` came from, if known.

    As unsaved Tag objects, the form a tag field's initial value takes; None for an instance
    that is not an earlier version, or whose record predates the recording of tags.
    """
    record = to_historic(instance)
    names = None if record is None else getattr(record, TAG_NAMES, None)
    if names is None:
        return None
    return [Tag(name=name) for name in parse_tags(names)]


class TaggedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords for a model with a taggit ``tags`` field: records the tags too."""

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra[TAG_NAMES] = models.TextField(_("tags"), null=True, blank=True)
        return extra

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is not self.cls:
            return
        self.history_model = getattr(sender, self.manager_name).model
        pre_create_historical_record.connect(
            self._add_tag_names, sender=self.history_model, weak=False
        )
        post_create_historical_record.connect(
            self._keep_open_record, sender=self.history_model, weak=False
        )
        m2m_changed.connect(
            self._record_tag_change, sender=sender._meta.get_field("tags").through, weak=False
        )

    def _add_tag_names(self, instance, history_instance, **kwargs):
        if history_instance.history_type == "-":
            # The tags go with the row; the deletion shows those of the last version.
            previous = self._records_of(instance).first()
            history_instance.tag_names = previous.tag_names if previous else None
        else:
            history_instance.tag_names = current_tag_names(instance)

    def _keep_open_record(self, instance, history_instance, **kwargs):
        _keep_open(instance, history_instance)

    def _record_tag_change(self, instance, action, reverse, pk_set, **kwargs):
        if reverse or not isinstance(instance, self.cls):
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if action != "post_clear" and not pk_set:
            return  # nothing was added or removed
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        if hasattr(instance, "skip_history_when_saving"):
            return
        names = current_tag_names(instance)
        record = getattr(instance, _OPEN_RECORD, None)
        if record is not None:
            updated = self._records_of(instance).filter(pk=record.pk).update(tag_names=names)
            if updated:
                record.tag_names = names
                return
        # A change of tags on its own: a record of the object as stored, with its new tags.
        stored = self.cls._base_manager.filter(pk=instance.pk).first()
        if stored is None:
            return
        if hasattr(instance, "_history_user"):
            stored._history_user = instance._history_user
        self.create_historical_record(stored, "~")
        record = getattr(stored, _OPEN_RECORD, None)
        if record is not None:
            _keep_open(instance, record)

    def _records_of(self, instance):
        return self.history_model.objects.filter(
            **{self.cls._meta.pk.attname: instance.pk}
        ).order_by("-history_date", "-history_id")


def _keep_open(instance, record):
    """Remember ``record`` on ``instance`` until the transaction that wrote it commits."""
    using = router.db_for_write(type(instance), instance=instance)
    if not transaction.get_connection(using).in_atomic_block:
        return
    setattr(instance, _OPEN_RECORD, record)
    transaction.on_commit(lambda: instance.__dict__.pop(_OPEN_RECORD, None), using=using)
