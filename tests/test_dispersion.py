from types import SimpleNamespace

from articleapp.dispersion import render_svg
from articleapp.overview import Mention
from tests.support.html import parse_html


def entity(name, kind="organisation"):
    return SimpleNamespace(name=name, kind=kind)


def test_plot_has_title_description_and_a_link_per_filled_cell():
    """Each entity × paragraph cell with mentions links to its paragraph with a readable label."""
    mentions = [
        Mention(entity("Mistral AI"), 3, {1: 2, 3: 1}),
        Mention(entity("Paris", "place"), 1, {2: 1}),
    ]
    svg = str(render_svg(mentions, [1, 2, 3]))
    parsed = parse_html(svg)
    assert parsed.balanced
    tags = [tag for tag, _ in parsed.elements]
    assert tags[0] == "svg" and "title" in tags and "desc" in tags
    links = [attrs for tag, attrs in parsed.elements if tag == "a"]
    assert [link["href"] for link in links] == ["#p-1", "#p-3", "#p-2"]
    assert all(link["aria-label"] for link in links)
    assert "plot-place" in svg
    empty_cells = [attrs for tag, attrs in parsed.elements if attrs.get("class") == "plot-empty"]
    [grid] = [
        attrs for tag, attrs in parsed.elements if attrs.get("fill") == "url(#dispersion-empty)"
    ]
    assert len(empty_cells) == 1
    assert (grid["width"], grid["height"]) == ("72", "48")  # 3 paragraphs × 2 entities of 24 px


def test_empty_cells_add_no_elements():
    """Ten times the paragraphs add their column numbers and nothing for the empty cells."""
    mentions = [Mention(entity(f"Entität {n}"), 1, {1: 1}) for n in range(100)]
    narrow = parse_html(str(render_svg(mentions, range(1, 11)))).elements
    wide = parse_html(str(render_svg(mentions, range(1, 101)))).elements
    assert len(wide) - len(narrow) == 90


def test_plot_escapes_entity_names():
    """An entity name with markup is text in the SVG, never an element."""
    svg = str(render_svg([Mention(entity('<script>"x"</script>'), 1, {1: 1})], [1]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_no_plot_without_mentions():
    """An article without entity mentions gets no plot."""
    assert render_svg([], [1, 2]) == ""
