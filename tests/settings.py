"""Test settings: the project's settings with a test key, unhashed static files, plain HTTP.

The suite must run without ``collectstatic``, and the test client and live server speak plain
HTTP, so HTTPS redirection is off; passwords are hashed with MD5, because Argon2id's deliberate
fifth of a second per hash would be paid by every user a test creates or signs in
(``tests/test_settings.py`` checks the production hashers); everything else (secure cookies, HSTS
on secure requests, CSP, axes) is the production configuration.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from project.settings import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the app and static/ directly, as in development: no collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

SECURE_SSL_REDIRECT = False

# The public site is the test client's: absolute links (canonical, feeds, annotation IRIs) name
# it. Tests of other origins set their own.
RANDNOTIZ_BASE_URL = "http://testserver"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
