"""Test settings: the project's settings with a test key and unhashed static files.

The suite must run without ``collectstatic``; everything else is the production configuration.
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
