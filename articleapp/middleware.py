"""The interface language (German unless the reader chose English), and cached reading pages."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from articleapp.caching import cached_page_for_anyone


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that follows the language cookie only, not the browser's Accept-Language.

    Randnotiz is a German reading site whose interface is also offered in English: a reader gets
    German until they pick English, whatever language their browser asks for.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language depends on the cookie alone, so caches must key on it, not on the header.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class CachedReadingPageMiddleware:
    """Answer readers without a session from the page cache, before the middleware below it.

    Placed after the security headers and the language (both still apply to the answer) and
    before sessions, CSRF, authentication, messages, history and axes, which have nothing to
    add to a shared page: a cached reading page costs one cache round trip and less of the
    middleware stack than a hello-world view. It also keeps being served while the database is
    down. See ``caching.cached_page_for_anyone``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return cached_page_for_anyone(request) or self.get_response(request)
