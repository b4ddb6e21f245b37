"""The access-control matrix as data: every URL and method, the status each role gets.

Roles: ``anonymous``; ``user`` (signed in, no rights); ``editor`` (staff, group Editors: every
permission on articles, paragraphs, entities, aliases, annotations and tags); ``exporter`` (staff,
as the README tells operators to set it up, group Exporters: view permissions and
``articleapp.export_annotations``); ``superuser``. Every admin URL for these roles and a staff
user without a group is also posted to with its own form by ``tests/test_admin_access.py``.
The groups come from the data migration ``0003_editor_and_exporter_groups``; the test takes
them with ``get_or_create`` and gives them these permissions only if they are missing.

To cover a new URL, add a ``Row`` to ``access_site.py`` or ``access_admin.py`` (the words they
share are in ``access_rows.py``). ``{placeholders}`` in URLs are filled from the objects of
``tests.test_access_control.world``. ``drafts_visible_to`` names the roles allowed to see the
text of annotations readers may not see (a draft, an orphan, a published annotation whose words
changed since) in that response; every other role's response is checked for all of it.
``writes_allowed_to`` names the roles whose request may change the stored content; for every
other role the database must be exactly as before. A POST carries a valid CSRF token unless the
row says ``csrf_token=False``: writes to URLs that only read (``refused``) are sent as a Web
Annotation client or a crawler sends them, without one, and must still get 405, not CSRF's 403.
SECURITY.md shows ``markdown_table()``; a test keeps the two equal.
"""

from tests.support.access_admin import ADMIN_ROWS
from tests.support.access_rows import ROLES
from tests.support.access_site import SITE_ROWS

ROWS = [*SITE_ROWS, *ADMIN_ROWS]


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
