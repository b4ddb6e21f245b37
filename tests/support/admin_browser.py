"""Steps an editor takes in the admin, for the browser tests: sign in, open the Annotate page,
select words in a paragraph exactly as a mouse drag does, choose an entity."""

from django.urls import reverse

from tests.support.factories import make_user

PASSWORD = "a-long-test-passphrase"
EDITOR_PERMISSIONS = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("articleapp", "article"),
        ("articleapp", "paragraph"),
        ("articleapp", "entity"),
        ("articleapp", "entityalias"),
        ("articleapp", "annotation"),
        ("taggit", "tag"),
    ]
    for action in ("add", "change", "delete", "view")
]

# Finds the words in a paragraph's text nodes and selects them, exactly as a mouse drag does;
# returns the selection's bounding box so a test can also click or double-click there.
SELECT_WORDS = """
([paragraphId, quote, occurrence]) => {
  const paragraph = document.querySelector(`.rn-paragraph[data-paragraph="${paragraphId}"]`);
  let start = -1;
  for (let i = 0; i <= occurrence; i++) {
    start = paragraph.textContent.indexOf(quote, start + 1);
  }
  const end = start + quote.length;
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent.length;
    if (seen <= start && start <= seen + length) { range.setStart(node, start - seen); }
    if (seen <= end && end <= seen + length) { range.setEnd(node, end - seen); break; }
    seen += length;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const box = range.getBoundingClientRect();
  return {x: box.x, y: box.y, width: box.width, height: box.height};
}
"""


def make_editor(username="editor"):
    return make_user(username=username, is_staff=True, permissions=EDITOR_PERMISSIONS)


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def open_annotate(page, live_server, article, **query):
    url = live_server.url + reverse("admin:articleapp_article_annotate", args=[article.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    page.goto(url)


def select_words(page, paragraph, quote, occurrence=0):
    """Select ``quote`` in the paragraph and wait until the form has taken it."""
    page.evaluate(SELECT_WORDS, [paragraph.pk, quote, occurrence])
    page.wait_for_function(
        "quote => document.querySelector('#id_quote').value === quote", arg=quote
    )


def choose_entity(page, name):
    page.click(".field-entity .select2-selection")
    page.fill(".select2-search__field", name[:3])
    page.click(f".select2-results__option:has-text('{name}')")
