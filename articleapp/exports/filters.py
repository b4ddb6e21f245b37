"""Which annotations an export holds: one form for the export page, its URLs and the command.

Query parameters (each may repeat): ``article`` (slug), ``kind`` (entity kind), ``tag`` (an
annotation tag), and ``status`` (``published``, ``draft`` or ``all``, the default). Different
parameters narrow the export together; repeated values of one parameter widen it.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articleapp.exports import FORMATS
from articleapp.models import Annotation, Article, Entity

STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_ALL, _("all")),
    (Annotation.Status.PUBLISHED, _("published")),
    (Annotation.Status.DRAFT, _("draft")),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = Annotation.Status.PUBLISHED
        # The class the admin gives its own radio lists, so its styles apply (the page is one).
        for name in ("kind", "format"):
            self.fields[name].widget.attrs["class"] = "radiolist"
