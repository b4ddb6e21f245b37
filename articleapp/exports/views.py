"""The staff exports: the export page (an admin page) and a plain URL per format.

Both need the permission ``articleapp.export_annotations`` (every answer to a signed-in user is
``Cache-Control: private``, ``project.middleware``; an export is ``no-store``) and, since they
only read, answer GET and HEAD only (any other method is a 405 for everyone, before CSRF;
``project.methods``).
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from articleapp import canonical
from articleapp.exports import FORMATS, ExportContext
from articleapp.exports.filters import ExportFilterForm, ExportForm
from project.methods import read_only


def export_url(format_name, query):
    path = reverse("articleapp:export-annotations", kwargs={"export_format": format_name})
    return f"{path}?{query}" if query else path


@read_only
@login_required
@permission_required("articleapp.export_annotations", raise_exception=True)
def export_page(request):
    """Choose filters and a format; template ``articleapp/export_form.html``, an admin page.

    Context: the admin site's (header, user tools, sidebar), ``form``, ``examples`` (a URL per
    format) and ``base_url``. Without parameters the form shows its presets (published, CSV); a
    valid choice redirects to the plain export URL, which staff can also script; an invalid one
    shows the form again with its errors and status 400. Queries: the admin's sidebar, the
    articles and the tags to choose from.
    """
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(export_url(form.cleaned_data["format"], form.query_string()))
    examples = [(export.label, export_url(name, "")) for name, export in FORMATS.items()]
    context = {
        **admin.site.each_context(request),
        "title": _("Export annotations"),
        "form": form,
        "examples": examples,
        "base_url": canonical.base_url(),
    }
    status = 400 if form.is_bound else 200
    return render(request, "articleapp/export_form.html", context, status=status)


@read_only
@never_cache  # drafts and editors' names: kept by no cache, the browser's included
@login_required
@permission_required("articleapp.export_annotations", raise_exception=True)
def export_annotations(request, export_format):
    """Stream the annotations in ``export_format``, filtered by the query parameters.

    Bad parameters render ``articleapp/export_error.html`` (an admin page) with status 400.
    Queries: the filters' articles and tags, then the format's (``articleapp.exports.rows``).
    """
    exporter = FORMATS.get(export_format)
    if exporter is None:
        raise Http404("Unknown export format")
    form = ExportFilterForm(request.GET, export_format=export_format)
    if not form.is_valid():
        context = {
            **admin.site.each_context(request),
            "title": _("Export not possible"),
            "form": form,
        }
        return render(request, "articleapp/export_error.html", context, status=400)
    context = ExportContext(
        base_url=canonical.base_url(),
        collection_url=canonical.base_url() + export_url(export_format, form.query_string()),
        include_authors=True,
        **form.context_options(),
    )
    return exporter.response(form.annotations(), context)
