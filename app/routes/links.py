"""Links between claims and notes, made from the panels: the claim picked by its words (or
named as claim:12, annotation:7, a pasted URL), a relation and an optional note."""

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.routes.deps import AnalystDep, Templates, WriteSession
from app.routes.rendering import claim_panel, form_model, panel_for
from app.schemas import LinkCreate
from app.services import link_write, lookups
from app.services.errors import Invalid

router = APIRouter(include_in_schema=False)

_TARGET = re.compile(r"(?:^|/|\b)(claims?|annotations?|ann)[:/](\d+)\b")
# Words that name a target without a choice from the picker's list, as a JavaScript regular
# expression too: the form's script lets them through and asks for a choice otherwise.
REFERENCE = rf"^\s*\d+\s*$|{_TARGET.pattern}"


class LinkForm(BaseModel):
    """The panels' "Link this to …" form: the claim chosen in the picker (`target`,
    "claim:12"), else what was typed (`q`: claim:12, annotation:7, a pasted URL)."""

    relation: str
    target: str = Field(default="", max_length=500)
    q: str = Field(default="", max_length=500)
    note: str = Field(default="", max_length=5000)

    def link(self, **source: int) -> LinkCreate:
        named = link_target(self.target or self.q)
        return form_model(LinkCreate, **source, relation=self.relation, note=self.note, **named)


def link_target(text: str) -> dict[str, int]:
    """`claim:12`, `annotation:7` (or `ann:7`), a pasted /claims/12 or /annotations/7 URL,
    or a bare claim number → the link's target fields."""
    text = text.strip()
    if text.isdigit():
        return {"target_claim_id": int(text)}
    match = _TARGET.search(text)
    if not match:
        raise Invalid(
            f"target: {text!r} names no claim: choose one from the list as you type "
            "(or give claim:123, annotation:45 or its URL)"
        )
    field = "target_claim_id" if match.group(1).startswith("claim") else "target_annotation_id"
    return {field: int(match.group(2))}


@router.post("/claims/{claim_id}/links")
def link_claim(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    form: Annotated[LinkForm, Form()],
) -> Response:
    link_write.create(session, form.link(source_claim_id=claim_id), analyst)
    return claim_panel(request, templates, session, claim_id)


@router.post("/annotations/{annotation_id}/links")
def link_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    form: Annotated[LinkForm, Form()],
) -> Response:
    link_write.create(session, form.link(source_annotation_id=annotation_id), analyst)
    return panel_for(request, templates, session, lookups.annotation(session, annotation_id))


@router.delete("/links/{link_id}")
def unlink(
    link_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    claim: int | None = None,
    annotation: int | None = None,
) -> Response:
    """A link deleted from the panel of its claim (`claim`) or its note (`annotation`)."""
    link_write.delete(session, link_id, analyst)
    if annotation is not None:
        return panel_for(request, templates, session, lookups.annotation(session, annotation))
    if claim is None:
        raise Invalid("claim or annotation: the panel to show again")
    return claim_panel(request, templates, session, claim)
