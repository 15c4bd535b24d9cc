"""Exports, a functional core: records gathered by `app.services.exports` in, text out.

`records` holds the frozen input shapes; `markdown` writes the annotated set as CommonMark,
`webannotation` as a W3C AnnotationCollection (and reads one back for import),
`claimreview` as schema.org ClaimReview objects, `preview` renders an export safely."""
