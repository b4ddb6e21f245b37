"""Pure: the word-level difference between two texts, for showing an edit as a reader sees it.

The texts are cut into tokens, each a run of word characters, a run of whitespace or a single
other character (so "Chip-Hersteller." is five tokens), and ``difflib.SequenceMatcher`` pairs
the tokens the two texts share. Between two changes, a stretch of nothing but whitespace counts
as changed too: "<del>a b</del><ins>x y</ins>" reads better than "<del>a</del><ins>x</ins>
<del>b</del><ins>y</ins>". Every character of both texts is in the result, in order: joining the
kept and removed segments gives the old text, the kept and added ones the new text.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

Kind = Literal["kept", "removed", "added"]


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


def tokens(text: str) -> list[str]:
    """Cut ``text`` into words, whitespace runs and single other characters."""
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Return the segments that turn ``old`` into ``new``; in each change, removed first."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    # autojunk would ignore frequent tokens (spaces, "die") in texts over 200 tokens and
    # produce needlessly large changes; paragraphs are short enough to compare in full.
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces: list[Segment] = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = "".join(old_tokens[old_start:old_end])
        added = "".join(new_tokens[new_start:new_end])
        if operation == "equal":
            pieces.append(Segment("kept", removed))
            continue
        if removed:
            pieces.append(Segment("removed", removed))
        if added:
            pieces.append(Segment("added", added))
    return _merged(_whitespace_joined(pieces))


def _whitespace_joined(pieces: list[Segment]) -> list[Segment]:
    """Count kept whitespace between two changes as removed and added again."""
    result: list[Segment] = []
    for index, piece in enumerate(pieces):
        between_changes = (
            piece.kind == "kept"
            and piece.text.isspace()
            and 0 < index < len(pieces) - 1
            and pieces[index - 1].kind != "kept"
            and pieces[index + 1].kind != "kept"
        )
        if between_changes:
            result += [Segment("removed", piece.text), Segment("added", piece.text)]
        else:
            result.append(piece)
    return result


def _merged(pieces: list[Segment]) -> list[Segment]:
    """Join each run of changes into one removed and one added segment, and kept runs into one."""
    result: list[Segment] = []
    removed, added = [], []

    def flush():
        if removed:
            result.append(Segment("removed", "".join(removed)))
        if added:
            result.append(Segment("added", "".join(added)))
        removed.clear()
        added.clear()

    for piece in pieces:
        if piece.kind == "removed":
            removed.append(piece.text)
        elif piece.kind == "added":
            added.append(piece.text)
        else:
            flush()
            if result and result[-1].kind == "kept":
                result[-1] = Segment("kept", result[-1].text + piece.text)
            else:
                result.append(piece)
    flush()
    return result
