"""Admin forms: friendly messages for what the database constraints and locks also enforce."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articleapp import anchoring
from articleapp.history import recorded_tags
from articleapp.locking import VersionedModelForm
from articleapp.models import Annotation, Article, Entity, Paragraph
from articleapp.tagging import makes_a_slug
from articleapp.wording import quoted


class EditorForm(VersionedModelForm):
    """A versioned form of the admin; an earlier version restored from the history brings its
    own tags (see ``articleapp.history``), not today's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tags = recorded_tags(self.instance)
        if "tags" in self.fields and tags is not None:
            self.initial["tags"] = tags

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        slugless = [name for name in names if not makes_a_slug(name)]
        if slugless:
            raise ValidationError(
                _("A tag needs a letter or a digit: %(tags)s."),
                params={"tags": ", ".join(quoted(name) for name in slugless)},
                code="tag_without_slug",
            )
        return names


class ParagraphAdminForm(EditorForm):
    class Meta:
        model = Paragraph
        fields = ["article", "position", "text"]


class ParagraphInlineForm(EditorForm):
    class Meta:
        model = Paragraph
        fields = ["position", "text"]


class EntityAdminForm(EditorForm):
    class Meta:
        model = Entity
        fields = ["name", "slug", "kind", "description", "wikidata_id", "tags"]


class AnnotationAdminForm(EditorForm):
    """Edit an annotation; saving it is an editor's confirmation of where it stands."""

    class Meta:
        model = Annotation
        fields = ["paragraph", "start", "end", "entity", "comment", "tags", "status"]

    def clean(self):
        cleaned_data = super().clean()
        paragraph = cleaned_data.get("paragraph")
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start is not None and end is not None and start >= end:
            self.add_error(
                "end",
                _("Select some text: the end must come after the start.")
                if start == end
                else _("The end must come after the start."),
            )
            return cleaned_data
        if paragraph is None or start is None or end is None:
            return cleaned_data
        if self.instance.pk is not None:
            stored = (
                Annotation.objects.select_related("paragraph__article")
                .filter(pk=self.instance.pk)
                .first()
            )
            if stored is not None and paragraph.article_id != stored.paragraph.article_id:
                self.add_error(
                    "paragraph",
                    _("An annotation stays in its article; choose a paragraph of %(article)s.")
                    % {"article": quoted(stored.paragraph.article)},
                )
                return cleaned_data
            self._follow_the_quote(cleaned_data, paragraph, start, end)
        self._refuse_a_duplicate(cleaned_data, paragraph)
        return cleaned_data

    def _refuse_a_duplicate(self, cleaned_data, paragraph):
        """Mirror the unique-span constraint, which ignores orphans, with a message."""
        entity = cleaned_data.get("entity")
        if entity is None:
            return
        duplicate = (
            Annotation.objects.filter(
                paragraph=paragraph,
                start=cleaned_data["start"],
                end=cleaned_data["end"],
                entity=entity,
            )
            .exclude(anchor_status=Annotation.AnchorStatus.ORPHANED)
            .exclude(pk=self.instance.pk)
        )
        if duplicate.exists():
            self.add_error(
                "entity",
                _("These words are already annotated with %(entity)s.") % {"entity": entity},
            )

    def _follow_the_quote(self, cleaned_data, paragraph, start, end):
        """Keep the words when the offsets were not edited but no longer hold them.

        That happens to an orphan, to an annotation whose text changed while the form was
        open, and to an earlier version restored from the history: its quote is found again
        in today's text rather than taking whatever words now sit at the old offsets.
        """
        offsets_edited = {"paragraph", "start", "end"} & set(self.changed_data)
        quote = self.instance.quote
        if offsets_edited or not quote or paragraph.text[start:end] == quote:
            return
        anchor = anchoring.reanchor(paragraph.text, self.instance.anchoring_quote, start, end)
        if anchor.status == anchoring.AnchorStatus.ORPHANED:
            raise ValidationError(
                _(
                    "The annotated words %(quote)s are no longer in this paragraph. Select "
                    "their new place on the Annotate page, or delete the annotation."
                )
                % {"quote": quoted(quote)},
                code="orphaned",
            )
        cleaned_data["start"], cleaned_data["end"] = anchor.start, anchor.end

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        annotation = self.instance
        # The editor chose these offsets (or kept them, seeing the words): in place.
        annotation.anchor_status = Annotation.AnchorStatus.ANCHORED
        annotation.is_suggestion = False
        annotation.confirm_words()


class AnnotateForm(AnnotationAdminForm):
    """The Annotate page's form: paragraph, offsets and quote come from the editor's selection.

    The page's script fills them and shows them as one line; without JavaScript they are the
    form's first fields, and an editor may give just the paragraph and the words: words that
    occur once there need no offsets.
    """

    quote = forms.CharField(
        label=_("Selected words"),
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta(AnnotationAdminForm.Meta):
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 7}),
            "status": forms.RadioSelect,
        }
        help_texts = {"comment": _("Markdown: *emphasis*, **bold**, [links](https://…), lists.")}

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        paragraph = self.fields["paragraph"]
        # A plain choice of "¶n" (the admin's autocomplete lists every article's paragraphs).
        paragraph.widget = forms.Select()
        paragraph.label_from_instance = lambda choice: f"¶{choice.position}"
        paragraph.queryset = article.paragraphs.order_by("position")
        paragraph.error_messages["invalid_choice"] = _(
            "Select text in one of this article's paragraphs."
        )
        paragraph.error_messages["required"] = _("Select some text first.")
        self.fields["start"].required = self.fields["end"].required = False
        if self.instance.pk is not None:
            self.initial.setdefault("quote", self.instance.quote)

    def clean(self):
        self._place_the_words()
        cleaned_data = super().clean()
        paragraph = cleaned_data.get("paragraph")
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        quote = cleaned_data.get("quote", "")
        if paragraph is None or start is None or end is None or self.has_error("end"):
            return cleaned_data
        if not quote:
            self.add_error("quote", _("Select some text first."))
        elif paragraph.text[start:end] != quote:
            self.add_error(
                "quote",
                _(
                    "The selected text %(quote)s is not what the paragraph holds at "
                    "%(start)s–%(end)s (%(found)s). Select it again."
                )
                % {
                    "quote": quoted(quote),
                    "start": start,
                    "end": end,
                    "found": quoted(paragraph.text[start:end]),
                },
            )
        return cleaned_data

    def _place_the_words(self):
        """Find the offsets of words typed without them (no JavaScript), or say why not.

        A start alone gives the end; words that occur once in the paragraph give both.
        """
        data = self.cleaned_data
        paragraph, quote = data.get("paragraph"), data.get("quote", "")
        start, end = data.get("start"), data.get("end")
        if paragraph is None or self.has_error("start") or self.has_error("end"):
            return
        if start is not None and end is not None:
            return
        if not quote:
            self.add_error("quote", _("Select some text first."))
            return
        if start is not None:
            data["end"] = start + len(quote)
            return
        if end is not None:
            self.add_error("start", self.fields["start"].error_messages["required"])
            return
        starts = occurrences(paragraph.text, quote)
        if len(starts) == 1:
            data["start"], data["end"] = starts[0], starts[0] + len(quote)
        elif not starts:
            self.add_error(
                "quote",
                _("¶%(position)s does not contain %(quote)s.")
                % {"position": paragraph.position, "quote": quoted(quote)},
            )
        else:
            self.add_error(
                "start",
                ngettext(
                    "%(quote)s occurs %(count)d time in ¶%(position)s; give the start of "
                    "the one you mean: %(starts)s.",
                    "%(quote)s occurs %(count)d times in ¶%(position)s; give the start of "
                    "the one you mean: %(starts)s.",
                    len(starts),
                )
                % {
                    "quote": quoted(quote),
                    "count": len(starts),
                    "position": paragraph.position,
                    "starts": ", ".join(map(str, starts)),
                },
            )

    def _follow_the_quote(self, cleaned_data, paragraph, start, end):
        # The selection is the editor's explicit choice of words; never replace it.
        return


def occurrences(text, words):
    """Return every offset at which ``words`` start in ``text``, overlapping ones included."""
    found = []
    index = text.find(words)
    while index != -1:
        found.append(index)
        index = text.find(words, index + 1)
    return found


class EntityAliasInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            name = (form.cleaned_data.get("name") or "").strip().casefold()
            if name and name in seen:
                form.add_error("name", _("This alias is listed twice."))
            seen.add(name)


class ArticleImportForm(forms.Form):
    """The admin's import page: one source (a file, pasted text or a URL) and how to import it."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "A saved web page (.html, .htm) or a UTF-8 text file: kicker line, title line, "
            "paragraphs separated by blank lines, a byline like (nen)."
        ),
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("The article as text, in the layout of a text file, or a page's HTML."),
    )
    url = forms.URLField(
        label=_("URL"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=_("The address of the article's web page."),
    )
    slug = forms.SlugField(
        label=_("Slug"),
        required=False,
        max_length=Article._meta.get_field("slug").max_length,
        help_text=_(
            "Leave empty to update the article from the same page, or else to make one from "
            "the title. An article with this slug is updated."
        ),
    )
    suggest = forms.BooleanField(
        label=_("Suggest annotations from the gazetteer afterwards"),
        label_suffix="",
        required=False,
    )

    def __init__(self, *args, may_suggest=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_suggest:
            del self.fields["suggest"]

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("file", "text", "url") if cleaned.get(name)]
        if len(given) != 1 and not self.errors:
            raise ValidationError(
                _("Give one source: a file, pasted text or a URL."), code="one_source"
            )
        upload = cleaned.get("file")
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            self.add_error(
                "file",
                _("The file is larger than the import limit of %(limit)s bytes.")
                % {"limit": f"{settings.IMPORT_MAX_BYTES:,}"},
            )
        return cleaned
