"""Colours read from static/app.css, in the light and the dark theme: every text colour on
every background it is drawn on meets WCAG AA (4.5:1), and a note's highlight (the default
one and each tag colour) is unmistakable against every entity colour and the claim's."""

from __future__ import annotations

import math
import re

import pytest

from app.config import PROJECT_ROOT
from app.vocab import TAG_COLOURS

CSS = (PROJECT_ROOT / "static" / "app.css").read_text(encoding="utf-8")
AA = 4.5
NON_TEXT = 3.0  # WCAG 1.4.11: a mark's outline against what is around it
# CIE76 colour difference: about 2 is the smallest a reader notices; at 20 two fills are
# different colours at a glance. The old note fill (#f1e9ff) and nationality fill (#f3ecfb)
# were 3 apart.
UNMISTAKABLE = 20.0


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def themes() -> dict[str, dict[str, str]]:
    """The colours of each theme: the light ones, and the dark ones (which redefine all)."""
    light_block = re.search(r"^:root\s*\{(.*?)^\}", CSS, re.S | re.M)
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", CSS, re.S)
    assert light_block and dark_block, "app.css defines its colours in :root, light and dark"
    return {"light": _variables(light_block.group(1)), "dark": _variables(dark_block.group(1))}


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    r, g, b = (_linear(int(h[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return r, g, b


def luminance(hex_colour: str) -> float:
    r, g, b = _rgb(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(hex_colour: str) -> tuple[float, float, float]:
    r, g, b = _rgb(hex_colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def difference(a: str, b: str) -> float:
    return math.dist(lab(a), lab(b))


ENTITY_FILLS = ["ent-PERSON", "ent-ORG", "ent-GPE", "ent-LOC", "ent-NORP", "ent-FAC",
                "ent-EVENT", "ent-DATE", "ent-NUM"]  # fmt: skip
NOTE_FILLS = ["ann-bg", *(f"tag-{c}" for c in TAG_COLOURS)]
VERDICTS = ["v-corroborated", "v-disputed", "v-unverified", "v-false", "v-misleading",
            "v-contested"]  # fmt: skip
# (text colour, background) as the page draws them.
TEXT_ON = [
    *(("fg", bg) for bg in ["bg", "panel", "claim-bg", *ENTITY_FILLS, *NOTE_FILLS]),
    ("muted", "bg"), ("muted", "panel"), ("accent", "bg"), ("accent", "panel"),
    ("boiler", "bg"), ("bg", "fg"), ("panel", "accent"),
    *((v, bg) for v in VERDICTS for bg in ("bg", "panel")),
    *(("panel", v) for v in VERDICTS),  # a chosen verdict button
]  # fmt: skip


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), TEXT_ON, ids=[f"{t}/{b}" for t, b in TEXT_ON])
def test_text_meets_wcag_aa(theme: str, text: str, background: str) -> None:
    colours = themes()[theme]
    ratio = contrast(colours[text], colours[background])
    assert ratio >= AA, f"{theme}: --{text} on --{background} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("note", NOTE_FILLS)
def test_a_note_stands_out_from_every_entity_and_the_claim(theme: str, note: str) -> None:
    colours = themes()[theme]
    for other in [*ENTITY_FILLS, "claim-bg"]:
        apart = difference(colours[note], colours[other])
        assert apart >= UNMISTAKABLE, f"{theme}: --{note} and --{other} are {apart:.1f} apart"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_notes_outline_shows_on_its_fill_and_the_page(theme: str) -> None:
    colours = themes()[theme]
    for background in ("ann-bg", "bg"):
        assert contrast(colours["ann"], colours[background]) >= NON_TEXT, background


def test_the_measures_see_what_they_are_for() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") < AA  # a grey that fails AA on white
    assert difference("#f1e9ff", "#f3ecfb") < UNMISTAKABLE  # the old note and NORP fills
    assert set(themes()["dark"]) == set(themes()["light"])  # no light colour in the dark
