"""Read rendered HTML back in tests: visible text, whitespace collapsed, and element structure."""

from html.parser import HTMLParser

VOID_ELEMENTS = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}
# Their content is data for the browser (a script, JSON-LD, a style sheet), not text shown.
UNSHOWN_ELEMENTS = {"script", "style"}


class TextAndTags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []
        self.stack = []
        self.elements = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data):
        if not (self.stack and self.stack[-1] in UNSHOWN_ELEMENTS):
            self.text.append(data)


def parse_html(html):
    parser = TextAndTags()
    parser.feed(str(html))
    parser.close()
    return parser


def visible_text(html):
    return "".join(parse_html(html).text)


def normalised(text):
    return " ".join(text.split())
