"""Admin sign-in throttling with django-axes: per username and address, 429, a finite pause."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from tests.support.factories import make_user

PASSWORD = "a-long-test-passphrase"
ATTACKER = "198.51.100.7"
COLLEAGUE = "198.51.100.8"


def sign_in(client, username, password, address):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client, username, address):
    responses = [
        sign_in(client, username, "wrong password", address)
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [response.status_code for response in responses[:-1]] == [200] * (
        settings.AXES_FAILURE_LIMIT - 1
    )
    return responses[-1]


@pytest.mark.django_db
def test_repeated_failures_lock_out_with_429(client):
    """The fifth wrong password answers 429 with the pause; then even the right one is refused."""
    editor = make_user(is_staff=True)
    locked = fail_until_locked(client, editor.username, ATTACKER)
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in locked.content.decode()
    assert sign_in(client, editor.username, PASSWORD, ATTACKER).status_code == 429


@pytest.mark.django_db
def test_lockout_spares_other_users_and_other_addresses(client):
    """A lock-out for one username and address leaves that user elsewhere and others alone."""
    editor = make_user(is_staff=True)
    colleague = make_user(is_staff=True)
    fail_until_locked(client, editor.username, ATTACKER)
    assert sign_in(client, colleague.username, PASSWORD, ATTACKER).status_code == 302
    client.logout()
    assert sign_in(client, editor.username, PASSWORD, COLLEAGUE).status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client):
    """A minute before the 15-minute cool-off ends it still holds; after it, signing in works."""
    editor = make_user(is_staff=True)
    fail_until_locked(client, editor.username, ATTACKER)
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )
    assert sign_in(client, editor.username, PASSWORD, ATTACKER).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(client, editor.username, PASSWORD, ATTACKER).status_code == 302


@pytest.mark.django_db
def test_success_resets_the_failure_count(client):
    """Four failures, a success, four more failures: no lock-out (counts reset on success)."""
    editor = make_user(is_staff=True)
    for _ in range(2):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, editor.username, "wrong", ATTACKER).status_code == 200
        assert sign_in(client, editor.username, PASSWORD, ATTACKER).status_code == 302
        client.logout()
