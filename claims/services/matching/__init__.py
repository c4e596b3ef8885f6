"""Claim matching in the app: group repeats of a claim, suggest likely repeats, merge and split.

The scoring is the stateless core in `claims.nlp.matching`; this module adds the database around it:

* `article_claims_match` (the NLP worker, after extraction): embed the article's check-worthy
  claims, store the vectors, search each one against every indexed claim of *other* articles
  (semantic neighbours from the shared, memory-mapped vector index plus an exact scan of the
  claims newer than it, lexical neighbours from PostgreSQL full-text search or, on SQLite, a
  word index written with it; scored by the core over those candidates only), then
  - score >= CONFIRMED: the claim joins the candidate's group (created on first repeat),
  - score >= SUGGESTED: a pending `ClaimMatch` a reviewer confirms or rejects,
  - below: nothing. A claim nobody repeats stays ungrouped; its group is created lazily, the
    first time another claim is matched to it (most claims never repeat, so no 1-claim groups).
* Reviewer services (`claim_match_confirm`, `claim_match_reject`, `claim_groups_merge`,
  `claim_group_split`) check the actor's permission and leave a reason in the audit history.

Idempotent: a claim already in the candidate's group is skipped, `ClaimMatch` is unique per
(claim, group) and a rejected pair (or a claim split out of a group) is never matched again.

Modules: `config` (settings), `index` (the shared vector index: writer and readers),
`embeddings` (claim vectors in the database), `candidates` (full-text search, candidate search),
`groups` (matching an article), `review` (the reviewer services). See docs/matching.md.
"""

from .candidates import claims_find_candidates
from .config import DEFAULTS, match_config, matching_settings
from .embeddings import (
    claim_embed_checked,
    claim_embeddings_backfill,
    claim_embeddings_refresh,
    claims_embed,
    claims_embed_new,
)
from .fts import (
    FTS_CONFIGS,
    FTS_INDEXES_DROP_SQL,
    FTS_INDEXES_SQL,
    lexical_candidates_postgres,
)
from .groups import ClaimMatchOutcome, article_claims_match
from .index import (
    lexical_candidates_memory,
    matching_index,
    matching_index_reset,
    matching_lexeme_counts,
    matching_word_counts,
    shared_index,
    vector_index_update,
)
from .review import (
    CHANGE_GROUP,
    claim_group_split,
    claim_groups_merge,
    claim_match_confirm,
    claim_match_reject,
)
from .words import claim_words, rare_words

__all__ = [
    "CHANGE_GROUP",
    "DEFAULTS",
    "FTS_CONFIGS",
    "FTS_INDEXES_DROP_SQL",
    "FTS_INDEXES_SQL",
    "ClaimMatchOutcome",
    "article_claims_match",
    "claim_embed_checked",
    "claim_embeddings_backfill",
    "claim_embeddings_refresh",
    "claim_group_split",
    "claim_groups_merge",
    "claim_match_confirm",
    "claim_match_reject",
    "claim_words",
    "claims_embed",
    "claims_embed_new",
    "claims_find_candidates",
    "lexical_candidates_memory",
    "lexical_candidates_postgres",
    "match_config",
    "matching_index",
    "matching_index_reset",
    "matching_lexeme_counts",
    "matching_settings",
    "matching_word_counts",
    "rare_words",
    "shared_index",
    "vector_index_update",
]
