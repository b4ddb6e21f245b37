"""Read numbers and text from a URL strictly: the value asked for, or a 400.

Every number or string a view, an admin page or an import takes from a URL goes through here,
so that what "a whole number" means is decided once. ``str.isdigit`` is not it: ``"²"``,
``"٣"`` and ``"①"`` are digits to Python, and ``int()`` refuses the first and third; a number
may also be too large for the database's column, which PostgreSQL refuses with an error, and
text may hold NUL, which PostgreSQL cannot store or compare. ``InvalidParameter`` is Django's
``BadRequest``, so a view that lets it propagate answers 400; it is also a ``ValueError``, for
code that reads the same values from files.

NUL anywhere in a path or query string is refused before any view runs
(``project.middleware.RejectNulMiddleware``); ``text`` refuses it again for values that come
from elsewhere (a decoded path segment, a form-encoded body).
"""

import re

from django.core.exceptions import BadRequest

# The largest value of the database's integer columns: ids are 64-bit (BigAutoField),
# positions and offsets 32-bit (PositiveIntegerField), on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1
MAX_POSITIVE_INTEGER = 2**31 - 1
TEXT_MAX_LENGTH = 1000
# ASCII digits only, no sign, no spaces, no underscores (``int()`` accepts all three).
DIGITS = re.compile(r"[0-9]+")


class InvalidParameter(BadRequest, ValueError):
    """A value taken from a URL is malformed or out of range; the message says which."""


def whole_number(value, *, name="value", minimum=0, maximum=MAX_ID):
    """Return ``value`` (text of ASCII digits) as an int in ``[minimum, maximum]``."""
    if not isinstance(value, str) or not DIGITS.fullmatch(value):
        raise InvalidParameter(f"{name} must be a whole number written with the digits 0-9")
    # Bounded before int(): Python refuses to convert more than 4,300 digits anyway.
    if len(value.lstrip("0")) > len(str(maximum)):
        raise InvalidParameter(f"{name} must be at most {maximum}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise InvalidParameter(f"{name} must be between {minimum} and {maximum}")
    return number


def text(value, *, name="value", max_length=TEXT_MAX_LENGTH):
    """Return ``value`` if it holds no NUL and at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise InvalidParameter(f"{name} must be text")
    if "\0" in value:
        raise InvalidParameter(f"{name} must not contain NUL characters")
    if len(value) > max_length:
        raise InvalidParameter(f"{name} must be at most {max_length} characters long")
    return value


def query_number(query, name, default=None, *, minimum=0, maximum=MAX_ID):
    """Return the whole number ``query[name]``; ``default`` when absent or empty."""
    value = query.get(name)
    if value is None or value == "":
        return default
    return whole_number(value, name=name, minimum=minimum, maximum=maximum)


def query_text(query, name, default="", *, max_length=TEXT_MAX_LENGTH):
    """Return the text ``query[name]``, or ``default`` when absent."""
    value = query.get(name)
    if value is None:
        return default
    return text(value, name=name, max_length=max_length)


def query_flag(query, name):
    """Return True for ``name=1``, False for ``name=0``, an empty value or none."""
    value = query.get(name)
    if value in (None, "", "0"):
        return False
    if value == "1":
        return True
    raise InvalidParameter(f"{name} must be 0 or 1")
