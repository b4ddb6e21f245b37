"""Every URL pattern the project serves, as templates whose parameters a test can fill.

Built from the URL resolver, public and admin alike, so that a page added later is covered by
the tests that use it without anyone listing it. Path converters (``<slug:slug>``) and regular
expression groups (``(?P<app_label>…)``, the history views' unnamed groups) are both read from
the compiled pattern: each becomes a ``Parameter`` with the name the view receives (or
``_1``, ``_2``… for unnamed groups) and the regular expression it must match.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Parameter:
    name: str
    regex: str

    def accepts(self, value):
        return re.fullmatch(self.regex, value) is not None


@dataclass(frozen=True)
class UrlTemplate:
    """One URL pattern: literal pieces of path with parameters between them."""

    pieces: tuple  # str for literal text, Parameter for a parameter
    name: str  # "namespace:name", or the view's name when the pattern has none
    callback: object

    @property
    def parameters(self):
        return [piece for piece in self.pieces if isinstance(piece, Parameter)]

    @property
    def prefix(self):
        """The literal path before the first parameter, e.g. ``/admin/articleapp/article/``."""
        literal = []
        for piece in self.pieces:
            if isinstance(piece, Parameter):
                break
            literal.append(piece)
        return "/" + "".join(literal)

    def fill(self, values):
        """The path with ``values[name]`` for each parameter; values are given URL-encoded."""
        parts = [
            values[piece.name] if isinstance(piece, Parameter) else quote(piece)
            for piece in self.pieces
        ]
        return "/" + "".join(parts)

    def __str__(self):
        return self.fill({parameter.name: f"<{parameter.name}>" for parameter in self.parameters})


ANCHORS = re.compile(r"^\^|\\Z$|\$$")


def split_groups(regex):
    """Split a regular expression into literal text and its top-level groups.

    Returns a list of ``str`` (literal, unescaped) and ``(name or None, group regex)``.
    Enough for URL patterns: literal text, escapes, character classes and capturing groups.
    """
    pieces, literal, index = [], [], 0
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            literal.append(regex[index + 1])
            index += 2
        elif char == "(":
            end, depth, position = None, 0, index
            while end is None:
                current = regex[position]
                if current == "\\":
                    position += 1
                elif current == "[":
                    position = regex.index("]", position + 2)
                elif current == "(":
                    depth += 1
                elif current == ")":
                    depth -= 1
                    if depth == 0:
                        end = position
                position += 1
            body = regex[index + 1 : end]
            named = re.match(r"\?P<(\w+)>", body)
            if named:
                pieces += ["".join(literal), (named[1], body[named.end() :])]
            else:
                pieces += ["".join(literal), (None, body)]
            literal = []
            index = end + 1
        else:
            literal.append(char)
            index += 1
    pieces.append("".join(literal))
    return [piece for piece in pieces if piece != ""]


def url_templates(resolver=None, prefix=(), namespace=""):
    """Yield a ``UrlTemplate`` for every URL pattern under ``resolver`` (the project's root)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pieces = list(prefix)
        unnamed = sum(1 for piece in prefix if isinstance(piece, Parameter))
        for piece in split_groups(ANCHORS.sub("", entry.pattern.regex.pattern)):
            if isinstance(piece, str):
                pieces.append(piece)
            else:
                name, regex = piece
                if name is None:
                    unnamed += 1
                    name = f"_{unnamed}"
                pieces.append(Parameter(name, regex))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_templates(entry, tuple(pieces), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else entry.lookup_str
            yield UrlTemplate(tuple(pieces), name, entry.callback)
