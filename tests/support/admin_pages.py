"""Every URL the admin site serves, and who may change stored data by posting to it.

Built from ``admin.site.get_urls()`` and from ``get_urls()`` of every registered ModelAdmin, so a
page added later is covered without editing this file. A page that cannot be classified (a custom
URL name not in ``CUSTOM_PAGES``, an action that does not declare its permissions) still becomes
a probe, with ``problem`` saying why, and its test fails until someone decides who may write
there.

``needs`` names what a user must hold for a POST to change anything: permission codenames
(all of them), or ``STAFF`` (any active staff user: their own password), or ``ANYONE`` (signing in
and out is recorded by django-axes for anyone); empty, nobody may write.

Permissions are those of the concrete model: the review queues are proxies of Annotation and
use Annotation's permissions (``articleapp.admin.queues.ConcretePermissionsMixin``).
"""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLPattern
from django.views.generic import RedirectView

STAFF = "is_staff"
ANYONE = "anyone"

# The model admin's own pages, by the end of their URL name: the permission a write needs.
MODEL_PAGES = {
    "changelist": None,  # one probe per action (see actions), and one without an action
    "add": "add",
    "change": "change",
    "delete": "delete",
    "history": "",  # a list of versions: reads only
    "simple_history": "change",  # an old version's form; its POST restores that version
}

# Pages added through ``get_urls()``: their variants and the permissions each write needs.
CUSTOM_PAGES = {
    "articleapp_article_annotate": {
        "new": ("articleapp.add_annotation",),
        "edit": ("articleapp.change_annotation",),
        "delete": ("articleapp.delete_annotation",),
    },
    "articleapp_annotation_comment_preview": {"": ()},  # renders what it is sent; stores nothing
    "articleapp_article_suggest": {"": ("articleapp.change_article", "articleapp.add_annotation")},
    "articleapp_suggestedannotation_accept": {"": ("articleapp.change_annotation",)},
    "articleapp_suggestedannotation_reject": {"": ("articleapp.delete_annotation",)},
    "articleapp_changedannotation_confirm": {"": ("articleapp.change_annotation",)},
    "auth_user_password_change": {"": ("auth.change_user",)},
    "taggit_tag_merge_tags": {"": ("taggit.add_tag", "taggit.change_tag")},
}

# Permissions that actions declare beyond add, change, delete and view.
ACTION_PERMISSIONS = {
    "suggest": ("articleapp.change_article", "articleapp.add_annotation"),
    "merge": ("taggit.add_tag", "taggit.change_tag"),
}

# The admin site's own pages.
SITE_PAGES = {
    "index": (),
    "app_list": (),
    "jsi18n": (),
    "autocomplete": (),
    "view_on_site": (),
    "password_change_done": (),
    "catch_all": (),
    "login": (ANYONE,),
    "logout": (ANYONE,),
    "password_change": (STAFF,),
}


@dataclass(frozen=True)
class Probe:
    """One page of the admin and the form to post there."""

    url_name: str  # the URL's name; "catch_all" and "<model>_redirect" for unnamed ones
    kind: str  # changelist, add, change, delete, history, simple_history, redirect, a custom name
    model: str = ""  # the ModelAdmin's model label; empty for the site's own pages
    variant: str = ""  # an action of the changelist; new, edit or delete on the Annotate page
    needs: tuple = ()
    problem: str = ""

    @property
    def id(self):
        return f"{self.url_name}:{self.variant}" if self.variant else self.url_name

    @property
    def writes(self):
        """Whether some user may change stored data by posting here."""
        return bool(self.needs)


def concrete_codename(model, action):
    opts = model._meta.concrete_model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def superuser_request():
    """A request of an active superuser that needs no database: to list a ModelAdmin's actions."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_active=True, is_staff=True, is_superuser=True)
    return request


def action_needs(model, action):
    """The permissions an action declares, as codenames of the concrete model, or a problem."""
    declared = getattr(action, "allowed_permissions", ())
    if not declared:
        return (), "the action declares no permissions (@admin.action(permissions=...))"
    needs = []
    for permission in declared:
        if permission in {"add", "change", "delete"}:
            needs.append(concrete_codename(model, permission))
        elif permission in ACTION_PERMISSIONS:
            needs.extend(ACTION_PERMISSIONS[permission])
        elif permission != "view":
            return (), f"unknown action permission {permission!r}: add it to ACTION_PERMISSIONS"
    return tuple(needs), ""


def model_probes(model, model_admin):
    opts = model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    probes = []
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern):
            probes.append(Probe(str(pattern.pattern), "", opts.label, problem="not a URL pattern"))
            continue
        name = pattern.name
        if name is None:
            if getattr(pattern.callback, "view_class", None) is RedirectView:
                probes.append(Probe(f"{prefix}redirect", "redirect", opts.label))
            else:
                probes.append(
                    Probe(str(pattern.pattern), "", opts.label, problem="an unnamed pattern")
                )
        elif name in CUSTOM_PAGES:
            probes += [
                Probe(name, name, opts.label, variant, needs)
                for variant, needs in CUSTOM_PAGES[name].items()
            ]
        elif name.startswith(prefix) and name.removeprefix(prefix) in MODEL_PAGES:
            kind = name.removeprefix(prefix)
            if kind == "changelist":
                probes += changelist_probes(model, model_admin, name)
            else:
                action = MODEL_PAGES[kind]
                needs = (concrete_codename(model, action),) if action else ()
                probes.append(Probe(name, kind, opts.label, needs=needs))
        else:
            problem = f"unknown page {name!r}: add it to CUSTOM_PAGES with its permissions"
            probes.append(Probe(name, "", opts.label, problem=problem))
    return probes


def changelist_probes(model, model_admin, name):
    label = model._meta.label
    probes = [Probe(name, "changelist", label)]
    for action_name, (action, *_) in model_admin.get_actions(superuser_request()).items():
        needs, problem = action_needs(model, action)
        probes.append(Probe(name, "changelist", label, action_name, needs, problem))
    return probes


def site_probes(site):
    probes = []
    for pattern in site.get_urls():
        if not isinstance(pattern, URLPattern):
            continue  # the models' pages, from their ModelAdmins
        name = pattern.name
        if name is None and getattr(pattern.callback, "__name__", "") == "catch_all_view":
            name = "catch_all"
        if name in SITE_PAGES:
            probes.append(Probe(name, name, needs=SITE_PAGES[name]))
        else:
            problem = f"unknown admin site page {name or pattern.pattern!s}: add it to SITE_PAGES"
            probes.append(Probe(str(name or pattern.pattern), "", problem=problem))
    return probes


def admin_probes(site=admin.site):
    """Every page of ``site`` with the forms to post there, the site's and every model's."""
    probes = site_probes(site)
    for model, model_admin in site._registry.items():
        probes += model_probes(model, model_admin)
    return probes
