"""The origin of a provenance group, and why.

    choose_origin(members: {id: ArticleInfo}) -> Origin(article, reason)

The origin is the **earliest published** version when every member has a publication date
and one is earlier than the rest. Otherwise it is the **most complete** version, compared
in this order:

1. the original wording: the most sentences found word for word in another copy. Copies
   keep the wording they copied; a paraphrase keeps none, so it never wins over versions
   that agree word for word.
2. the author's bio, which copies strip.
3. the most text (characters of content).

The reason names what decided, as a reader would finish "chosen because it …". When
nothing tells the members apart (identical copies without dates), there is no origin:
guessing one would mislead an analyst.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleInfo:
    has_bio: bool = False  # the text carries its author's bio
    published: str | None = None  # ISO 8601 date when known
    kept: int = 0  # most sentences it shares word for word with another member
    content_chars: int = 0  # characters of content (paragraphs)


@dataclass(frozen=True)
class Origin:
    article: int | None
    reason: str


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def choose_origin(members: Mapping[int, ArticleInfo]) -> Origin:
    if not members:
        return Origin(None, "no members")
    dates = {m: info.published for m, info in members.items()}
    if all(dates.values()) and len(members) > 1:
        ordered = sorted(members, key=lambda m: (str(dates[m]), m))
        first, second = ordered[0], ordered[1]
        if str(dates[first]) < str(dates[second]):
            return Origin(
                first, f"was published first ({dates[first]}; the next copy {dates[second]})"
            )

    def rank(m: int) -> tuple[int, bool, int]:
        info = members[m]
        return info.kept, info.has_bio, info.content_chars

    ordered = sorted(members, key=lambda m: (rank(m), -m), reverse=True)
    best = ordered[0]
    if len(ordered) == 1:
        return Origin(best, "the only version")
    top, runner = members[best], members[ordered[1]]
    if rank(best) == rank(ordered[1]):
        return Origin(None, "the versions are alike and undated: nothing tells which came first")
    shared = _plural(top.kept, "sentence")
    wording = f"keeps the original wording ({shared} word for word in another copy)"
    if top.kept > runner.kept:
        return Origin(best, wording)
    said = [wording] if top.kept else []
    if top.has_bio != runner.has_bio:
        said.append("is the only version with its author's bio, which copies strip")
    else:
        said.append(
            f"is the most complete ({top.content_chars:,} characters of text, "
            f"the next {runner.content_chars:,})"
        )
    return Origin(best, " and ".join(said))
