"""A corpus of XSS payloads, and a check that rendered HTML contains none of their effects.

The corpus combines classic payloads (script and event-handler injection, SVG and MathML,
mutation XSS, attribute breaking, template syntax, CSS, base and meta tricks, Markdown links)
with every case and encoding variant of ``javascript:``, ``data:`` and ``vbscript:`` URLs in every
place a URL can go. ``unsafe_markup(html)`` lists every element, attribute or URL in a page that
could run script or load something foreign. ``packed`` groups payloads for fields that hold
several at once.
"""

import html
import itertools
import json
import re

import html5lib
from django.conf import settings

from project import stylesheets

ALERT = "alert(1)"

CLASSIC = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script/src=data:,alert(1)>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<img/src=x/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<marquee onstart=alert(1)>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<style>*{background:url(//evil.example/x)}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<base href=//evil.example/>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea></textarea><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "` onmouseover=alert(1) `",
    '" autofocus onfocus="alert(1)',
    '"/><svg onload=alert(1)>',
    '" style="background:url(javascript:alert(1))',
    "{{ 7*7 }}",
    "{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    '[x](https://example.org "\\" onmouseover=alert(1)")',
    "**<img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "＜script＞alert(1)＜/script＞",
    "\u202e<script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '=HYPERLINK("javascript:alert(1)")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
]

SCHEMES = ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]


def scheme_variants(url):
    """Case and encoding variants of a dangerous URL, as attackers write them."""
    scheme, _, rest = url.partition(":")
    mixed = "".join(c.upper() if i % 2 else c for i, c in enumerate(scheme))
    entities = "".join(f"&#{ord(c)};" for c in scheme)
    return [
        url,
        f"{scheme.upper()}:{rest}",
        f"{mixed}:{rest}",
        f"{scheme}&#58;{rest}",
        f"{scheme}&colon;{rest}",
        f"{entities}:{rest}",
        f"{scheme[:3]}\t{scheme[3:]}:{rest}",
        f"{scheme[:3]}&#x0A;{scheme[3:]}:{rest}",
        f" \x01{scheme}:{rest}",
        f"{scheme}%3A{rest}",
    ]


URL_PLACES = [
    '<a href="{}">x</a>',
    "[x]({})",
    "<{}>",
    '<iframe src="{}"></iframe>',
    '<form action="{}"><button>x</button></form>',
]


def build_corpus():
    payloads = list(CLASSIC)
    for url in SCHEMES:
        for variant, place in itertools.product(scheme_variants(url), URL_PLACES):
            payloads.append(place.format(variant))
    # The same payloads behind an attribute break, and escaped once (for double-decoding bugs).
    payloads += [f'"><{p}' for p in CLASSIC]
    payloads += [html.escape(p) for p in CLASSIC]
    unique = list(dict.fromkeys(p.replace("\0", "") for p in payloads))
    return unique


PAYLOADS = build_corpus()


def packed(payloads, limit):
    """Split ``payloads`` into runs of consecutive indexes whose payloads, joined by spaces, fit
    in ``limit`` characters: one field (or one query) can then carry a run, so that a page
    renders many payloads at once while each payload still goes into every field."""
    runs, current = [], []
    for index, payload in enumerate(payloads):
        if current and len(" ".join([*(payloads[i] for i in current), payload])) > limit:
            runs.append(current)
            current = []
        current.append(index)
    runs.append(current)
    return runs


def joined(payloads, run):
    """The payloads of one run of ``packed``, joined by spaces."""
    return " ".join(payloads[index] for index in run)


# Everything the pages and the Django admin emit; anything else in a page came from data.
ALLOWED_TAGS = {
    "a", "article", "aside", "b", "bdi", "blockquote", "body", "br", "button", "caption",
    "code", "dd", "defs", "del", "desc", "details", "div", "dl", "dt", "em", "fieldset",
    "figcaption", "figure", "footer", "form", "g", "h1", "h2", "h3", "head", "header", "html",
    "img", "input", "ins", "kbd", "label", "legend", "li", "link", "main", "mark", "meta", "nav",
    "noscript", "ol", "optgroup", "option", "p", "path", "pattern", "pre", "rect", "script",
    "section", "select", "small", "span", "strong", "style", "summary", "svg", "symbol", "table",
    "tbody", "td", "text", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "ul", "use",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "action", "alt", "aria-controls", "aria-current", "aria-describedby", "aria-expanded",
    "aria-hidden", "aria-invalid", "aria-label", "aria-labelledby", "aria-pressed", "as",
    "async", "autocapitalize", "autocomplete", "autofocus", "charset", "checked", "class",
    "cols", "content", "crossorigin", "d", "data-actions-icnt", "data-admin-utc-offset",
    "data-ajax--cache", "data-ajax--delay", "data-ajax--type", "data-ajax--url",
    "data-allow-clear", "data-annotation", "data-app-label", "data-context", "data-entity",
    "data-field-name", "data-filter-entity", "data-filter-kind", "data-filter-reset",
    "data-filter-title", "data-href-template", "data-inline-formset", "data-inline-type",
    "data-is-stacked", "data-kind", "data-model-name", "data-model-ref", "data-name-of",
    "data-note", "data-one", "data-other", "data-placeholder", "data-popup",
    "data-prepopulated-fields", "data-theme", "datetime",
    "defer", "dir",
    "disabled", "enctype", "fill", "for", "height", "hidden", "href", "id", "lang", "maxlength",
    "media", "method", "min", "multiple", "name", "novalidate", "open", "patternUnits",
    "placeholder",
    "popover", "property", "readonly", "rel", "required", "role", "rows", "rx", "scope",
    "selected", "size", "src", "start", "step", "tabindex", "target", "text-anchor", "title",
    "type",
    "value", "viewBox", "width", "x", "xlink:href", "xmlns", "y",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
    "srcset", "ping", "content",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}


def inlined_stylesheets():
    """The texts of the stylesheets pages carry inline (``project.stylesheets``)."""
    return {stylesheets.stylesheet(name)[0] for name in stylesheets.INLINED}


SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
URL_IN_META = re.compile(r"url\s*=\s*(.*)$", re.IGNORECASE)
URL_META_SUFFIXES = (":url", ":image", ":video", ":audio", ":secure_url")


def meta_url(attributes):
    """The URL a ``<meta>``'s content names: a refresh's ``url=``, or an Open Graph or Twitter
    property that is a URL (``og:url``, ``og:image``…); "" for text such as a description."""
    content = attributes.get("content") or ""
    if "http-equiv" in attributes:
        match = URL_IN_META.search(content)
        return match.group(1) if match else ""
    key = attributes.get("property") or attributes.get("name") or ""
    return content if key.endswith(URL_META_SUFFIXES) else ""


def url_scheme(value):
    """The scheme a browser would see in an attribute value, or None for a relative URL."""
    value = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    match = SCHEME.match(value)
    return match.group(1).lower() if match else None


def same_origin_path(url):
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def own_url(url):
    """A path on this site, or an absolute URL under its public address (canonical links,
    feeds and oEmbed are named absolutely, from ``RANDNOTIZ_BASE_URL``)."""
    base = settings.RANDNOTIZ_BASE_URL.rstrip("/") + "/"
    if url.startswith(base):
        url = url[len(base) - 1 :]
    return same_origin_path(url)


NAMESPACE_PREFIXES = {
    "http://www.w3.org/1999/xlink": "xlink:",
    "http://www.w3.org/XML/1998/namespace": "xml:",
    "http://www.w3.org/2000/xmlns/": "",
}


def local_name(name):
    """``{namespace}name`` as html5lib writes it, as the prefixed name seen in markup."""
    if not name.startswith("{"):
        return name
    namespace, _, name = name[1:].partition("}")
    return NAMESPACE_PREFIXES.get(namespace, "") + name


def elements(page):
    """Parse ``page`` as a browser does (WHATWG HTML) and yield (tag, attributes, text)."""
    document = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    for element in document.iter():
        if not isinstance(element.tag, str):  # comments
            continue
        attrs = [(local_name(name), value) for name, value in element.attrib.items()]
        yield local_name(element.tag), attrs, element.text or ""


def unsafe_markup(page):
    """Return a description of every element, attribute or URL in ``page`` that is not allowed."""
    problems = []
    for tag, attrs, text in elements(page):
        if tag not in ALLOWED_TAGS:
            problems.append(f"element <{tag}>")
        names = [name for name, _ in attrs]
        for name, value in attrs:
            value = value or ""
            if name not in ALLOWED_ATTRIBUTES:
                problems.append(f"attribute {name!r} on <{tag}>")
            if name in URL_ATTRIBUTES:
                if name == "content":
                    value = meta_url(dict(attrs))
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"{scheme}: URL in {name} of <{tag}>")
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("type") == "application/ld+json":
                if "<" in text:
                    problems.append("markup inside JSON-LD")
                json.loads(text)
            elif not same_origin_path(attributes.get("src") or ""):
                problems.append(f"script not from this site: {attributes.get('src')!r}")
            elif text.strip():
                problems.append("inline script body")
        if tag == "style" and text not in inlined_stylesheets():
            problems.append("a <style> that is not one of ours")
        if tag == "link" and not own_url(attributes.get("href") or ""):
            problems.append(f"link to {attributes.get('href')!r}")
        if tag == "meta" and "http-equiv" in names:
            problems.append("meta http-equiv")
        if (
            tag == "a"
            and (attributes.get("target") or "")
            and "noopener" not in (attributes.get("rel") or "")
        ):
            problems.append("target without noopener")
    return problems
