"""Stylesheets carried inline and allowed by their hashes (``project/stylesheets.py``)."""

import base64
import hashlib
import re

import pytest
from django.template import Context, Template

from articleapp.tagging import public_tags
from project import stylesheets
from tests.test_settings import csp_directives

STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def public_pages(article):
    """A path of each public page type of the seed."""
    entity = article.paragraphs.get(position=1).annotations.exclude(entity=None)[0].entity
    tag = public_tags().order_by("name")[0]
    return [
        "/",
        article.get_absolute_url(),
        "/entities/",
        entity.get_absolute_url(),
        f"/tags/{tag.slug}/",
        "/search/?q=Mistral",
        "/articles/keine-solche-seite/",
        f"{article.get_absolute_url()}paragraphs/1/embed/",
    ]


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.django_db
def test_every_inline_style_is_allowed_by_its_hash_and_nothing_is_unsafe(client, seeded):
    """Each page's <style>s hash to sources of its style-src; no policy says 'unsafe-inline'."""
    for path in public_pages(seeded):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        directives = csp_directives(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
        styles = STYLE.findall(response.content.decode())
        assert styles, path
        for text in styles:
            assert sha256_source(text) in directives["style-src"], path
        assert 'style="' not in response.content.decode(), path


@pytest.mark.django_db
def test_inline_fonts_are_the_files_the_page_preloads(client, seeded):
    """The stylesheet's font URLs are the ones the page preloads: each font is fetched once."""
    page = client.get("/").content.decode()
    preloaded = set(re.findall(r'<link rel="preload" href="([^"]+)" as="font"', page))
    [text] = STYLE.findall(page)
    fonts = set(re.findall(r'url\("([^"]+)"\)', text))
    assert preloaded and preloaded <= fonts
    assert all(url.startswith("/static/articleapp/fonts/") for url in fonts)


def test_the_page_carries_the_text_without_comments():
    """What the tag writes is the stylesheet's text, comments removed, nothing escaped."""
    text, source = stylesheets.stylesheet("articleapp/css/site.css")
    rendered = Template('{% load stylesheets %}{% inline_stylesheet "articleapp/css/site.css" %}')
    assert rendered.render(Context()) == f"<style>{text}</style>"
    assert "/*" not in text and "&quot;" not in text and "font-display: optional" in text
    assert source == sha256_source(text)


def test_a_stylesheet_outside_the_list_is_refused():
    """Only stylesheets whose hashes the policy carries may be written into a page."""
    with pytest.raises(ValueError, match="not in INLINED"):
        stylesheets.stylesheet("articleapp/css/noscript.css")
