"""Read an HTML form's fields the way a browser would submit them."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """Collect the successful controls of the form with ``form_id`` (or the first form)."""

    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self.done and not self.in_form:
            self.in_form = self.form_id is None or attributes.get("id") == self.form_id
            return
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append([name, attributes.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append([self.select, attributes.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "textarea" and self.textarea is not None:
            # As browsers do: one newline right after <textarea> is not part of the value.
            self.textarea[1] = self.textarea[1].removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def form_fields(html, form_id=None):
    """Return the form's fields as a list of ``(name, value)`` pairs, in document order."""
    parser = FormFields(form_id)
    parser.feed(html)
    parser.close()
    return [(name, value) for name, value in parser.fields]
