import pytest
from hypothesis import given
from hypothesis import strategies as st

from articleapp.exports import FORMATS, ExportContext, conll
from articleapp.models import Annotation
from tests.support.factories import annotate_quote, make_article, make_entity

CONTEXT = ExportContext(base_url="https://randnotiz.example")


def exported(annotations, context=CONTEXT):
    return b"".join(FORMATS["conll"].stream(annotations, context)).decode()


def words(text):
    return [token for token, _start, _end in conll.tokenize(text)]


def test_german_quotes_and_punctuation_are_tokens():
    """„…“ quotes, brackets and punctuation stand alone; inner hyphens stay in words."""
    text = "Die „KI-Initiative“ (Mistral) sagt: 3,5 Mio. Euro, z.B. für Bürger."
    assert words(text) == [
        "Die", "„", "KI-Initiative", "“", "(", "Mistral", ")", "sagt", ":", "3,5", "Mio.",
        "Euro", ",", "z.B.", "für", "Bürger", ".",
    ]  # fmt: skip


def test_abbreviations_and_ordinals_keep_their_dot():
    """Dr., z. B. and an ordinal before a month do not end a sentence."""
    tokens = conll.tokenize("Dr. Weber sprach am 3. Mai, z. B. über KI. Dann ging er.")
    assert [t[0] for t in tokens][:7] == ["Dr.", "Weber", "sprach", "am", "3.", "Mai", ","]
    sentences = conll.sentences(tokens)
    assert len(sentences) == 2
    assert [t[0] for t in sentences[1]] == ["Dann", "ging", "er", "."]


def test_closing_quote_stays_with_its_sentence():
    """A sentence that ends inside quotes keeps the closing quote."""
    tokens = conll.tokenize("Er sagte: „Das geht.“ Dann schwieg er.")
    first, second = conll.sentences(tokens)
    assert [t[0] for t in first][-2:] == [".", "“"]
    assert second[0][0] == "Dann"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200))
def test_tokens_are_the_text_without_spaces(text):
    """Tokens are in order, do not overlap, match the text at their offsets and cover it."""
    tokens = conll.tokenize(text)
    position = 0
    for token, start, end in tokens:
        assert start >= position and text[start:end] == token and token
        assert not text[position:start].strip()
        position = end
    assert not text[position:].strip()
    assert sum(len(sentence) for sentence in conll.sentences(tokens)) == len(tokens)


def test_overlapping_spans_keep_the_earlier_longer_one():
    """IOB cannot overlap: the earlier, then the longer span wins."""
    tokens = conll.tokenize("Mistral AI baut")
    tags = conll.tag_tokens(
        tokens, [(0, 7, "MISC"), (0, 10, "ORG"), (8, 15, "LOC"), (11, 15, "LOC")]
    )
    assert tags == ["B-ORG", "I-ORG", "B-LOC"]


@pytest.mark.django_db
def test_conll_export_tags_entities_by_kind():
    """Kinds map to PER/ORG/LOC/MISC; unannotated text is O; articles start with -DOCSTART-."""
    article = make_article(paragraphs=["Arthur Mensch leitet Mistral AI in Paris.", "Ohne Namen."])
    paragraph = article.paragraphs.get(position=1)
    annotate_quote(paragraph, "Arthur Mensch", entity=make_entity(name="Mensch", kind="person"))
    annotate_quote(paragraph, "Mistral AI", entity=make_entity(name="Mistral AI"))
    annotate_quote(paragraph, "Paris", entity=make_entity(name="Paris", kind="place"))
    annotate_quote(paragraph, "leitet")  # no entity: not a named entity
    text = exported(Annotation.objects.all())
    assert text == (
        "-DOCSTART- O\n\n"
        "Arthur B-PER\nMensch I-PER\nleitet O\nMistral B-ORG\nAI I-ORG\nin O\nParis B-LOC\n. O\n\n"
        "Ohne O\nNamen O\n. O\n\n"
    )


@pytest.mark.django_db
def test_conll_export_of_the_seed(seeded):
    """The seeded article exports with B- tags for its organisations."""
    text = exported(Annotation.objects.all())
    assert text.startswith("-DOCSTART- O\n\n")
    assert "Microsoft B-ORG\n" in text
    assert all(len(line.split(" ")) == 2 for line in text.splitlines() if line)


@pytest.mark.django_db
def test_conll2003_docstart_is_the_line_spacy_splits_documents_on():
    """docstart=conll2003 writes "-DOCSTART- -X- O O" before each article, and nothing else
    changes. spaCy's ``conll_ner_to_docs`` (spacy/training/converters/conll_ner_to_docs.py)
    splits its input on exactly that line and reads every other line's first column as the word
    and the last as the tag: each article is then one document of the article's own tokens."""
    for slug, text in (("a", "Mistral baut in Paris."), ("b", "Nvidia liefert nach Köln.")):
        article = make_article(paragraphs=[text], slug=slug)
        word = text.split()[0]
        annotate_quote(article.paragraphs.get(), word, entity=make_entity(name=word))
    short = exported(Annotation.objects.all())
    four_columns = exported(
        Annotation.objects.all(), ExportContext(base_url="https://x", docstart="conll2003")
    )
    assert four_columns == short.replace("-DOCSTART- O\n", "-DOCSTART- -X- O O\n")
    documents = [doc.strip() for doc in four_columns.strip().split("-DOCSTART- -X- O O")]
    documents = [doc for doc in documents if doc]
    assert len(documents) == 2
    for document, first in zip(documents, ("Mistral", "Nvidia"), strict=True):
        rows = [line.split() for line in document.splitlines() if line.strip()]
        assert rows[0] == [first, "B-ORG"]
        assert all(len(row) == 2 and row[0] != "-DOCSTART-" for row in rows)
    # The two-column line, split the same way, is a word of the first document.
    assert short.strip().split("-DOCSTART- -X- O O")[0].startswith("-DOCSTART- O\n")


def test_unknown_docstart_is_refused():
    """An ExportContext with a document line it does not know is an error, not a silent default."""
    with pytest.raises(ValueError, match="docstart"):
        ExportContext(base_url="https://x", docstart="conll2000")
