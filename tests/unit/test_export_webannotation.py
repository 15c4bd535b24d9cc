"""W3C Web Annotation export: every document passes the WG's MUST assertions, selectors
select the words they quote, and what is written reads back the same."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.export import webannotation as wa
from app.export import webannotation_read as wa_read
from app.export.records import ARTICLE_IRI_PREFIX
from tests.factories import TEXTS, sample_export, validate_wa

COLLECTION = "urn:readingroom:export:test"


def _assert_valid(doc: Any) -> None:
    reports = validate_wa().validate_document(doc)
    failures = [(r.where, f.assertion, f.detail) for r in reports for f in r.failures]
    assert not failures
    assert reports


def _items() -> list[dict]:
    return wa.items(sample_export())


def _by_id() -> dict[str, dict]:
    return {i["id"]: i for i in _items()}


def test_the_collection_passes_the_web_annotation_musts() -> None:
    doc = wa.to_collection(sample_export(), COLLECTION)
    _assert_valid(doc)
    assert doc["type"] == "AnnotationCollection" and doc["total"] == len(doc["first"]["items"])
    assert "next" not in doc["first"]


def test_paged_documents_pass_too() -> None:
    export = sample_export()
    first = wa.to_collection(export, COLLECTION, page_size=3)
    _assert_valid(first)
    assert first["first"]["next"] == COLLECTION + "?page=1"
    # 17 items: 13 notes, verdicts and links, and 4 corrections
    assert first["last"] == COLLECTION + "?page=5"
    middle = wa.page(export, COLLECTION, 1, page_size=3)
    _assert_valid(middle)
    assert (middle["prev"], middle["next"]) == (COLLECTION + "?page=0", COLLECTION + "?page=2")
    whole = wa.to_document(export, COLLECTION, page_size=3)
    _assert_valid(whole)
    assert [p["startIndex"] for p in whole[1:]] == [3, 6, 9, 12, 15]
    with pytest.raises(wa.WAError, match="page 6 does not exist"):
        wa.page(export, COLLECTION, 6, page_size=3)


def test_selectors_select_the_words_they_quote() -> None:
    targets = []
    for item in _items():
        for t in item["target"] if isinstance(item["target"], list) else [item["target"]]:
            if isinstance(t, dict) and "selector" in t:  # not the article itself
                targets.append(t)
    assert len(targets) >= 8
    for t in targets:
        article = 1 if t["source"]["id"].endswith("a" * 64) else 2
        text = TEXTS[article]
        quote = next(s for s in t["selector"] if s["type"] == "TextQuoteSelector")
        position = next((s for s in t["selector"] if s["type"] == "TextPositionSelector"), None)
        if position is None:  # the orphan: its words are gone
            assert quote["exact"] == "vanished words"
            continue
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote.get("prefix", ""))
        assert text[position["end"] :].startswith(quote.get("suffix", ""))


def test_an_annotation_on_a_claim() -> None:
    note = sample_export().note(1)
    item = _by_id()[note.iri]  # type: ignore[union-attr]
    assert item["motivation"] == "commenting"
    assert item["creator"] == {"type": "Person", "name": "Ana"}
    assert (item["created"], item["modified"]) == ("2024-05-01T10:00:00Z", "2024-05-03T12:00:00Z")
    bodies = {(b["purpose"], b["value"]) for b in item["body"]}
    assert ("tagging", "recruitment") in bodies and ("tagging", "casualties") in bodies
    assert not any(purpose == "assessing" for purpose, _ in bodies)  # a standing verdict
    note_body = next(b for b in item["body"] if b["purpose"] == "commenting")
    assert note_body["format"] == "text/markdown" and note_body["value"].startswith("# Heading")
    source = item["target"]["source"]
    assert source["id"] == ARTICLE_IRI_PREFIX + "a" * 64
    assert source["via"] == "urn:readingroom:source-file:a_1.txt"


def test_a_standing_verdict_is_an_assessment_of_the_claims_words() -> None:
    export = sample_export()
    assessing = [i for i in _items() if i["motivation"] == "assessing"]
    assert [(i["creator"]["name"], i["body"]["value"]) for i in assessing] == [
        ("Ben", "unverified"), ("Ana", "disputed"), ("Ana", "false"), ("Ana", "disputed")
    ]  # fmt: skip
    latest = assessing[-1]  # Ana's verdict on claim 10, set when she edited her note
    assert latest["created"] == "2024-05-03T12:00:00Z"
    assert latest["target"]["selector"][0]["exact"] == export.claims[0].text
    assert latest["body"] == {"type": "TextualBody", "purpose": "assessing", "value": "disputed"}


def test_a_reply_targets_its_parent() -> None:
    export = sample_export()
    reply = _by_id()[export.note(2).iri]  # type: ignore[union-attr]
    assert reply["motivation"] == "replying"
    assert reply["target"] == export.note(1).iri  # type: ignore[union-attr]
    assert reply["body"]["purpose"] == "replying"


def test_links_have_two_targets_in_order() -> None:
    export = sample_export()
    links = [i for i in _items() if i["motivation"] == "linking"]
    # The citation link (2) is made again by importing its note: it is left out.
    assert [l_["id"] for l_ in links] == [export.links[i].iri for i in (0, 2, 3, 4)]
    contradicts = links[0]
    assert contradicts["body"][0] == {
        "type": "TextualBody", "purpose": "classifying", "value": "contradicts"
    }  # fmt: skip
    assert contradicts["body"][1]["value"] == "20k vs 30k"
    source, target = contradicts["target"]
    assert source["selector"][0]["exact"].startswith("According to Western estimates")
    assert target["selector"][0]["exact"] == "The ministry says 30,000 signed up in May."
    to_a_note = links[2]
    assert to_a_note["target"][1] == "urn:uuid:00000000-0000-4000-8000-000000000050"


def test_what_is_written_reads_back() -> None:
    export = sample_export()
    found = wa_read.parse_document(wa.to_document(export, COLLECTION, page_size=2))
    notes = {n.iri: n for n in found if isinstance(n, wa_read.AnnotationIn)}
    assert len(notes) == len(export.notes) + len(export.verdicts)
    first = notes[export.note(1).iri]  # type: ignore[union-attr]
    assert first.body.startswith("# Heading") and first.verdict is None
    judged = {(n.analyst, n.verdict, n.target.selector.exact) for n in notes.values() if n.verdict}
    assert ("Ben", "unverified", export.claims[0].text) in judged and len(judged) == 4
    assert first.tags == ("recruitment", "casualties") and first.analyst == "Ana"
    assert first.target is not None and first.target.content_hash == "a" * 64
    assert first.target.source_file == "a_1.txt"
    assert first.target.selector.start == export.claims[0].start
    reply = notes[export.note(2).iri]  # type: ignore[union-attr]
    assert reply.reply_to == first.iri and reply.target is None
    links = [k for k in found if isinstance(k, wa_read.LinkIn)]
    assert [k.relation for k in links] == ["contradicts", "same_claim", "corroborates", "related"]


def _assessing(items: list[dict]) -> dict:
    return next(i["body"] for i in items if i["motivation"] == "assessing")


def _broken(change: Any) -> Any:
    doc = copy.deepcopy(wa.to_collection(sample_export(), COLLECTION))
    change(doc, doc["first"]["items"])
    return doc


def _last_link(items: list[dict]) -> dict:
    return [i for i in items if i["motivation"] == "linking"][-1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, items: items[0].pop("id"), "needs an IRI as its id"),
        (lambda d, items: _assessing(items).update(value="fake"), "verdict 'fake' is not one"),
        (
            lambda d, items: _last_link(items).update(target=_last_link(items)["target"][:1]),
            "needs two targets",
        ),  # fmt: skip
        (lambda d, items: items[0]["target"].pop("selector"), "no TextQuoteSelector"),
        (lambda d, items: items[0].update(created="yesterday"), "not an RFC 3339 date-time"),
        (lambda d, items: items.append(copy.deepcopy(items[0])), "says it holds 17 .* has 18"),
        (
            lambda d, items: (items.append(copy.deepcopy(items[0])), d.update(total=18)),
            "appears twice",
        ),
        (lambda d, items: d.update(total=99), "holds 17 of the collection's 99"),
        (lambda d, items: items[0].update(type="Note"), "type must be Annotation"),
    ],
)
def test_bad_documents_are_refused_with_a_reason(change: Any, message: str) -> None:
    with pytest.raises(wa.WAError, match=message):
        wa_read.parse_document(_broken(change))


def test_a_page_that_is_not_in_the_document_is_reported() -> None:
    doc = wa.to_collection(sample_export(), COLLECTION, page_size=3)
    with pytest.raises(wa.WAError, match="some of its pages are missing"):
        wa_read.parse_document(doc)


def test_not_annotations_at_all() -> None:
    with pytest.raises(wa.WAError, match="not an Annotation"):
        wa_read.parse_document({"hello": "world"})
    with pytest.raises(wa.WAError, match="expected a JSON object"):
        wa_read.parse_document([1, 2])
