"""A provenance group drawn as a family: the origin on top, one row per copy, and labels cut
to the room on their row, so that no two can overlap; the compare view's direction words."""

from __future__ import annotations

import itertools

import pytest

from app.analysis.alignment import change_label
from app.render.graph import CHAR_WIDTH, LABEL_GAP, ROW, SIMILARITY_ROOM, WIDTH, family

LONG = "A headline that goes on and on, far longer than any row of the picture could hold " * 3


def test_the_origin_comes_first_and_its_copies_by_similarity() -> None:
    drawn = family([(1, "one"), (2, "two"), (3, "three")], 3, [(1, 3, 0.4), (2, 3, 0.9)])
    assert [(n.id, n.origin, n.similarity) for n in drawn.nodes] == [
        (3, True, None),
        (2, False, 0.9),
        (1, False, 0.4),
    ]
    assert drawn.lines[0].x1 == drawn.lines[0].x2  # the trunk under the origin


def test_every_label_has_a_row_of_its_own_and_ends_before_the_similarity() -> None:
    members = [(i, f"{LONG} {i}") for i in range(1, 8)]
    drawn = family(members, 4, [(a, 4, 0.5) for a in range(1, 8) if a != 4])
    for a, b in itertools.combinations(drawn.nodes, 2):
        assert abs(a.y - b.y) >= ROW
    for node in drawn.nodes:
        assert node.label.endswith("…") and node.title.startswith(node.label[:-1])
        label_end = node.x + LABEL_GAP + len(node.label) * CHAR_WIDTH
        assert label_end <= WIDTH - SIMILARITY_ROOM
    assert drawn.height >= drawn.nodes[-1].y


def test_without_an_origin_every_member_is_one_level() -> None:
    drawn = family([(1, "one"), (2, "two")], None, [(1, 2, 0.6)])
    assert {n.x for n in drawn.nodes} == {drawn.nodes[0].x}
    assert drawn.lines == []


@pytest.mark.parametrize(
    ("kind", "origin", "label"),
    [
        ("dropped", "left", "dropped by the copy"),
        ("added", "left", "added by the copy"),
        ("dropped", "right", "added by the copy"),
        ("added", "right", "dropped by the copy"),
        ("dropped", None, "only on the left"),
        ("added", None, "only on the right"),
        ("kept", None, "kept"),
    ],
)
def test_the_direction_is_named_only_when_the_origin_is_known(
    kind: str, origin: str | None, label: str
) -> None:
    assert change_label(kind, origin) == label  # type: ignore[arg-type]
