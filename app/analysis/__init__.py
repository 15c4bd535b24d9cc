"""Cross-article analysis: pure functions over small inputs, no database.

The service layer stores keys in indexed tables, fetches candidates by key and calls the
scoring functions here with a new item and its candidates only:

    claims      claim_keys(ClaimRef) -> keys;  match_claims(new, candidates) -> ClaimMatch
                (relation "same_claim" or "conflict"); find_conflicts(new, candidates)
    figures     compare_figures(a, b) -> Comparison("equal"|"compatible"|"conflict"|
                "incomparable", reason)
    provenance  article_shingles -> minhash_signature -> lsh_bands (keys);
                article_similarity(article_text(...), article_text(...)) -> 0..1;
                group_articles(edges, infos) -> ProvenanceGroup
    sources     count_sources(carriers): a provenance group or a relayed report counts once;
                conflict_key: one disagreement between two sources
    subjects    claim_subjects(named entities): what a claim is about, for conflicts
    frames      figure_frame, same_frame: what a figure counts in its clause's words, for
                conflicts between claims that name nothing
    when        as_of(scope, published), apart(a, b): later figures are not conflicts
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
    lsh_bands,
    minhash_signature,
)
from app.analysis.sources import Carrier, Sources, count_sources, independent_sources
from app.analysis.subjects import claim_subjects

__all__ = [
    "PROVENANCE_THRESHOLD",
    "AlignedPair",
    "ArticleInfo",
    "ArticleText",
    "Carrier",
    "ClaimMatch",
    "ClaimRef",
    "Comparison",
    "ProvenanceGroup",
    "Sources",
    "align",
    "article_shingles",
    "article_similarity",
    "article_text",
    "claim_keys",
    "claim_subjects",
    "compare_figures",
    "count_sources",
    "find_conflicts",
    "group_articles",
    "independent_sources",
    "lsh_bands",
    "match_claims",
    "minhash_signature",
]
