"""Read a page's schema.org JSON-LD and Open Graph as their consumers do, offline.

``extract`` runs extruct, the extractor search-engine tooling uses, over a page. ``expand``
expands a JSON-LD document with pyld against ``schema-org-context.jsonld``: the entries of
schema.org's own context (https://schema.org/docs/jsonldcontext.jsonld) for the types and
properties Randnotiz writes, copied as they stand there, but without its ``@vocab``. So a term
schema.org does not define is dropped by the expansion instead of becoming
``http://schema.org/<typo>``, and ``unexpanded_terms`` finds it. The document loader serves that
file for schema.org's context URLs and refuses every other URL: no test touches the network.
"""

import json
from pathlib import Path

import extruct
from pyld import jsonld

CONTEXT_FILE = Path(__file__).with_name("schema-org-context.jsonld")
CONTEXT_URLS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
    "https://schema.org/docs/jsonldcontext.jsonld",
}
SCHEMA = "http://schema.org/"


def offline_loader(url, options=None):
    """Serve the bundled schema.org context for its URLs; fail the test for any other URL."""
    if url not in CONTEXT_URLS:
        raise AssertionError(f"the test tried to load {url}")
    document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def extract(page, url):
    """Return the page's JSON-LD documents and Open Graph properties, as extruct reads them."""
    data = extruct.extract(page, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=False)
    opengraph = {}
    for item in data["opengraph"]:
        opengraph.update(dict(item["properties"]))
    return data["json-ld"], opengraph


def expand(document):
    return jsonld.expand(document, {"documentLoader": offline_loader})


def terms(document):
    """Every key of a JSON-LD document and of the nodes inside it, keywords left out."""
    found = set()
    if isinstance(document, dict):
        for key, value in document.items():
            if not key.startswith("@"):
                found.add(key)
            found |= terms(value)
    elif isinstance(document, list):
        for item in document:
            found |= terms(item)
    return found


def expanded_properties(expanded):
    """Every property IRI in an expanded document, as ``schema:`` local names where they are."""
    found = set()
    if isinstance(expanded, dict):
        for key, value in expanded.items():
            if not key.startswith("@"):
                found.add(key.removeprefix(SCHEMA))
            found |= expanded_properties(value)
    elif isinstance(expanded, list):
        for item in expanded:
            found |= expanded_properties(item)
    return found


def unexpanded_terms(document):
    """The terms of ``document`` that schema.org does not define (lost in expansion)."""
    return terms(document) - expanded_properties(expand(document))


def meta_names(page):
    """The ``name`` meta elements of the page (Twitter's card reads these), name → content."""
    tree = extruct.utils.parse_html(page, encoding="utf-8")
    return {
        element.get("name"): element.get("content") for element in tree.xpath("//head/meta[@name]")
    }


def head_links(page, rel, media_type=None):
    """The ``href``s of the ``<link rel=…>`` elements in the page's head, of a type if given."""
    tree = extruct.utils.parse_html(page, encoding="utf-8")
    links = tree.xpath("//head/link[@rel=$rel]", rel=rel)
    return [
        link.get("href") for link in links if media_type is None or link.get("type") == media_type
    ]


def canonical_links(page):
    return head_links(page, "canonical")
