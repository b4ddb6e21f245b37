from django.urls import path

from articleapp import embeds, feeds, sitemaps, views
from articleapp.exports import container
from articleapp.exports import views as export_views

app_name = "articleapp"

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("articles/<slug:slug>/changes/", views.article_changes, name="article-changes"),
    path(
        "articles/<slug:slug>/annotations/",
        container.annotation_container,
        name="annotation-container",
    ),
    path(
        "articles/<slug:slug>/annotations/<int:pk>",
        container.annotation_detail,
        name="annotation-detail",
    ),
    path(
        "articles/<slug:slug>/paragraphs/<int:position>/embed/",
        embeds.paragraph_embed,
        name="paragraph-embed",
    ),
    path("oembed/", embeds.oembed, name="oembed"),
    path("entities/", views.entity_list, name="entity-list"),
    path("entities/<slug:slug>/", views.entity_detail, name="entity-detail"),
    path("entities/<slug:slug>/feed/", feeds.entity_feed, name="entity-feed"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("tags/<str:slug>/feed/", feeds.tag_feed, name="tag-feed"),
    path("search/", views.search_results, name="search"),
    path("feed/", feeds.article_feed, name="article-feed"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("export/", export_views.export_page, name="export"),
    path(
        "export/annotations.<str:export_format>",
        export_views.export_annotations,
        name="export-annotations",
    ),
]
