"""URLs of one pattern for many objects: reversed once, then each object's values filled in.

``reverse()`` costs ~20 µs a call here. An export names a URL a row, and a reading page links
each entity it mentions from its notes, "who is mentioned" and its schema.org data: reversed
once with placeholders, a URL becomes the literal pieces around them, which every object joins
with its own values.
"""

import re

from django.urls import reverse

SLUG_PLACEHOLDER = "randnotiz-slug-placeholder"
# Slugs that ``reverse`` puts into a URL as they are: it quotes nothing in them.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


def url_pieces(view_name, **placeholders):
    """Return the literal pieces of a URL around its placeholders, in the order given."""
    path = reverse(view_name, kwargs=placeholders)
    pieces = []
    for value in map(str, placeholders.values()):
        before, found, path = path.partition(value)
        if not found or value in path:
            raise ValueError(f"{view_name}: placeholder {value!r} is not once in its URL")
        pieces.append(before)
    return [*pieces, path]


class SlugUrls:
    """The paths of a URL taking one ``slug``, reversed once (per request: the script prefix is
    the request's). A slug that ``reverse`` would quote (a tag's umlaut) is still reversed."""

    def __init__(self, view_name):
        self.view_name = view_name
        self.before, self.after = url_pieces(view_name, slug=SLUG_PLACEHOLDER)

    def __call__(self, slug):
        if PLAIN_SLUG.match(slug):
            return f"{self.before}{slug}{self.after}"
        return reverse(self.view_name, kwargs={"slug": slug})
