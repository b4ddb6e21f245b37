"""Admin forms: friendly messages for what the database constraints also enforce."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articleapp.models import Annotation


class AnnotationAdminForm(forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["paragraph", "start", "end", "entity", "comment", "tags", "status"]

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start is not None and end is not None and start >= end:
            self.add_error("end", _("The end must come after the start."))
        return cleaned_data


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
