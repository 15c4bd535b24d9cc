"""Claims with a verdict as schema.org ClaimReview objects (see docs/claimreview.md).

One ClaimReview per claim whose analysts agree on a verdict (a contested claim has none to
publish). Google's REQUIRED properties are always there: ``claimReviewed`` (a summary of
the claim of at most 75 characters that never contains a verdict word), ``reviewRating``
with ``alternateName`` (our verdict's name, capitalised) and ``url`` (the claim's page on
the configured publication site, which must be public: never localhost). The rating
number comes from `app.vocab.VERDICTS`, 1 worst to 5 best.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from app.export.records import ArticleRecord, ClaimRecord, ExportSet, verdicts_by_claim
from app.verdicts import standing_verdict
from app.vocab import CONTESTED, VERDICTS
from app.words import QUOTE_MARKS

__all__ = ["to_claimreviews", "claim_summary", "check_publication_url", "VERDICT_WORDS"]

SCHEMA = "https://schema.org"
MAX_SUMMARY = 75
WORST, BEST = 1, 5
VERDICT_WORDS = frozenset(
    {name for name in VERDICTS}
    | {v.rating_name.lower() for v in VERDICTS.values()}
    | {"true", "contested"}
)
# A verdict word standing as a word of its own: not inside a longer word ("falsehood").
_VERDICT_WORD = re.compile(
    r"(?<![^\W\d_])(" + "|".join(sorted(VERDICT_WORDS)) + r")(?![^\W\d_])", re.IGNORECASE
)
_LEAD_ATTRIBUTION = re.compile(r"^according to [^,]{1,80},\s*", re.IGNORECASE)


def scale_name() -> str:
    steps: dict[int, list[str]] = {}
    for v in sorted(VERDICTS.values(), key=lambda v: (v.rating, v.name)):
        steps.setdefault(v.rating, []).append(v.rating_name)
    listed = ", ".join(f"{n} {' or '.join(names)}" for n, names in steps.items())
    return f"Reading Room credibility scale, {WORST} (worst) to {BEST} (best): {listed}"


def check_publication_url(url: str) -> str:
    """The publication base URL without a trailing slash; ValueError if it is not a
    public http(s) address (ClaimReview's url must be on the site that publishes it)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"publication_url {url!r} must be an absolute http(s) URL")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local = host == "localhost" or host.endswith((".localhost", ".local")) or "." not in host
    else:
        local = address.is_loopback or address.is_private or address.is_unspecified
    if local:
        raise ValueError(
            f"publication_url {url!r} is not a public site: set READINGROOM_PUBLICATION_URL "
            "to where the fact checks are published"
        )
    return url.strip().rstrip("/")


def claim_summary(text: str, limit: int = MAX_SUMMARY) -> str:
    """A short summary of the claim for ``claimReviewed``: its words without a leading
    "According to …," and without verdict words, cut at a word boundary."""
    t = " ".join(text.split()).strip(QUOTE_MARKS)
    t = _without_verdicts(_LEAD_ATTRIBUTION.sub("", t))
    if t:
        t = t[0].upper() + t[1:]
    if len(t) > limit:
        cut = t[: limit - 1]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rindex(" ")]
        # A cut inside a longer word ("TRUEST") can leave a verdict word standing.
        t = _without_verdicts(cut.rstrip(" ,;:.–—-") + "…")
    return t


def _without_verdicts(text: str) -> str:
    return re.sub(r"(…\s*)+…", "…", _VERDICT_WORD.sub("…", text)).strip()


def to_claimreviews(export: ExportSet, *, publication_url: str) -> list[dict[str, Any]]:
    base = check_publication_url(publication_url)
    verdicts = verdicts_by_claim(export.verdicts)
    publisher = {"@type": "Organization", "name": urlsplit(base).hostname, "url": base + "/"}
    out = []
    for claim in sorted(export.claims, key=lambda c: c.id):
        by = verdicts.get(claim.id, {})
        standing = standing_verdict(v.verdict for v in by.values())
        if standing is None or standing == CONTESTED:
            continue
        verdict = VERDICTS[standing]
        reviewed = max(v.at for v in by.values())
        out.append(
            {
                "@context": SCHEMA,
                "@type": "ClaimReview",
                "url": f"{base}/claims/{claim.id}",
                "claimReviewed": claim_summary(claim.text),
                "datePublished": reviewed.strftime("%Y-%m-%d"),
                "author": publisher,
                "itemReviewed": _claim(export, claim),
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": verdict.rating,
                    "bestRating": BEST,
                    "worstRating": WORST,
                    "alternateName": verdict.rating_name,
                    "name": scale_name(),
                },
            }
        )
    return out


def _claim(export: ExportSet, claim: ClaimRecord) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.attribution:
        kind = "Person" if claim.attribution_label == "PERSON" else "Organization"
        item["author"] = {"@type": kind, "name": claim.attribution}
    article_ids = [claim.article_id]
    for other in claim.cluster:
        ref = export.claim(other)
        if ref is not None and ref.article_id not in article_ids:
            article_ids.append(ref.article_id)
    articles = [a for a in (export.article(i) for i in article_ids) if a is not None]
    if articles:
        item["appearance"] = [_work(a) for a in articles]
        home = articles[0]
        origin = next((a for a in articles if a.id == home.origin_id), None)
        if origin is not None:
            item["firstAppearance"] = _work(origin)
    return item


def _work(article: ArticleRecord) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": article.title}
    if article.url:
        work["url"] = article.url
    if article.publisher:
        work["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.author:
        work["author"] = {"@type": "Person", "name": article.author}
    return work
