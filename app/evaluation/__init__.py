"""Scoring the extractor against hand-marked gold: claims, attribution, figures, entities
and publication dates.

The scorer is plain functions over plain values (`gold.py` for what a reader marked,
`prediction.py` for what the program found), so the gold may come from a folder of
annotated articles or from analysts' corrections alike. `run.py` runs the real ingest and
extraction on an article's bytes; `table.py` prints the results."""
