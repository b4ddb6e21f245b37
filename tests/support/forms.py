"""Read an HTML page's forms and submit them the way a browser would."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError

NOT_SENT = {"submit", "button", "image", "file", "reset"}


@dataclass
class Control:
    """One named control: an input, a textarea or a select, with what a browser knows of it."""

    name: str
    kind: str  # the input's type, or "textarea", "select"
    value: str = ""
    checked: bool = False
    disabled: bool = False
    readonly: bool = False
    multiple: bool = False
    options: list = field(default_factory=list)  # a select's option values, in order
    selected: list = field(default_factory=list)  # the values of its selected options

    def sent(self):
        """The values a browser submits for this control (none when disabled or unchecked)."""
        if self.disabled or self.kind in NOT_SENT:
            return []
        if self.kind in {"checkbox", "radio"}:
            return [self.value] if self.checked else []
        if self.kind == "select":
            if self.selected or self.multiple:
                return list(self.selected)
            return self.options[:1]  # a single select without a selection sends its first
        return [self.value]


@dataclass
class HtmlForm:
    attributes: dict
    controls: list = field(default_factory=list)

    @property
    def id(self):
        return self.attributes.get("id")

    @property
    def method(self):
        return (self.attributes.get("method") or "get").lower()

    @property
    def action(self):
        return self.attributes.get("action") or ""

    def data(self):
        """The ``(name, value)`` pairs a browser submits, in document order, no button."""
        return [(control.name, value) for control in self.controls for value in control.sent()]


class FormReader(HTMLParser):
    """Collect every form of a page with its named controls."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.textarea = None
        self.select = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.form is None:
            self.form = HtmlForm(attributes)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attributes.get("name")
        disabled = "disabled" in attributes
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.form.controls.append(
                Control(
                    name,
                    kind,
                    attributes.get("value", default) or default,
                    checked="checked" in attributes,
                    disabled=disabled,
                    readonly="readonly" in attributes,
                )
            )
        elif tag == "textarea" and name:
            self.textarea = Control(
                name, "textarea", disabled=disabled, readonly="readonly" in attributes
            )
            self.form.controls.append(self.textarea)
        elif tag == "select" and name:
            self.select = Control(
                name, "select", disabled=disabled, multiple="multiple" in attributes
            )
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [attributes.get("value"), "", "selected" in attributes]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            # As browsers do: one newline right after <textarea> is not part of the value.
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None
        elif tag == "option":
            self.close_option()
        elif tag == "select":
            self.close_option()
            self.select = None

    def close_option(self):
        if self.option is None or self.select is None:
            return
        value, text, selected = self.option
        value = text.strip() if value is None else value
        self.select.options.append(value)
        if selected:
            self.select.selected.append(value)
        self.option = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        elif self.option is not None:
            self.option[1] += data


def page_forms(html):
    """Return every form of the page, in document order."""
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


def form_fields(html, form_id=None):
    """Return the form's fields as a list of ``(name, value)`` pairs, in document order.

    The form with id ``form_id``, or the first form of the page.
    """
    forms = page_forms(html)
    chosen = [form for form in forms if form_id is None or form.id == form_id]
    return chosen[0].data() if chosen else []


# What a form's fields become when a test posts a form back "with changed values".
CHANGED_SUFFIXES = (" geändert", "-x")
FILLED = "Geändert-7f3a"  # valid as a name, a title or a username
PASSWORD = "Kennwort-9c1d-lang-genug"  # long enough, unlike any username
FILLED_BY_TYPE = {
    "SlugField": "geaendert-x",
    "URLField": "https://example.org/geaendert",
    "EmailField": "geaendert@example.org",
}


def django_fields(response):
    """Map the HTML names of the fields of the forms a page rendered to ``(field, form, extra)``.

    The main form of an admin page (``adminform``) or any other page (``form``), and the forms
    of its inlines; ``extra`` is true for an inline's empty extra form.
    """
    context = response.context
    if context is None:
        return {}
    adminform = context.get("adminform")
    main = adminform.form if adminform is not None else context.get("form")
    forms = [(main, False)] if hasattr(main, "fields") else []
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        initial = formset.initial_form_count()
        forms += [(form, index >= initial) for index, form in enumerate(formset.forms)]
    return {
        form.add_prefix(name): (field, form, extra)
        for form, extra in forms
        for name, field in form.fields.items()
    }


def changed_data(form, fields):
    """The ``(name, value)`` pairs of ``form`` as a browser sends them, with values changed.

    ``fields`` (from ``django_fields``) says what each control is. Text gets a suffix (the first
    that the field and its model field accept), a choice the object stores the next option,
    required fields and password boxes left empty a valid value (numbers 0, 1, 2, ... in form
    order, so a start comes before its end); booleans, numbers, dates, relations, hidden and
    read-only fields and the empty extra forms of inlines stay as they are. The result is what
    an editor could have typed, so a user allowed to save it changes something.
    """
    data, radios_done, numbers = [], set(), iter(range(100))
    for control in form.controls:
        hint = fields.get(control.name)
        kept = control.kind == "hidden" or control.disabled or control.readonly
        if hint is None or hint[2] or kept:
            data += [(control.name, value) for value in control.sent()]
        elif control.kind == "radio":
            if control.name not in radios_done:
                radios_done.add(control.name)
                data.append((control.name, _radio(form, control.name, *hint[:2])))
        else:
            data += [(control.name, value) for value in _changed(control, *hint[:2], numbers)]
    return data


def _radio(form, name, field, django_form):
    group = [control for control in form.controls if control.name == name]
    checked = [control.value for control in group if control.checked]
    others = [control.value for control in group if control.value not in checked]
    if not _stored_choice(django_form, name):
        others = []
    return (others or checked or [""])[0]


def _stored_choice(django_form, html_name):
    """Whether the field is a model field's choice: a value the object stores, not a mode."""
    model = getattr(getattr(django_form, "_meta", None), "model", None)
    name = html_name.removeprefix(f"{django_form.prefix}-") if django_form.prefix else html_name
    return model is not None and name in {field.name for field in model._meta.get_fields()}


def _changed(control, field, form, numbers):
    sent = control.sent()
    current = sent[0] if sent else ""
    if isinstance(field, forms.ModelChoiceField):
        if current or not field.required or control.multiple:
            return sent
        first = field.queryset.first()
        return [str(first.pk)] if first is not None else sent
    if isinstance(field, forms.ChoiceField):
        if control.multiple or not _stored_choice(form, control.name):
            return sent
        others = [option for option in control.options if option and option != current]
        return others[:1] or sent
    if isinstance(field, forms.IntegerField) and not current and field.required:
        return [str(next(numbers))]  # 0, 1, 2, ... in form order: a start before its end
    if not isinstance(field, forms.CharField):
        return sent  # booleans, numbers, dates: as they were
    if current:
        candidates = [current + suffix for suffix in CHANGED_SUFFIXES]
    elif control.kind == "password":
        candidates = [PASSWORD]
    elif field.required:
        candidates = [FILLED_BY_TYPE.get(type(field).__name__, FILLED)]
    else:
        return sent
    valid = [value for value in candidates if _accepts(field, form, control.name, value)]
    return valid[:1] or sent


def _accepts(field, form, html_name, value):
    """Whether the form field and, for a model form, its model field accept ``value``."""
    try:
        cleaned = field.clean(value)
        model = getattr(getattr(form, "_meta", None), "model", None)
        if model is not None:
            name = html_name.removeprefix(f"{form.prefix}-") if form.prefix else html_name
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                return True
            if model_field.concrete and not model_field.many_to_many:
                model_field.run_validators(cleaned)
    except ValidationError:
        return False
    return True
