"""The editors' admin, one module per part; each registers its ModelAdmins on import.

- ``articles``: articles with their paragraphs (text changes go through ``textchanges``);
- ``entities``: the gazetteer;
- ``annotations``: all annotations, with the publishing actions;
- ``annotate``: the Annotate page, where an editor selects words in an article;
- ``queues`` and ``review``: the review queues of suggestions and orphans;
- ``bulk_review``: the page that counts suggestions before they are accepted or rejected at once.

Shared: ``base`` (locking and history for every model admin), ``articleapp.locking``,
``articleapp.admin_site`` (the site itself) and ``articleapp.admin_history``.
"""

from django.contrib import admin

from articleapp import admin_third_party
from articleapp.admin import annotations, articles, entities, queues

__all__ = ["annotations", "articles", "entities", "queues"]

# taggit's and axes' admins, again, with the permission checks they lack.
admin_third_party.register(admin.site)
