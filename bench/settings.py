"""Benchmark settings: the production settings plus a hello-world view, never used by the product.

Everything the product uses stays as in ``project.settings`` (DEBUG off, cached templates,
whitenoise with the manifest storage, persistent database connections); only the URLconf grows a
hello-world view under the same middleware, the yardstick of the server figures, and the test
client's host is allowed for the in-process query counts.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-never-used-in-production")

from project.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The benchmark speaks plain HTTP on 127.0.0.1, as the app does behind a TLS-terminating proxy;
# left on, the HTTPS redirect would answer every request with a 301 and measure nothing else.
SECURE_SSL_REDIRECT = False
