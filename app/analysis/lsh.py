"""MinHash signatures and LSH band keys, from a kept library (rensa: MinHash in Rust).

Band keys are stored (`article_band` for provenance, the `b:` keys of `claim_key` for
same-claim candidates) and looked up by equality in the database, so a candidate is found
by an index probe whatever the corpus size, by any process, after any restart, on SQLite
and PostgreSQL alike. The keys must therefore be the same in every process and every
release: the seed is fixed here and rensa is pinned exactly (a new version may hash
differently; changing either means re-indexing, as migration 0010 does)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from rensa import RMinHash

SEED = 20_261_124


def signature(tokens: Iterable[object], num_perm: int) -> tuple[int, ...]:
    """MinHash of a set of tokens over `num_perm` permutations; () for an empty set."""
    words = sorted({str(t) for t in tokens})
    if not words:
        return ()
    minhash = RMinHash(num_perm=num_perm, seed=SEED)
    minhash.update(words)
    return tuple(minhash.digest())


def band_keys(signature: Sequence[int], bands: int, prefix: str = "") -> list[str]:
    """One key per band ("07:3fa2c1d09e4b"); two signatures sharing a key are candidates.
    A pair of Jaccard J shares at least one of b bands of r rows with probability
    1 - (1 - J^r)^b."""
    if not signature:
        return []
    rows = len(signature) // bands
    if rows < 1:
        raise ValueError(f"{len(signature)} permutations cannot fill {bands} bands")
    keys = []
    for band in range(bands):
        chunk = ",".join(str(v) for v in signature[band * rows : (band + 1) * rows])
        digest = hashlib.blake2b(chunk.encode(), digest_size=6).hexdigest()
        keys.append(f"{prefix}{band:02d}:{digest}")
    return keys
