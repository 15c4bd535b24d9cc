"""Jinja2 environment for the pages: autoescape on for every template, shared globals."""

from __future__ import annotations

from datetime import datetime

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.config import PROJECT_ROOT, Settings
from app.corrections import KIND_NAMES
from app.extract.entities import model_status
from app.routes.links import REFERENCE
from app.routes.refusal import refill
from app.vocab import (
    ENTITY_GROUPS,
    GROUP_OF_LABEL,
    LABEL_WORDS,
    NAME_LABELS,
    READING_MODES,
    RELATION_LABELS,
    RELATIONS,
    TAG_COLOURS,
    VERDICTS,
)
from app.words import MAX_QUERY_CHARS, QUOTE_MARKS

HTMX_FILE = "vendor/htmx-2.0.11.min.js"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def make_templates(settings: Settings) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        verdicts=VERDICTS,
        relations=RELATIONS,
        relation_labels=RELATION_LABELS,
        htmx_file=HTMX_FILE,
        reading_modes=READING_MODES,
        entity_groups=ENTITY_GROUPS,
        group_of_label=GROUP_OF_LABEL,
        label_words=LABEL_WORDS,
        name_labels=NAME_LABELS,
        tag_colours=TAG_COLOURS,
        model=model_status(),
        max_query_chars=MAX_QUERY_CHARS,
        link_reference=REFERENCE,
        correction_kinds=KIND_NAMES,
        refill=refill,
    )
    env.filters["when"] = _when
    env.filters["thousands"] = lambda n: f"{n:,}"
    # Words a page puts in its own quotation marks, without the ones they came with.
    env.filters["bare"] = lambda s: str(s).strip(QUOTE_MARKS)
    return Jinja2Templates(env=env)
