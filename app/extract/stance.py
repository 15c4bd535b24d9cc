"""What a sentence does: state a fact, or forecast, judge or ask.

A claim is something a fact-checker could verify. Sentences whose every assertion is about
the future or a hypothetical ("will", "is expected to", plans, conditionals) are forecasts;
value judgements and recommendations ("should", "it is encouraging", "I think") are
opinions; neither is a claim. A sentence that also states a past or present fact in a
clause of its own ("with over 95% of the votes counted, the VVD is projected to win …") is
a claim. Pure rules over the sentence's words; the choices are recorded in
docs/decisions/0021-what-counts-as-a-claim.md."""

from __future__ import annotations

import re
from typing import Literal

Stance = Literal["fact", "forecast", "opinion", "question"]

_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|would|could|might|cannot|can['’]t|going\s+to"
    r"|may(?!\s+\d)(?=\s+(?:be|have|not|also|well|help|need|take|see|make|reach|face|lead|"
    r"rise|fall|continue|become|get|cause|slow|come|change|affect|end|remain|increase|"
    r"decrease|grow|drop|hit|prove|lose|win|want|soon|still|only|never|eventually)\b)"
    r"|(?:is|are|was|were|be|been|'s|’s)\s+(?:(?:also|now|still|not|widely|currently)\s+)?"
    r"(?:expected|set|projected|forecast|predicted|likely|unlikely|poised|due|scheduled"
    r"|slated|bound|about|planning|preparing)\s+to"
    r"|expects?\s+(?:\w+\s+){0,5}to|plans?\s+to|intends?\s+to|aims?\s+to|vowed\s+to"
    r"|promised\s+to|is\s+projected|are\s+projected|outlook|prospects?\s+for"
    r"|likely|in\s+the\s+coming\s+(?:days|weeks|months|years)|next\s+(?:week|month|year))\b"
    r"|['’]ll\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(r"(?:^|[,;:—–]\s*|\b(?:and|but)\s+)(?:if|unless|should)\b", re.I)
_OPINION = re.compile(
    r"\b(?:should|must|ought\s+to|needs?\s+to|have\s+to|has\s+to"
    r"|I\s+(?:think|believe|feel|hope|recognize|guess|fear|am\s+(?:confident|sure))"
    r"|we\s+(?:think|believe|hope|need|should|feel|know\s+how)|in\s+my\s+view|my\s+guess"
    r"|(?:it\s+is|it['’]s)\s+(?:important|clear|encouraging|essential|vital|crucial|time)"
    r"|seems?\s+to|appears?\s+to|great\s+concern|brilliant|satisfied|pleased|optimistic"
    r"|scathing|underestimate|disjointed|wholly|deserve|remarkable|disgrace"
    r"|shameful|welcome\s+(?:news|step)|we\s+are\s+(?:proud|delighted|excited|happy))\b",
    re.IGNORECASE,
)
# A clause states a fact when it has a past or perfect verb, or a present-tense state,
# outside the reporting frame ("X said") and the future construction.
_FACT_VERB = re.compile(
    r"\b(?:was|were|had|did|has|have|is|are|(?:has|have|had)\s+(?:\w+\s+)?\w+(?:ed|en|wn)"
    r"|\w{3,}ed|rose|fell|grew|won|lost|led|left|began|came|went|saw|found|became|held|kept"
    r"|met|paid|sent|spent|stood|struck|brought|bought|built|caught|chose|drove|fought|hit"
    r"|knew|meant|sold|shot|sought|spoke|stole|threw|took|gave|made|told|wrote|ran|shrank"
    r"|slid|swept|stands|remains|shows|includes|counted|confirmed)\b",
    re.IGNORECASE,
)
_NOT_FACT = re.compile(
    r"\b(?:said|says|say|told|warned|announced|added|noted|stated|reported|according\s+to"
    r"|expected|predicted|forecast|projected|estimated)\b",
    re.IGNORECASE,
)
_PAST_TIME = re.compile(
    r"\b(?:in|than\s+in|since|during|on)\s+(?:19|20)\d\d\b|\b(?:last|previous|past)\s+"
    r"(?:year|month|week|election)|\bago\b|\bearlier\s+this\b|\bso\s+far\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r"[,;:—–()]|\s-{1,2}\s|\b(?:and|but|while|although|though|after|since|with|as|because)\b"
)
# "the military, which must constantly train new soldiers": a need stated as a fact
_RELATIVE_NEED = re.compile(
    r"\b(?:which|who|that)\s+(?:must|should|needs?\s+to|has\s+to|have\s+to)\b"
)
_REPORTED = re.compile(r"\b(?:reportedly|allegedly)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[“\"][^“”\"]*[”\"]")


def stance(sentence: str) -> Stance:
    """Whether a sentence states a fact, or only forecasts, judges or asks."""
    body = sentence.strip()
    if body.rstrip("”\"’') ").endswith("?"):
        return "question"
    if _FUTURE.search(body) or _CONDITIONAL.search(body):
        clauses = [c for c in _CLAUSE.split(body) if c and c.strip()]
        if not any(_states_fact(c) for c in clauses):
            return "forecast"
    judged = _RELATIVE_NEED.sub(" ", body)
    if _OPINION.search(judged):
        # "it's clear that …, including reportedly firing its first missile": a sentence
        # that mixes a judgement with a fact of its own is a claim.
        clauses = [c for c in _CLAUSE.split(judged) if c and c.strip()]
        if not any(_REPORTED.search(c) and not _OPINION.search(c) for c in clauses):
            return "opinion"
    return "fact"


def _states_fact(clause: str) -> bool:
    if _FUTURE.search(clause) or _CONDITIONAL.search(clause):
        return False
    if _REPORTED.search(clause):
        return True  # "including reportedly firing its first missile": a reported fact
    remaining = _NOT_FACT.sub(" ", clause)
    return _FACT_VERB.search(remaining) is not None or _PAST_TIME.search(clause) is not None


def is_forecast_or_opinion(sentence: str) -> bool:
    return stance(sentence) != "fact"
