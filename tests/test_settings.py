"""Production configuration: the deployment check, security headers, cookies, passwords."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError

from project import settings as project_settings
from project import stylesheets
from tests.support.factories import make_user

BASE_DIR = Path(__file__).resolve().parent.parent
ONE_YEAR = 365 * 24 * 60 * 60


def production_environment(**overrides):
    """The environment of a production deployment: no DEBUG, a real key, real host names."""
    environment = {
        key: os.environ[key] for key in ("PATH", "HOME", "LANG", "PYTHONPATH") if key in os.environ
    }
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="randnotiz.example.org",
        CSRF_TRUSTED_ORIGINS="https://randnotiz.example.org",
        RANDNOTIZ_BASE_URL="https://randnotiz.example.org",
        DJANGO_SETTINGS_MODULE="project.settings",
        **overrides,
    )
    return environment


def deploy_check(environment):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_no_issue_in_production():
    """`check --deploy --fail-level WARNING` with production variables passes with 0 issues."""
    result = deploy_check(production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_catches_an_insecure_setting():
    """The same check fails when HSTS is switched off, so the passing run means something."""
    result = deploy_check(production_environment(SECURE_HSTS_SECONDS="0"))
    assert result.returncode == 1
    assert "security.W004" in result.stderr + result.stdout


def test_hsts_is_configurable_from_the_environment():
    """SECURE_HSTS_SECONDS overrides the one-year default."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)",
        ],
        cwd=BASE_DIR,
        env=production_environment(SECURE_HSTS_SECONDS="63072000"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "63072000"
    assert settings.SECURE_HSTS_SECONDS >= ONE_YEAR


def assert_security_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    hsts = dict(
        part.strip().partition("=")[::2]
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= ONE_YEAR
    assert "includeSubDomains" in hsts


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (
            directive.split() for directive in policy.split(";") if directive.strip()
        )
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/admin/login/", "/static/articleapp/css/site.css", "/no-such-page/", "/healthz"],
)
def test_every_response_carries_the_security_headers(client, seeded, url):
    """Pages, the admin, static files, error pages and probes all send the headers."""
    response = client.get(url, secure=True)
    assert_security_headers(response)
    directives = csp_directives(response)
    assert directives["default-src"] == ["'none'"]


@pytest.mark.django_db
def test_reading_page_carries_the_security_headers(client, seeded):
    """The reading page sends the headers and a strict CSP."""
    response = client.get(seeded.get_absolute_url(), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_content_security_policy_allows_only_own_files(client):
    """CSP: default none, own scripts and styles only (and the stylesheets pages carry inline,
    by their hashes), no inline script, no eval, no framing."""
    directives = csp_directives(client.get("/", secure=True))
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", *stylesheets.hash_sources()]
    assert directives["img-src"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    everything = " ".join(" ".join(values) for values in directives.values())
    for unsafe in ["'unsafe-inline'", "'unsafe-eval'", "data:", "*", "http:", "https:"]:
        assert unsafe not in everything.split()


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_samesite(client):
    """Signing in sets session and CSRF cookies with Secure, HttpOnly and SameSite=Lax."""
    user = make_user(is_staff=True)
    client.get("/admin/login/", secure=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "a-long-test-passphrase"},
        secure=True,
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    for name in [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]:
        cookie = response.cookies[name]
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    """New passwords are stored as Argon2id hashes (the suite itself hashes with MD5)."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a-long-test-passphrase")


@pytest.mark.parametrize("password", ["kurz", "password1234", "123456789012", "randnotizadmin"])
def test_weak_passwords_are_refused(password):
    """Short, common, numeric and user-like passwords fail Django's validators."""
    with pytest.raises(ValidationError):
        validate_password(password, unsaved_user())


def unsaved_user():
    return get_user_model()(username="randnotizadmin", email="randnotizadmin@example.org")


def test_a_long_passphrase_is_accepted():
    """A long passphrase passes every validator."""
    validate_password("Randbemerkungen im Frühling 2025", unsaved_user())


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    """On PostgreSQL every connection turns JIT off (it cost 40-60 ms on a 7 ms query)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ["'self'"]),
        ("https://news.example", ["https://news.example"]),
        ("https://news.example, https://*.blog.example:8443", ["https://news.example", "https://*.blog.example:8443"]),
        ("'self',http://localhost:8000", ["'self'", "http://localhost:8000"]),
        ("'none'", ["'none'"]),
    ],
)  # fmt: skip
def test_embed_frame_ancestors_come_from_the_environment(monkeypatch, value, expected):
    """EMBED_FRAME_ANCESTORS lists origins; empty means this site only."""
    monkeypatch.setenv("EMBED_FRAME_ANCESTORS", value)
    assert project_settings.env_frame_ancestors("EMBED_FRAME_ANCESTORS", ["'self'"]) == expected
    assert settings.EMBED_FRAME_ANCESTORS == ["'self'"]


@pytest.mark.parametrize(
    "value",
    [
        "https://news.example; script-src *",
        "https://news.example https://other.example",
        "*",
        "https:",
        "javascript:alert(1)",
        "https://news.example/path",
        "'unsafe-inline'",
        "'none', https://news.example",
    ],
)
def test_malformed_embed_frame_ancestors_are_refused(monkeypatch, value):
    """A value that is no origin (or would add directives to the header) stops the start."""
    monkeypatch.setenv("EMBED_FRAME_ANCESTORS", value)
    with pytest.raises(ImproperlyConfigured, match="EMBED_FRAME_ANCESTORS"):
        project_settings.env_frame_ancestors("EMBED_FRAME_ANCESTORS", ["'self'"])
