"""The access-control matrix as data: every URL and method, the status each role gets.

Roles: ``anonymous``; ``user`` (signed in, no rights); ``editor`` (staff, group Editors: every
permission on articles, paragraphs, entities, aliases, annotations and tags); ``exporter`` (staff,
as the README tells operators to set it up, group Exporters: view permissions and
``articleapp.export_annotations``); ``superuser``. Every admin URL for these roles and a staff
user without a group is also posted to with its own form by ``tests/test_admin_access.py``.
The groups come from the data migration ``0003_editor_and_exporter_groups``; the test takes
them with ``get_or_create`` and gives them these permissions only if they are missing.

To cover a new URL, add a ``Row``. ``{placeholders}`` in URLs are filled from the objects of
``tests.test_access_control.world``. ``drafts_visible_to`` names the roles allowed to see the
text of annotations readers may not see (a draft, an orphan, a published annotation whose words
changed since) in that response; every other role's response is checked for all of it.
``writes_allowed_to`` names the roles whose request may change the stored content; for every
other role the database must be exactly as before. A POST carries a valid CSRF token unless the
row says ``csrf_token=False``: writes to URLs that only read (``refused``) are sent as a Web
Annotation client or a crawler sends them, without one, and must still get 405, not CSRF's 403.
SECURITY.md shows ``markdown_table()``; a test keeps the two equal.
"""

from dataclasses import dataclass, field

from django.utils import translation

from articleapp.exports import FORMATS

ROLES = ("anonymous", "user", "editor", "exporter", "superuser")

# Status codes, named so that the table reads as a sentence.
OK, FOUND, BAD_REQUEST, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 400, 403, 404, 405
NOT_IMPLEMENTED = 501


@dataclass(frozen=True)
class Row:
    method: str
    url: str
    statuses: tuple  # one per role, in ROLES order
    note: str = ""
    data: dict = field(default_factory=dict)
    drafts_visible_to: frozenset = frozenset()
    writes_allowed_to: frozenset = frozenset()
    csrf_token: bool = True

    def expected(self):
        return dict(zip(ROLES, self.statuses, strict=True))


EDITORS = frozenset({"editor", "superuser"})
EXPORTERS = frozenset({"exporter", "superuser"})
VIEWERS = EDITORS | EXPORTERS  # staff with view permission on the content, drafts included
PUBLIC = (OK, OK, OK, OK, OK)
STAFF = (FOUND, FOUND, OK, OK, OK)  # the admin's pages that view: Exporters may look
EDITING = (FOUND, FOUND, OK, FORBIDDEN, OK)  # pages that add, change or delete
SUPERUSER_ONLY = (FOUND, FOUND, FORBIDDEN, FORBIDDEN, OK)
WRITE_REFUSED_TO_EXPORTERS = (FOUND, FOUND, FOUND, FORBIDDEN, FOUND)
EXPORT = (FOUND, FORBIDDEN, FORBIDDEN, OK, OK)
REFUSED = (NOT_ALLOWED,) * 5


def refused(method, url, note):
    """A write to a URL that only reads: 405 for everyone, sent without a CSRF token."""
    return Row(method, url, REFUSED, note, csrf_token=False)


def model_rows(model, obj):
    """The admin URLs of one model: list, add, change, history, delete, and their forms."""
    base = f"/admin/articleapp/{model}"
    return [
        Row("GET", f"{base}/", STAFF, f"{model} list", drafts_visible_to=VIEWERS),
        Row("GET", f"{base}/?q=geheim", STAFF, f"{model} search", drafts_visible_to=VIEWERS),
        Row("GET", f"{base}/add/", EDITING, f"add {model} form"),
        Row("POST", f"{base}/add/", EDITING, f"add {model}: empty form re-shown"),
        Row(
            "GET",
            f"{base}/{{{obj}}}/change/",
            STAFF,
            f"change {model} (Exporters: read-only)",
            drafts_visible_to=VIEWERS,
        ),
        Row("GET", f"{base}/{{{obj}}}/history/", STAFF, f"{model} history"),
        Row(
            "GET",
            f"{base}/{{{obj}}}/delete/",
            EDITING,
            f"delete {model}: confirmation",
            drafts_visible_to=EDITORS,
        ),
        Row(
            "POST",
            f"{base}/{{{obj}}}/delete/",
            WRITE_REFUSED_TO_EXPORTERS,
            f"delete {model} (editors: done)",
            data={"post": "yes"},
            writes_allowed_to=EDITORS,
        ),
    ]


def export_rows():
    """Every export format: its URL for each role, and a refused POST."""
    rows = []
    for name, export in FORMATS.items():
        url = f"/export/annotations.{name}"
        with translation.override("en"):  # labels follow the interface language
            note = f"{export.label} export"
        rows.append(Row("GET", url, EXPORT, note, drafts_visible_to=EXPORTERS))
        rows.append(refused("POST", url, f"{note} by POST: read-only"))
    return rows


ROWS = [
    # Public reading pages: they only read, so any method but GET and HEAD is refused.
    Row("GET", "/", PUBLIC, "article list"),
    Row("HEAD", "/", PUBLIC, "article list"),
    refused("POST", "/", "article list is read-only"),
    Row("GET", "/articles/{article}/", PUBLIC, "reading page"),
    Row("HEAD", "/articles/{article}/", PUBLIC, "reading page"),
    refused("POST", "/articles/{article}/", "reading page is read-only"),
    refused("PUT", "/articles/{article}/", "reading page is read-only"),
    refused("DELETE", "/articles/{article}/", "reading page is read-only"),
    Row("GET", "/articles/no-such-article/", (NOT_FOUND,) * 5, "unknown article"),
    Row("GET", "/entities/{entity}/", PUBLIC, "entity page"),
    refused("POST", "/entities/{entity}/", "entity page is read-only"),
    Row("GET", "/entities/{draft_entity}/", (NOT_FOUND,) * 5, "entity mentioned only by a draft"),
    Row(
        "GET", "/entities/{orphan_entity}/", (NOT_FOUND,) * 5, "entity mentioned only by an orphan"
    ),
    Row(
        "GET",
        "/entities/{changed_entity}/",
        (NOT_FOUND,) * 5,
        "entity mentioned only where words changed",
    ),
    Row("GET", "/entities/{unmentioned_entity}/", (NOT_FOUND,) * 5, "entity without mentions"),
    Row("GET", "/entities/{public_entity}/", PUBLIC, "entity an editor made public, no mention"),
    Row("GET", "/entities/no-such-entity/", (NOT_FOUND,) * 5, "unknown entity"),
    Row("GET", "/entities/", PUBLIC, "entity list"),
    refused("POST", "/entities/", "entity list is read-only"),
    Row("GET", "/tags/{public_tag}/", PUBLIC, "tag page"),
    refused("POST", "/tags/{public_tag}/", "tag page is read-only"),
    Row("GET", "/tags/{draft_tag}/", (NOT_FOUND,) * 5, "tag only on a draft: no page"),
    Row("GET", "/tags/{orphan_tag}/", (NOT_FOUND,) * 5, "tag only on an orphan: no page"),
    Row("GET", "/tags/{changed_tag}/", (NOT_FOUND,) * 5, "tag only where words changed: no page"),
    Row("GET", "/search/?q=Geheimer+Entwurfskommentar", PUBLIC, "search for a draft's comment"),
    Row("GET", "/search/?q=Verwaister+Kommentar", PUBLIC, "search for an orphan's comment"),
    Row("GET", "/search/?q=Verwaistwort", PUBLIC, "search for an orphan's lost words"),
    Row("GET", "/search/?q=Überholter+Kommentar", PUBLIC, "search: comment on changed words"),
    Row("GET", "/search/?q=Nvidia", PUBLIC, "search"),
    Row("GET", "/search/?q=Nvidia&entity={entity}", PUBLIC, "search narrowed to an entity"),
    Row(
        "GET",
        "/search/?q=Nvidia&entity={draft_entity}",
        PUBLIC,
        "search narrowed to an entity only a draft names: filter ignored, said so",
    ),
    Row("GET", f"/search/?q=Nvidia&tag={'x' * 201}", (BAD_REQUEST,) * 5, "search: overlong filter"),
    refused("POST", "/search/?q=Nvidia", "search is read-only"),
    Row("GET", "/articles/{article}/changes/", PUBLIC, "change log of an article's text"),
    refused("POST", "/articles/{article}/changes/", "the change log is read-only"),
    Row("GET", "/articles/{article}/annotations/", PUBLIC, "W3C annotation container"),
    Row("GET", "/articles/{article}/annotations/?page=0", PUBLIC, "container page"),
    Row("GET", "/articles/{article}/annotations/?iris=1", PUBLIC, "container of IRIs"),
    Row("OPTIONS", "/articles/{article}/annotations/", (204,) * 5, "container options"),
    refused("POST", "/articles/{article}/annotations/", "container is read-only"),
    refused("PUT", "/articles/{article}/annotations/", "container is read-only"),
    refused("PATCH", "/articles/{article}/annotations/", "container is read-only"),
    refused("DELETE", "/articles/{article}/annotations/", "container is read-only"),
    Row("GET", "/articles/{article}/annotations/{annotation}", PUBLIC, "one published annotation"),
    refused("PUT", "/articles/{article}/annotations/{annotation}", "an annotation is read-only"),
    refused("PATCH", "/articles/{article}/annotations/{annotation}", "an annotation is read-only"),
    refused("DELETE", "/articles/{article}/annotations/{annotation}", "an annotation is read-only"),
    Row("GET", "/articles/{article}/annotations/{draft}", (NOT_FOUND,) * 5, "a draft is not there"),
    Row("GET", "/articles/{article}/annotations/{orphan}", (NOT_FOUND,) * 5, "nor an orphan"),
    Row(
        "GET",
        "/articles/{article}/annotations/{changed}",
        (NOT_FOUND,) * 5,
        "nor one whose words changed",
    ),
    # Feeds, sitemap, robots.txt: what the reading pages show, nothing else; read-only.
    Row("GET", "/feed/", PUBLIC, "Atom feed of new articles"),
    refused("POST", "/feed/", "feeds are read-only"),
    Row("GET", "/entities/{entity}/feed/", PUBLIC, "Atom feed of an entity's mentions"),
    Row("GET", "/entities/{draft_entity}/feed/", (NOT_FOUND,) * 5, "no feed: only a draft"),
    Row("GET", "/entities/{changed_entity}/feed/", (NOT_FOUND,) * 5, "nor where words changed"),
    Row("GET", "/entities/{unmentioned_entity}/feed/", (NOT_FOUND,) * 5, "nor without mentions"),
    Row("GET", "/tags/{public_tag}/feed/", PUBLIC, "Atom feed of a tag"),
    Row("GET", "/tags/{orphan_tag}/feed/", (NOT_FOUND,) * 5, "no feed: tag only on an orphan"),
    Row("GET", "/sitemap.xml", PUBLIC, "sitemap of articles, public entities and tags"),
    refused("POST", "/sitemap.xml", "the sitemap is read-only"),
    Row("GET", "/robots.txt", PUBLIC, "robots.txt, naming the sitemap"),
    # Embeds: a paragraph and its published notes, which other sites may frame; oEmbed.
    Row("GET", "/articles/{article}/paragraphs/1/embed/", PUBLIC, "embed of a paragraph"),
    Row("GET", "/articles/{article}/paragraphs/2/embed/", PUBLIC, "embed: hidden notes only"),
    refused("POST", "/articles/{article}/paragraphs/1/embed/", "embeds are read-only"),
    Row("GET", "/oembed/?url=http://testserver/articles/{article}/", PUBLIC, "oEmbed"),
    Row(
        "GET",
        "/oembed/?url=http://testserver/articles/{article}/%23a-{draft}",
        (NOT_FOUND,) * 5,
        "no oEmbed of a draft's note",
    ),
    Row("GET", "/oembed/?url=nope", (BAD_REQUEST,) * 5, "oEmbed of something not a URL"),
    Row(
        "GET",
        "/oembed/?url=http://testserver/articles/{article}/&format=xml",
        (NOT_IMPLEMENTED,) * 5,
        "oEmbed as XML: not implemented",
    ),
    refused("POST", "/oembed/", "oEmbed is read-only"),
    Row("POST", "/i18n/setlang/", (FOUND,) * 5, "choose language", data={"language": "en"}),
    Row("GET", "/export/", EXPORT, "export page (lists every tag)", drafts_visible_to=EXPORTERS),
    refused("POST", "/export/", "export page is read-only"),
    Row("GET", "/static/articleapp/css/site.css", PUBLIC, "static file"),
    Row("GET", "/healthz", PUBLIC, "liveness probe"),
    Row("GET", "/readyz", PUBLIC, "readiness probe"),
    refused("POST", "/healthz", "probes are read-only"),
    # Exports: drafts, orphans and changed ones included for those allowed to export.
    *export_rows(),
    Row(
        "GET",
        "/export/annotations.json?article={article}",
        EXPORT,
        "JSON export, one article",
        drafts_visible_to=EXPORTERS,
    ),
    Row(
        "GET",
        "/export/annotations.csv?article=no-such",
        (FOUND, FORBIDDEN, FORBIDDEN, BAD_REQUEST, BAD_REQUEST),
        "export of an unknown article: the form's error",
    ),
    Row(
        "GET",
        "/export/annotations.xml",
        (FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
        "unknown export format",
    ),
    # The admin site. Exporters are staff with view permissions: they may look, not change.
    Row("GET", "/admin/login/", (OK, OK, FOUND, FOUND, FOUND), "sign-in form (staff are sent on)"),
    Row("GET", "/admin/", STAFF, "admin index"),
    Row("GET", "/admin/articleapp/", STAFF, "app index"),
    Row("GET", "/admin/password_change/", STAFF, "change own password"),
    Row("GET", "/admin/jsi18n/", STAFF, "admin translations script"),
    Row(
        "GET",
        "/admin/autocomplete/?app_label=articleapp&model_name=annotation&field_name=entity",
        STAFF,
        "entity autocomplete",
    ),
    Row("GET", "/admin/r/{annotation_type}/{annotation}/", (FOUND,) * 5, "view on site: redirect"),
    Row(
        "GET",
        "/admin/r/{annotation_type}/{draft}/",
        (FOUND,) * 5,
        "view on site of a draft (staff without view permission: 404, as for a missing id)",
    ),
    Row(
        "GET",
        "/admin/r/{annotation_type}/999999/",
        (FOUND, FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
        "view on site of a missing id",
    ),
    Row(
        "POST",
        "/admin/articleapp/annotation/",
        (FOUND, FOUND, FOUND, OK, FOUND),
        "action: publish (editors: done; Exporters: no such action, list shown)",
        data={"action": "publish", "_selected_action": "{draft}"},
        writes_allowed_to=EDITORS,
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "POST",
        "/admin/articleapp/annotation/",
        (FOUND, FOUND, FOUND, OK, FOUND),
        "action: unpublish (editors: done; Exporters: no such action, list shown)",
        data={"action": "unpublish", "_selected_action": "{annotation}"},
        writes_allowed_to=EDITORS,
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "GET",
        "/admin/articleapp/article/{article_pk}/annotate/",
        STAFF,
        "annotate page (Exporters: read-only)",
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "POST",
        "/admin/articleapp/annotation/comment-preview/",
        STAFF,
        "a comment's Markdown rendered for the Annotate page's preview",
        data={"comment": "**Vorschau**"},
    ),
    Row(
        "GET",
        "/admin/articleapp/annotation/comment-preview/",
        (FOUND, FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
        "comment preview by GET: POST only",
    ),
    Row(
        "POST",
        "/admin/articleapp/article/{article_pk}/suggest/",
        (FOUND,) * 5,
        "run the gazetteer (editors: suggestions made)",
        writes_allowed_to=EDITORS,
    ),
    Row("GET", "/admin/articleapp/article/import/", EDITING, "import page"),
    Row(
        "POST",
        "/admin/articleapp/article/import/",
        EDITING,
        "import: preview of pasted text (writes nothing)",
        data={"text": "Kicker\n\nTitel\n\nEin Absatz."},
    ),
    Row(
        "POST",
        "/admin/articleapp/article/import/",
        WRITE_REFUSED_TO_EXPORTERS,
        "import: the preview's confirmation (editors: done)",
        data={"payload": "{import_payload}"},
        writes_allowed_to=EDITORS,
    ),
    Row(
        "GET",
        "/admin/articleapp/suggestedannotation/",
        STAFF,
        "suggestions to review",
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "POST",
        "/admin/articleapp/suggestedannotation/{draft}/accept/",
        WRITE_REFUSED_TO_EXPORTERS,
        "accept one suggestion with its row button (editors: done)",
        writes_allowed_to=EDITORS,
    ),
    Row(
        "POST",
        "/admin/articleapp/suggestedannotation/{draft}/reject/",
        WRITE_REFUSED_TO_EXPORTERS,
        "reject one suggestion with its row button (editors: done)",
        writes_allowed_to=EDITORS,
    ),
    Row(
        "GET",
        "/admin/articleapp/orphanedannotation/",
        STAFF,
        "orphaned annotations",
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "GET",
        "/admin/articleapp/changedannotation/",
        STAFF,
        "annotations to check after text changes",
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "POST",
        "/admin/articleapp/changedannotation/{changed}/confirm/",
        WRITE_REFUSED_TO_EXPORTERS,
        "confirm one annotation's new words with its row button (editors: done)",
        writes_allowed_to=EDITORS,
    ),
    *model_rows("article", "article_pk"),
    *model_rows("paragraph", "paragraph_pk"),
    *model_rows("entity", "spare_entity_pk"),
    *model_rows("annotation", "draft"),
    Row(
        "GET",
        "/admin/articleapp/annotation/{draft}/history/{draft_version}/",
        STAFF,
        "an old version of a draft (Exporters: read-only, no Revert)",
        drafts_visible_to=VIEWERS,
    ),
    Row(
        "POST",
        "/admin/articleapp/annotation/{draft}/history/{draft_version}/",
        (FOUND, FOUND, OK, FORBIDDEN, OK),
        "restore it: an empty form is re-shown (Exporters: refused)",
        drafts_visible_to=EDITORS,
    ),
    Row(
        "GET",
        "/admin/taggit/tag/",
        EDITING,
        "tags list",
        drafts_visible_to=EDITORS,
    ),
    Row(
        "POST",
        "/admin/taggit/tag/merge-tags/",
        WRITE_REFUSED_TO_EXPORTERS,
        "merge tags, none chosen: back to the list (Exporters: refused)",
        data={"new_tag_name": "Zusammengelegt"},
    ),
    Row("GET", "/admin/auth/user/", SUPERUSER_ONLY, "users"),
    Row("GET", "/admin/auth/user/{user_pk}/change/", SUPERUSER_ONLY, "change a user"),
    Row("GET", "/admin/auth/group/", SUPERUSER_ONLY, "groups"),
    Row("GET", "/admin/axes/accessattempt/", SUPERUSER_ONLY, "sign-in lock-outs"),
    Row("POST", "/admin/logout/", (FOUND, FOUND, OK, OK, OK), "sign out"),
]


def markdown_table():
    """The matrix as the Markdown table SECURITY.md shows."""
    lines = [
        "| method | URL | " + " | ".join(ROLES) + " | what |",
        "|---|---|" + "---|" * len(ROLES) + "---|",
    ]
    for row in ROWS:
        url = row.url.replace("|", "\\|")
        statuses = " | ".join(str(status) for status in row.statuses)
        lines.append(f"| {row.method} | `{url}` | {statuses} | {row.note} |")
    return "\n".join(lines) + "\n"
