"""Cross-article analysis: pure functions over small inputs, no database.

The service layer stores keys in indexed tables, fetches candidates by key and calls the
scoring functions here with a new item and its candidates only:

    claims      claim_keys(ClaimRef) -> keys;  match_claims(new, candidates) -> ClaimMatch
                (relation "same_claim" or "conflict"); find_conflicts(new, candidates)
    figures     compare_figures(a, b) -> Comparison("equal"|"compatible"|"conflict"|
                "incomparable", reason)
    provenance  article_shingles -> minhash_signature -> lsh_bands (keys);
                article_similarity(article_text(...), article_text(...)) -> 0..1;
                group_articles(edges, infos) -> ProvenanceGroup; independent_sources(...)
    alignment   align(a_text, a_spans, b_text, b_spans) -> AlignedPair per sentence

The choices are recorded in docs/decisions/0007-cross-article-analysis.md.
"""

from app.analysis.alignment import AlignedPair, align
from app.analysis.conflicts import (
    ClaimMatch,
    ClaimRef,
    Comparison,
    compare_figures,
    find_conflicts,
)
from app.analysis.matching import claim_keys, match_claims
from app.analysis.provenance import (
    PROVENANCE_THRESHOLD,
    ArticleInfo,
    ArticleText,
    ProvenanceGroup,
    article_shingles,
    article_similarity,
    article_text,
    group_articles,
    independent_sources,
    lsh_bands,
    minhash_signature,
)

__all__ = [
    "PROVENANCE_THRESHOLD",
    "AlignedPair",
    "ArticleInfo",
    "ArticleText",
    "ClaimMatch",
    "ClaimRef",
    "Comparison",
    "ProvenanceGroup",
    "align",
    "article_shingles",
    "article_similarity",
    "article_text",
    "claim_keys",
    "compare_figures",
    "find_conflicts",
    "group_articles",
    "independent_sources",
    "lsh_bands",
    "match_claims",
    "minhash_signature",
]
