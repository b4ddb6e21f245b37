import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.support.factories import make_user

EDITED = ["article", "paragraph", "entity", "entityalias", "annotation"]
ACTIONS = ["add", "change", "delete", "view"]


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def member_of(group_name, **fields):
    user = make_user(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.django_db
def test_editors_have_exactly_the_editing_permissions():
    """Editors may add, change, delete and view content and tags, and nothing else."""
    expected = {f"articleapp.{action}_{model}" for model in EDITED for action in ACTIONS}
    expected |= {f"taggit.{action}_tag" for action in ACTIONS}
    assert codenames("Editors") == expected


@pytest.mark.django_db
def test_exporters_have_exactly_view_and_export():
    """Exporters may view articles, paragraphs, entities and annotations and export them."""
    assert codenames("Exporters") == {
        "articleapp.view_article",
        "articleapp.view_paragraph",
        "articleapp.view_entity",
        "articleapp.view_annotation",
        "articleapp.export_annotations",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_changelist"),
    ],
)
def test_editor_cannot_reach_user_administration(client, url):
    """An editor is refused the user and group admin."""
    client.force_login(member_of("Editors"))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_editor_cannot_edit_a_user_or_export(client):
    """An editor can neither change a user nor download an export."""
    other = make_user()
    client.force_login(member_of("Editors"))
    assert client.get(reverse("admin:auth_user_change", args=[other.pk])).status_code == 403
    assert client.get("/export/annotations.csv").status_code == 403


@pytest.mark.django_db
def test_editor_can_work_in_the_admin(client):
    """An editor sees the annotation list and may add an entity."""
    client.force_login(member_of("Editors"))
    assert client.get(reverse("admin:articleapp_annotation_changelist")).status_code == 200
    assert client.get(reverse("admin:articleapp_entity_add")).status_code == 200


@pytest.mark.django_db
def test_exporter_can_export_but_not_edit(client):
    """An exporter downloads the export, may view annotations but not change them."""
    client.force_login(member_of("Exporters"))
    assert client.get("/export/annotations.csv").status_code == 200
    assert client.get(reverse("admin:articleapp_annotation_changelist")).status_code == 200
    assert client.get(reverse("admin:articleapp_annotation_add")).status_code == 403
