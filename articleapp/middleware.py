"""Cached reading pages, answered before most of the middleware stack."""

from articleapp.pagecache import ReadingPage, reading_request


class CachedReadingPageMiddleware:
    """Answer readers without a session from the page cache, and fill it with what they get.

    Placed after the security headers, whitenoise and the interface language (all still apply
    to the answer) and before sessions, CSRF, authentication, messages, history and axes, which
    have nothing to add to a shared page: a cached reading page costs one cache round trip and
    less of the middleware stack than a hello-world view, and keeps being served while the
    database is down. A page rendered below is stored after those middleware have seen it, so
    the cookies they set keep it out of the cache. See ``articleapp.pagecache``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        slug = reading_request(request)
        if slug is None:
            return self.get_response(request)
        reading = ReadingPage.look_up(request, slug)
        response = reading.cached_response(request)
        if response is None:
            response = self.get_response(request)
            reading.store(request, response)
        return response
