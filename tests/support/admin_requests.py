"""Where each admin probe posts, and what: its URL, the form a superuser gets there with changed
values, and what the page's own script or buttons add to it."""

from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from articleapp.models import Annotation, Article
from tests.support.admin_world import client_for
from tests.support.forms import changed_data, django_fields, page_forms

NEW_ANNOTATION_WORDS = "Rechenzentren"

PAGES_WITHOUT_ARGUMENTS = {
    "changelist",
    "add",
    "index",
    "login",
    "logout",
    "jsi18n",
    "password_change",
    "password_change_done",
    "taggit_tag_merge_tags",
    "articleapp_annotation_comment_preview",
}

# What the import page's form is given, for the preview whose confirmation is posted.
IMPORT_TEXT = "Künstliche Intelligenz\n\nEin neuer Artikel aus dem Test\n\nEin Absatz.\n"


def target(world, probe):
    """The object a page of ``probe``'s model is opened for: named in the world, else the first."""
    if probe.model in world["targets"]:
        return world["targets"][probe.model]
    model = apps.get_model(probe.model)
    return model._base_manager.order_by("pk").values_list("pk", flat=True).first()


def oldest_version(model_label, pk):
    model = apps.get_model(model_label)._meta.concrete_model
    return model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_id").first()


def request_for(world, probe):
    """``(url, source_url, form_id)``: where to post, which page's form, and which form there."""
    name, kind = f"admin:{probe.url_name}", probe.kind
    if kind in PAGES_WITHOUT_ARGUMENTS:
        url = reverse(name)
    elif kind == "app_list":
        url = reverse(name, kwargs={"app_label": "articleapp"})
    elif kind == "autocomplete":
        url = f"{reverse(name)}?app_label=articleapp&model_name=annotation&field_name=entity"
    elif kind == "view_on_site":
        url = reverse(name, args=[world["annotation_type"], world["draft"]])
    elif kind == "catch_all":
        url = "/admin/keine-solche-seite/"
    elif kind == "simple_history":
        pk = target(world, probe)
        url = reverse(name, args=[pk, oldest_version(probe.model, pk).history_id])
    elif kind == "redirect":
        model = apps.get_model(probe.model)._meta
        changelist = reverse(f"admin:{model.app_label}_{model.model_name}_changelist")
        url = f"{changelist}{target(world, probe)}/"
    elif kind == "articleapp_article_annotate":
        url = reverse(name, args=[world["article"]])
        if probe.variant != "new":
            url += f"?annotation={world['draft']}"
    elif kind == "articleapp_article_suggest":
        source = reverse("admin:articleapp_article_change", args=[world["article"]])
        return reverse(name, args=[world["article"]]), source, None
    elif kind in {"articleapp_suggestedannotation_accept", "articleapp_suggestedannotation_reject"}:
        source = reverse("admin:articleapp_suggestedannotation_changelist")
        return reverse(name, args=[world["draft"]]), source, "changelist-form"
    elif kind == "articleapp_article_import":
        url = reverse(name)
        return url, url, "import-confirm-form" if probe.variant == "confirm" else None
    elif kind == "articleapp_changedannotation_confirm":
        source = reverse("admin:articleapp_changedannotation_changelist")
        return reverse(name, args=[world["changed"]]), source, "changelist-form"
    else:  # change, delete, history, the user's password
        url = reverse(name, args=[target(world, probe)])
    return url, url, None


def the_form(html, url, form_id=None):
    """The page's form that posts to ``url`` (or the one with ``form_id``), if there is one."""
    path = urlsplit(url).path
    for form in page_forms(html):
        if form_id is not None:
            if form.id == form_id:
                return form
        elif form.method == "post" and urlsplit(form.action).path in {"", path}:
            return form
    return None


FORMS = {}  # the superuser's form of each probe: the world is the same at every test's start


def source_data(world, probe, url, source, form_id):
    """The changed values of the form a superuser (or, to sign in, a visitor) gets at ``source``."""
    if probe.id not in FORMS:
        viewer_role = "anonymous" if probe.kind == "login" else "superuser"
        viewer = client_for(world, viewer_role)
        prepare(world, probe, viewer, viewer_role)
        page = viewer.get(source)
        if probe.id == "articleapp_article_import:confirm":  # the preview holds the form
            data = {"text": IMPORT_TEXT, "csrfmiddlewaretoken": csrf_token(viewer, "", page)}
            page = viewer.post(source, data)
        form = the_form(page.content.decode(), url, form_id) if page.status_code == 200 else None
        data = [] if form is None else changed_data(form, django_fields(page))
        if form is not None:  # the changelist's row boxes, to tick
            data += [(c.name, c.value) for c in form.controls if c.name == ACTION_CHECKBOX_NAME]
        FORMS[probe.id] = [(name, value) for name, value in data if name != "csrfmiddlewaretoken"]
    return adapted(world, probe, FORMS[probe.id])


def adapted(world, probe, data):
    """What a page's own script or buttons add to its form."""
    if probe.kind == "changelist":
        selected = [value for name, value in data if name == ACTION_CHECKBOX_NAME]
        rows = [(n, v) for n, v in data if n not in {"action", ACTION_CHECKBOX_NAME}]
        if not probe.variant:
            return [*rows, ("action", "")]
        rows += [("action", probe.variant), ("index", "0")]
        if probe.variant == "delete_selected":  # protected rows would stop the whole deletion
            selected = [str(target(world, probe))]
        return rows + [(ACTION_CHECKBOX_NAME, pk) for pk in selected]
    if probe.kind == "articleapp_article_annotate":
        if probe.variant == "delete":  # the Delete button, then its confirmation
            return [*data, ("delete", "Ja, löschen"), ("delete_confirmed", "1")]
        if probe.variant == "new":
            return [*without(data, SELECTION_FIELDS), *selection(world)]
        # Editing, the selection stays as the script shows it; the editor changes the rest.
        return [*without(data, SELECTION_FIELDS), *selection(world, world["draft"])]
    return data


def without(data, names):
    return [(name, value) for name, value in data if name not in names]


SELECTION_FIELDS = {"paragraph", "start", "end", "quote"}


def selection(world, annotation_pk=None):
    """What the Annotate page's script posts: the words the editor selects, or those of the
    annotation being edited."""
    if annotation_pk is not None:
        annotation = Annotation.objects.get(pk=annotation_pk)
        paragraph, start, words = annotation.paragraph, annotation.start, annotation.quote
    else:
        paragraph = Article.objects.get(pk=world["article"]).paragraphs.get(position=1)
        start, words = paragraph.text.index(NEW_ANNOTATION_WORDS), NEW_ANNOTATION_WORDS
    return [
        ("paragraph", str(paragraph.pk)),
        ("start", str(start)),
        ("end", str(start + len(words))),
        ("quote", words),
    ]


def tokens_in(html):
    return [
        value
        for form in page_forms(html)
        for name, value in form.data()
        if name == "csrfmiddlewaretoken"
    ]


def csrf_token(client, role, page):
    """The CSRF token of ``client``'s session: from the page it got, or a page it may open."""
    tokens = tokens_in(page.content.decode())
    if not tokens:
        fallback = "/admin/login/" if role in {"anonymous", "user"} else "/admin/password_change/"
        tokens = tokens_in(client.get(fallback).content.decode())
    return tokens[0]


def prepare(world, probe, client, role):
    """Steps a page needs before its form: taggit's merge page merges the tags chosen before."""
    if probe.kind == "taggit_tag_merge_tags":
        changelist = reverse("admin:taggit_tag_changelist")
        token = csrf_token(client, role, client.get(changelist))
        tags = apps.get_model("taggit.Tag")._base_manager.values_list("pk", flat=True)
        post(
            client,
            changelist,
            [("action", "render_tag_form"), ("index", "0"), ("csrfmiddlewaretoken", token)]
            + [(ACTION_CHECKBOX_NAME, str(pk)) for pk in tags],
        )


def post(client, url, pairs):
    """POST ``(name, value)`` pairs as a browser sends a form: a name may come several times."""
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return client.post(url, data)
