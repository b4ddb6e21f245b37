"""The access matrix's vocabulary: roles, status codes by name, ``Row``, and the rows that every
model's admin pages and every export format repeat."""

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
