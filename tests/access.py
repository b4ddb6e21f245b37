"""The access-control matrix as data: every URL and method, the status each role gets.

Roles: ``anonymous``; ``user`` (signed in, no rights); ``editor`` (staff, group Editors: every
permission on articles, paragraphs, entities, aliases and annotations); ``exporter`` (not staff,
group Exporters: ``articleapp.export_annotations``); ``superuser``. Groups are taken with
``get_or_create``, so a data migration that creates them wins over the defaults here.

To cover a new URL, add a ``Row``. ``{placeholders}`` in URLs are filled from the objects of
``tests.test_access_control.world``. ``drafts_visible_to`` names the roles allowed to see draft
annotations' text in that response; every other role's response is checked for it.
``writes_allowed_to`` names the roles whose request may change the stored content; for every
other role the database must be exactly as before.
SECURITY.md shows ``markdown_table()``; a test keeps the two equal.
"""

from dataclasses import dataclass, field

ROLES = ("anonymous", "user", "editor", "exporter", "superuser")

# Status codes, named so that the table reads as a sentence.
OK, FOUND, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


@dataclass(frozen=True)
class Row:
    method: str
    url: str
    statuses: tuple  # one per role, in ROLES order
    note: str = ""
    data: dict = field(default_factory=dict)
    drafts_visible_to: frozenset = frozenset()
    writes_allowed_to: frozenset = frozenset()

    def expected(self):
        return dict(zip(ROLES, self.statuses, strict=True))


EDITORS = frozenset({"editor", "superuser"})
EXPORTERS = frozenset({"exporter", "superuser"})
PUBLIC = (OK, OK, OK, OK, OK)
ADMIN_ONLY = (FOUND, FOUND, OK, FOUND, OK)
SUPERUSER_ONLY = (FOUND, FOUND, FORBIDDEN, FOUND, OK)
EXPORT = (FOUND, FORBIDDEN, FORBIDDEN, OK, OK)


def model_rows(model, obj, drafts=frozenset()):
    """The admin URLs of one model: list, add, change, history, delete, and their forms."""
    base = f"/admin/articleapp/{model}"
    return [
        Row("GET", f"{base}/", ADMIN_ONLY, f"{model} list", drafts_visible_to=drafts),
        Row("GET", f"{base}/?q=geheim", ADMIN_ONLY, f"{model} search", drafts_visible_to=drafts),
        Row("GET", f"{base}/add/", ADMIN_ONLY, f"add {model} form"),
        Row("POST", f"{base}/add/", ADMIN_ONLY, f"add {model}: empty form re-shown"),
        Row(
            "GET",
            f"{base}/{{{obj}}}/change/",
            ADMIN_ONLY,
            f"change {model}",
            drafts_visible_to=drafts,
        ),  # fmt: skip
        Row("GET", f"{base}/{{{obj}}}/history/", ADMIN_ONLY, f"{model} history"),
        Row(
            "GET",
            f"{base}/{{{obj}}}/delete/",
            ADMIN_ONLY,
            f"delete {model}: confirmation",
            drafts_visible_to=drafts,
        ),  # fmt: skip
        Row(
            "POST",
            f"{base}/{{{obj}}}/delete/",
            (FOUND,) * 5,
            f"delete {model} (editors: done)",
            data={"post": "yes"},
            writes_allowed_to=EDITORS,
        ),  # fmt: skip
    ]


ROWS = [
    # Public reading pages.
    Row("GET", "/", PUBLIC, "article list"),
    Row("HEAD", "/", PUBLIC, "article list"),
    Row("GET", "/articles/{article}/", PUBLIC, "reading page"),
    Row("GET", "/articles/no-such-article/", (NOT_FOUND,) * 5, "unknown article"),
    Row("GET", "/entities/{entity}/", PUBLIC, "entity page"),
    Row("GET", "/entities/{draft_entity}/", PUBLIC, "entity mentioned only by a draft"),
    Row("GET", "/entities/no-such-entity/", (NOT_FOUND,) * 5, "unknown entity"),
    Row("GET", "/static/articleapp/css/site.css", PUBLIC, "static file"),
    Row("GET", "/healthz", PUBLIC, "liveness probe"),
    Row("GET", "/readyz", PUBLIC, "readiness probe"),
    Row("POST", "/healthz", (NOT_ALLOWED,) * 5, "probes are read-only"),
    # Exports: drafts included for those allowed to export.
    Row("GET", "/export/annotations.csv", EXPORT, "CSV export", drafts_visible_to=EXPORTERS),
    Row("GET", "/export/annotations.json", EXPORT, "JSON export", drafts_visible_to=EXPORTERS),
    Row(
        "GET",
        "/export/annotations.json?article={article}",
        EXPORT,
        "JSON export, one article",
        drafts_visible_to=EXPORTERS,
    ),  # fmt: skip
    Row(
        "GET",
        "/export/annotations.csv?article=no-such",
        (FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
        "export of an unknown article",
    ),  # fmt: skip
    Row(
        "GET",
        "/export/annotations.xml",
        (FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
        "unknown export format",
    ),  # fmt: skip
    Row(
        "POST",
        "/export/annotations.csv",
        EXPORT,
        "export by POST: same as GET",
        drafts_visible_to=EXPORTERS,
    ),  # fmt: skip
    # The admin site.
    Row("GET", "/admin/login/", (OK, OK, FOUND, OK, FOUND), "sign-in form (staff are sent on)"),
    Row("GET", "/admin/", ADMIN_ONLY, "admin index"),
    Row("GET", "/admin/articleapp/", ADMIN_ONLY, "app index"),
    Row("GET", "/admin/password_change/", ADMIN_ONLY, "change own password"),
    Row("GET", "/admin/jsi18n/", ADMIN_ONLY, "admin translations script"),
    Row(
        "GET",
        "/admin/autocomplete/?app_label=articleapp&model_name=annotation&field_name=entity",
        ADMIN_ONLY,
        "entity autocomplete",
    ),  # fmt: skip
    Row(
        "GET", "/admin/r/{annotation_type}/{annotation}/", (FOUND,) * 5, "view on site: redirect"
    ),  # fmt: skip
    Row(
        "POST",
        "/admin/articleapp/annotation/",
        (FOUND,) * 5,
        "action: publish (editors: done)",
        data={"action": "publish", "_selected_action": "{draft}"},
        writes_allowed_to=EDITORS,
    ),  # fmt: skip
    Row(
        "POST",
        "/admin/articleapp/annotation/",
        (FOUND,) * 5,
        "action: unpublish (editors: done)",
        data={"action": "unpublish", "_selected_action": "{annotation}"},
        writes_allowed_to=EDITORS,
    ),  # fmt: skip
    *model_rows("article", "article_pk", EDITORS),
    *model_rows("paragraph", "paragraph_pk", EDITORS),
    *model_rows("entity", "spare_entity_pk", EDITORS),
    *model_rows("annotation", "draft", EDITORS),
    Row(
        "GET",
        "/admin/taggit/tag/",
        SUPERUSER_ONLY,
        "tags list",
        drafts_visible_to=frozenset({"superuser"}),
    ),  # fmt: skip
    Row("GET", "/admin/auth/user/", SUPERUSER_ONLY, "users"),
    Row("GET", "/admin/auth/user/{user_pk}/change/", SUPERUSER_ONLY, "change a user"),
    Row("GET", "/admin/auth/group/", SUPERUSER_ONLY, "groups"),
    Row("GET", "/admin/axes/accessattempt/", SUPERUSER_ONLY, "sign-in lock-outs"),
    Row("POST", "/admin/logout/", (FOUND, FOUND, OK, FOUND, OK), "sign out"),
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
