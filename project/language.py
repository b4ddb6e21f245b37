"""The interface language: German unless the reader chose English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that follows the language cookie only, not the browser's Accept-Language.

    Randnotiz is a German reading site whose interface is also offered in English: a reader gets
    German until they pick English, whatever language their browser asks for. It reads the
    cookie alone, never the session, so it runs before ``SessionMiddleware`` and before the
    page cache (``articleapp.middleware.CachedReadingPageMiddleware``), whose keys hold the
    language it activates; the headers it adds on the way out reach cached answers too.
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
