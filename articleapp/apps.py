from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ArticleAppConfig(AppConfig):
    name = "articleapp"
    verbose_name = _("Articles and annotations")

    def ready(self):
        from articleapp import canonical, invalidation

        invalidation.connect_signals(self)
        checks.register(canonical.check_base_url, checks.Tags.security, deploy=True)


class AdminSiteConfig(admin_apps.AdminConfig):
    """Django's admin with ``articleapp.admin_site.RandnotizAdminSite`` as ``admin.site``."""

    default = False  # named in INSTALLED_APPS; "articleapp" stays ArticleAppConfig
    default_site = "articleapp.admin_site.RandnotizAdminSite"
