"""The suggestion queue's address, and a client that reads the queues in one language."""

from django.conf import settings
from django.urls import reverse

SUGGESTIONS = reverse("admin:articleapp_suggestedannotation_changelist")


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
