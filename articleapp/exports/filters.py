"""Which annotations an export holds: one form for the export page, its URLs and the command.

Query parameters (each may repeat): ``article`` (slug), ``kind`` (entity kind), ``tag`` (an
annotation tag), and ``status`` (``published``, ``draft`` or ``all``, the default). Different
parameters narrow the export together; repeated values of one parameter widen it. One option
belongs to a format: ``docstart=conll2003`` gives the CoNLL export the four-column document line
(``ExportContext.docstart``); with another format it is an error.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articleapp.exports import FORMATS
from articleapp.exports.contract import DOCSTART_LINES
from articleapp.models import Annotation, Article, Entity

STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_ALL, _("all")),
    (Annotation.Status.PUBLISHED, _("published")),
    (Annotation.Status.DRAFT, _("draft")),
]
DOCSTART_FORMAT = "conll"
DOCSTART_CHOICES = [
    ("", DOCSTART_LINES[""]),
    (
        "conll2003",
        format_lazy("{} ({})", DOCSTART_LINES["conll2003"], _("CoNLL-2003, as spaCy reads it")),
    ),
]


class ExportFilterForm(forms.Form):
    article = forms.ModelMultipleChoiceField(
        label=_("Articles"),
        queryset=Article.objects.order_by("title"),
        to_field_name="slug",
        required=False,
        help_text=_("None selected: all articles."),
        error_messages={"invalid_choice": _("There is no article with the slug “%(value)s”.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False, initial=STATUS_ALL
    )
    kind = forms.MultipleChoiceField(
        label=_("Entity kinds"),
        choices=Entity.Kind.choices,
        required=False,
        help_text=_("None selected: every annotation, with or without an entity."),
        widget=forms.CheckboxSelectMultiple,
    )
    tag = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.order_by("name"),
        to_field_name="name",
        required=False,
        help_text=_("None selected: regardless of tags."),
        error_messages={"invalid_choice": _("There is no tag “%(value)s”.")},
    )
    docstart = forms.ChoiceField(
        label=_("CoNLL document line"),
        choices=DOCSTART_CHOICES,
        required=False,
        help_text=_("CoNLL only: the line before each article."),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, export_format=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.export_format = export_format

    def chosen_format(self):
        return self.export_format

    def clean(self):
        cleaned_data = super().clean()
        chosen = self.chosen_format()
        if cleaned_data.get("docstart") and chosen is not None and chosen != DOCSTART_FORMAT:
            self.add_error(
                "docstart", _("The document line is an option of the CoNLL format only.")
            )
        return cleaned_data

    def context_options(self):
        """The format options of the valid form, as ``ExportContext`` keywords."""
        return {"docstart": self.cleaned_data["docstart"]}

    def annotations(self):
        """Return the annotations the valid form selects."""
        data = self.cleaned_data
        annotations = Annotation.objects.all()
        if data["article"]:
            annotations = annotations.filter(paragraph__article__in=data["article"])
        if data["status"] and data["status"] != STATUS_ALL:
            annotations = annotations.filter(status=data["status"])
        if data["kind"]:
            annotations = annotations.filter(entity__kind__in=data["kind"])
        if data["tag"]:
            tagged = Annotation.objects.filter(tags__in=data["tag"]).values("pk")
            annotations = annotations.filter(pk__in=tagged)
        return annotations

    def query_string(self):
        """Return the canonical query string of the valid form ("" when nothing is chosen)."""
        data = self.cleaned_data
        pairs = [("article", article.slug) for article in data["article"]]
        if data["status"] and data["status"] != STATUS_ALL:
            pairs.append(("status", data["status"]))
        pairs += [("kind", kind) for kind in data["kind"]]
        pairs += [("tag", tag.name) for tag in data["tag"]]
        if data["docstart"]:
            pairs.append(("docstart", data["docstart"]))
        return urlencode(pairs)

    def first_error(self):
        """Return the first problem as one line, naming the parameter."""
        for field, errors in self.errors.items():
            return f"{field}: {errors[0]}"
        return ""


class ExportForm(ExportFilterForm):
    """The export page: the filters plus the format, preset to what readers could see, as CSV.

    Only the page's first view is preset; its URLs keep ``status`` absent meaning all, so
    scripts that call them get what they always got.
    """

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(name, export.label) for name, export in FORMATS.items()],
        initial="csv",
        widget=forms.RadioSelect,
    )
    field_order = ["article", "status", "kind", "tag", "format", "docstart"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = Annotation.Status.PUBLISHED
        # The class the admin gives its own radio lists, so its styles apply (the page is one).
        for name in ("kind", "format", "docstart"):
            self.fields[name].widget.attrs["class"] = "radiolist"

    def chosen_format(self):
        return self.cleaned_data.get("format")
