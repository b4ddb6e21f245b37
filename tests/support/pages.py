"""Read what a view answered (streamed or not, its `<main>`, a body no browser sniffs) and
count the queries it costs."""

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def content(response):
    """The whole body of ``response`` as bytes, read from the stream if it streams."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text(response):
    """The body of ``response`` decoded as UTF-8; fails if it is not valid UTF-8."""
    return content(response).decode("utf-8")


def served(response, content_type):
    """The body of a 200 ``response`` served as ``content_type`` that no browser sniffs."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "html" not in response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return content(response)


def main_html(content):
    """The page's ``<main>``: what the view shows, without the site's header and footer."""
    return content[content.index("<main") : content.index("</main>")]


def count_queries(client, url):
    """GET ``url`` (reading a stream to its end), expect 200, return the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        content(response)
    assert response.status_code == 200, url
    return len(queries)


def get_counting_queries(client, url, method="get", **headers):
    """GET (or HEAD) ``url``; the response carries ``query_count``, the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, headers=headers)
    response.query_count = len(queries)
    return response


def signed_in_session(user):
    """The key of a session signed in as ``user`` (None for anonymous), to send as a cookie."""
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value
