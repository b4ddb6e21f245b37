from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticleAppConfig(AppConfig):
    name = "articleapp"
    verbose_name = _("Articles and annotations")

    def ready(self):
        from articleapp import invalidation

        invalidation.connect_signals(self)
