"""The claim filter: one model for every list of claims — the JSON API, the claims page,
the exports, the command line and collections' saved filters.

An empty field means "any", as a browser sends a form whose "all articles" is chosen
(`?article=&status=disputed`); spaces in text are collapsed, and text of spaces alone is
empty too. Routes take these models through FastAPI's `Query()` / `Form()`, so each field
is parsed and refused (422, naming the field) in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.annotation_rules import MAX_ANALYST_CHARS
from app.corrections import KINDS
from app.schemas import MAX_ID, VerdictName
from app.services.errors import Invalid
from app.vocab import CONTESTED, VERDICTS
from app.words import MAX_QUERY_CHARS, MAX_QUERY_WORDS, query_words

MAX_FILTER_CHARS = 500


def _blank_is_any(limit: int) -> Any:
    """Spaces collapsed and nothing but spaces is "any"; the limit holds for the text as
    sent (as the schema says), not only for what is left once spaces are collapsed."""

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if len(value) > limit:
            raise PydanticCustomError(
                "string_too_long", "at most {limit} characters", {"limit": limit}
            )
        return " ".join(value.split()) or None

    return check


def _query(value: Any) -> Any:
    """A search query: the character limit holds for the text as sent, then the words'."""
    value = _blank_is_any(MAX_QUERY_CHARS)(value)
    if isinstance(value, str):
        try:
            query_words(value)
        except ValueError as exc:
            raise PydanticCustomError("query", str(exc)) from None
    return value


def _empty_is_any(value: Any) -> Any:
    return None if value == "" else value


def _number(value: Any) -> Any:
    value = _empty_is_any(value)
    if isinstance(value, str) and not value.lstrip("+-").isdigit():
        raise PydanticCustomError("number", "expected a number, got '{value}'", {"value": value})
    return value


def _one_of(names: tuple[str, ...], what: str = "verdict") -> Any:
    def check(value: Any) -> Any:
        value = _empty_is_any(value)
        if value is not None and value not in names:
            known = ", ".join(names)
            raise PydanticCustomError(
                what,
                "'{value}' is not a " + what + " (one of {known})",
                {"value": value, "known": known},
            )
        return value

    return check


def _or_empty(schema: dict[str, Any]) -> WithJsonSchema:
    """The schema of a field that a form may also send empty (meaning "any")."""
    return WithJsonSchema({"anyOf": [schema, {"type": "string", "maxLength": 0}, {"type": "null"}]})


StatusName = Literal[VerdictName, "contested"]
AnyId = Annotated[
    Annotated[int, Field(ge=1, le=MAX_ID)] | None,
    BeforeValidator(_number),
    _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
]
AnyText = Annotated[
    Annotated[str, Field(max_length=MAX_FILTER_CHARS)] | None,
    BeforeValidator(_blank_is_any(MAX_FILTER_CHARS)),
]
AnyQuery = Annotated[str | None, BeforeValidator(_query)]
AnyAnalyst = Annotated[
    Annotated[str, Field(max_length=MAX_ANALYST_CHARS)] | None,
    BeforeValidator(_blank_is_any(MAX_ANALYST_CHARS)),
]
AnyStatus = Annotated[
    StatusName | None,
    BeforeValidator(_one_of((*VERDICTS, CONTESTED))),
    _or_empty({"enum": [*VERDICTS, CONTESTED]}),
]
AnyVerdict = Annotated[
    VerdictName | None, BeforeValidator(_one_of(tuple(VERDICTS))), _or_empty({"enum": [*VERDICTS]})
]
AnyBool = Annotated[bool | None, BeforeValidator(_empty_is_any), _or_empty({"type": "boolean"})]
SEARCH_KINDS = ("article", "claim", "annotation", "entity")
AnyKind = Annotated[
    Literal["article", "claim", "annotation", "entity"] | None,
    BeforeValidator(_empty_is_any),
    _or_empty({"enum": list(SEARCH_KINDS)}),
]


class Filter(BaseModel):
    """A filter's fields as query parameters; unknown parameters (offset, group, …) are
    left to the route."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Any:
        """From query parameters, command-line options or a saved filter; a bad value is
        `Invalid`, naming the field."""
        try:
            return cls.model_validate(dict(params))
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            raise Invalid(f"{where}: {problem['msg']}") from None

    def params(self) -> dict[str, str]:
        """The fields that choose something, as query parameters."""
        out: dict[str, str] = {}
        for name, value in self:
            if value is not None:
                out[name] = (
                    ("true" if value else "false") if isinstance(value, bool) else str(value)
                )
        return out

    def is_empty(self) -> bool:
        return not self.params()


class ClaimFilter(Filter):
    """Which claims: every field left empty means "any"."""

    article: AnyId = None
    status: AnyStatus = Field(
        default=None, description="The standing verdict: a verdict, or contested."
    )
    tag: AnyText = None
    entity: AnyId = None
    analyst: AnyAnalyst = Field(
        default=None, description="Claims this analyst annotated or judged."
    )
    q: AnyQuery = Field(
        default=None,
        description=f"Words of the claim (at most {MAX_QUERY_WORDS} words, "
        f"{MAX_QUERY_CHARS} characters).",
    )
    kind: AnyText = None
    attribution: AnyText = Field(default=None, description="Words of the attributed source.")
    figure: AnyBool = Field(default=None, description="Only claims with (or without) a figure.")


class ExportFilter(ClaimFilter):
    """What to export: the claim filter, or a collection narrowed by it."""

    collection: AnyText = Field(default=None, description="A collection's name or number.")

    def without_collection(self) -> ExportFilter:
        return self.model_copy(update={"collection": None})

    def claims(self) -> ClaimFilter:
        return ClaimFilter(**self.model_dump(exclude={"collection"}))


class AnnotationFilter(Filter):
    """Which annotations (`GET /api/annotations`)."""

    article: AnyId = None
    analyst: AnyAnalyst = None
    tag: AnyText = None
    status: AnyVerdict = Field(
        default=None,
        description="A passage note's verdict, or the standing verdict of the note's claim.",
    )


class CorrectionFilter(Filter):
    """Which corrections (`GET /api/corrections`, the corrections pages)."""

    article: AnyId = None
    kind: Annotated[
        str | None,
        BeforeValidator(_one_of(KINDS, "kind of correction")),
        _or_empty({"enum": list(KINDS)}),
    ] = None
    analyst: AnyAnalyst = None


_WORDS_TO_FIND = f"Words to find (at most {MAX_QUERY_WORDS} words, {MAX_QUERY_CHARS} characters)."


class SearchQuery(Filter):
    """What the search page looks for (nothing yet when `q` is empty)."""

    q: str = Field(default="", max_length=MAX_QUERY_CHARS, description=_WORDS_TO_FIND)
    kind: AnyKind = Field(
        default=None, description="Only results of this kind: article, claim, annotation, entity."
    )


class SearchApiQuery(SearchQuery):
    """What `GET /api/search` looks for: the words are required."""

    q: str = Field(max_length=MAX_QUERY_CHARS, description=_WORDS_TO_FIND)
