"""Jinja2 environment for the pages: autoescape on for every template, shared globals."""

from __future__ import annotations

from datetime import datetime

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.config import PROJECT_ROOT, Settings
from app.extract.entities import model_status
from app.vocab import RELATION_LABELS, RELATIONS, VERDICTS

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
        model=model_status(),
    )
    env.filters["when"] = _when
    env.filters["thousands"] = lambda n: f"{n:,}"
    return Jinja2Templates(env=env)
