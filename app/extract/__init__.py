"""Extraction: article text → sentences, figures, claims and entity mentions (pure functions)."""
