"""Sources, not copies, through the services: conflicts counted over sources on the seeds
and on the real-news texts, decided once for every copy, kept when a copy joins a group;
provenance groups with their origin and reason; a report relayed by independent articles
counted once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.db import create_db_engine, write_session
from app.models import Article, Claim, Conflict, Link, ProvenanceGroupRow, Suggestion
from app.schemas import ArticleCreate, LinkCreate
from app.services import analysis_read, claim_read, conflict_read, conflict_write, link_write
from app.services.ingest import ingest_text
from tests.factories import REALNEWS, claim_with


def article_id(session: Session, source_file: str) -> int:
    found = session.exec(select(Article.id).where(Article.source_file == source_file)).one()
    assert found is not None
    return found


def the_conflict(engine: Engine) -> conflict_read.ConflictView:
    with Session(engine) as s:
        (view,) = conflict_read.page(s)
        return view


def test_the_seeds_have_one_conflict_between_the_rewrites_and_the_interview(
    engine: Engine,
) -> None:
    view = the_conflict(engine)
    rewrites, interview = view.sides
    assert rewrites.figure["text"] == "20,000 new soldiers"
    assert interview.figure["text"] == "between 25,000 to 30,000 soldiers"
    assert [a.source_file[:3] for a in rewrites.articles] == ["000", "001", "002"]  # type: ignore[index]
    assert len(rewrites.claims) == 3 and all("20,000" in c.text for c in rewrites.claims)
    assert [a.source_file[:3] for a in interview.articles] == ["003"]  # type: ignore[index]
    assert (view.status, view.conflict.kind) == ("open", "conflict")
    with Session(engine) as s:
        assert conflict_read.page(s, "later") == []


def test_confirming_acts_on_the_whole_conflict(engine: Engine) -> None:
    conflict_id = the_conflict(engine).conflict.id
    with write_session(engine) as s:
        conflict_write.decide(s, conflict_id, "confirm", "Ana")  # type: ignore[arg-type]
    with Session(engine) as s:
        pairs = s.exec(select(Suggestion).where(Suggestion.conflict_id == conflict_id)).all()
        assert len(pairs) == 3 and {p.status for p in pairs} == {"confirmed"}
        links = s.exec(select(Link).where(Link.relation == "contradicts")).all()
        assert len(links) == 1 and links[0].analyst == "Ana"
        assert conflict_read.one(s, conflict_id).status == "confirmed"  # type: ignore[arg-type]
        assert conflict_read.page(s, status="open") == []


def test_dismissing_acts_on_the_whole_conflict_and_makes_no_link(engine: Engine) -> None:
    conflict_id = the_conflict(engine).conflict.id
    with write_session(engine) as s:
        conflict_write.decide(s, conflict_id, "dismiss", "Ben")  # type: ignore[arg-type]
    with Session(engine) as s:
        pairs = s.exec(select(Suggestion).where(Suggestion.conflict_id == conflict_id)).all()
        assert {p.status for p in pairs} == {"dismissed"}
        assert not s.exec(select(Link).where(Link.relation == "contradicts")).all()
        assert [v.status for v in conflict_read.page(s, status="dismissed")] == ["dismissed"]


def test_a_conflict_linked_as_contradicting_by_hand_reads_as_confirmed(engine: Engine) -> None:
    with write_session(engine) as s:
        copy = claim_with(s, "recruiting 20,000 new soldiers each month")
        dalhaug = claim_with(s, "25,000 to 30,000")
        link_write.create(
            s,
            LinkCreate(source_claim_id=dalhaug.id, target_claim_id=copy.id, relation="contradicts"),
            "Ana",
        )
    view = the_conflict(engine)
    assert (view.status, view.linked, view.conflict.status) == ("confirmed", True, "open")
    with Session(engine) as s:
        assert [v.conflict.id for v in conflict_read.page(s, status="confirmed")] == [
            view.conflict.id
        ]


def test_a_new_copy_joins_its_side_and_the_decision_stands(engine: Engine) -> None:
    conflict_id = the_conflict(engine).conflict.id
    with write_session(engine) as s:
        conflict_write.decide(s, conflict_id, "dismiss", "Ben")  # type: ignore[arg-type]
        interview = s.get(Article, article_id(s, "003_e7ca62889314f5fd.txt"))
        assert interview is not None
        text = interview.text
    ingest_text(engine, ArticleCreate(text="Republished with permission\n\n" + text))
    view = the_conflict(engine)
    assert view.conflict.id == conflict_id  # keyed by the group's first article: unchanged
    assert view.status == "dismissed"
    rewrites, interviews = view.sides
    assert len(rewrites.articles) == 3 and len(interviews.articles) == 2
    with Session(engine) as s:
        assert len(s.exec(select(Conflict)).all()) == 1


def test_the_claim_panel_shows_the_conflict_by_source(engine: Engine) -> None:
    with Session(engine) as s:
        dalhaug = claim_with(s, "25,000 to 30,000")
        panel = claim_read.panel(s, dalhaug.id)  # type: ignore[arg-type]
    (view,) = panel.disagreements
    other = next(side for side in view.sides if dalhaug not in side.claims)
    assert len(other.articles) == 3
    assert {c.conflict_id for c in panel.conflicts} == {view.conflict.id}


def test_a_report_relayed_by_independent_articles_counts_once(engine: Engine) -> None:
    """A wire story and a newspaper story, written apart, both relay the Financial Times
    report that seed 004 relays too: three articles, one independent source."""
    wire = (
        "Houthi-linked firm sent Yemeni men to Russia's war, report says\n\n"
        "MOSCOW (Wire) -- Hundreds of Yemeni mercenaries were supplied to Russia by a company "
        "linked to the Houthis, according to the Financial Times.\n\n"
        "Moscow has denied recruiting foreigners. Several of the men later appealed to Yemen's "
        "government for help getting home, their relatives told reporters in Aden.\n\n"
        "The Kremlin did not answer questions about the contracts. Oil exports through the "
        "Red Sea fell again in October as insurers raised their premiums.\n\n"
        "Officials in Aden said the government had opened an inquiry into the agency that "
        "issued the visas.\n"
    )
    paper = (
        "Yemenis lured to fight for Russia\n\n"
        "A company linked to the Houthis supplied Russia with hundreds of Yemeni mercenaries, "
        "according to the Financial Times.\n\n"
        "Families in Sanaa say they have not heard from the recruits since the summer.\n\n"
        "One mother showed a photograph of her son in a camouflage jacket, taken in a "
        "training camp near Rostov. Aid workers in the city describe queues for flour that "
        "stretch for blocks, and a currency that has lost half its value.\n\n"
        "Human rights lawyers want the United Nations to look into the recruitment.\n"
    )
    ids = [ingest_text(engine, ArticleCreate(text=t)) for t in (wire, paper)]
    with Session(engine) as s:
        relayed = s.exec(
            select(Claim).where(Claim.article_id == ids[0], Claim.text.contains("Financial"))  # type: ignore[attr-defined]
        ).one()
        panel = claim_read.panel(s, relayed.id)  # type: ignore[arg-type]
        groups = {a.provenance_group_id for a in s.exec(select(Article)).all()}
    assert groups == {None, min(g for g in groups if g is not None)}  # no new provenance group
    assert (panel.article_count, panel.independent_sources) == (3, 1)
    assert panel.relayed == ("the Financial Times",)


# --- the real-news texts -------------------------------------------------------------------------


@pytest.fixture
def realnews(realnews_settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(realnews_settings.sqlalchemy_url)
    yield engine
    engine.dispose()


def test_the_two_copies_of_one_wire_story_are_one_group_and_one_source(realnews: Engine) -> None:
    with Session(realnews) as s:
        cna = article_id(s, "war-cna-nk-captured-2025.txt")
        bangkok = article_id(s, "war-bangkokpost-nk-captured-2025.txt")
        groups = analysis_read.provenance_groups(s)
        (story,) = [g for g in groups if cna in g["articles"]]
        assert sorted(story["articles"]) == sorted([cna, bangkok])
        assert story["origin"] in (cna, bangkok)
        assert "original wording" in story["origin_reason"]
        (shared,) = analysis_read.shared_claims(s, [story])
        assert len(shared) >= 10 and all(c.copies == 2 for c in shared)
        (leg,) = [c for c in shared if "broken leg" in c.text]
        assert (leg.sources.articles, leg.sources.independent) == (2, 1)
        panel = claim_read.panel(s, leg.claim_id)
    assert (panel.article_count, panel.independent_sources) == (2, 1)


def test_unrelated_real_stories_raise_no_conflict(realnews: Engine) -> None:
    """Thirty-four real articles on elections, prices, earnings, health and war beside the
    seeds: the conflicts are the seeds' recruitment figures and the Russian war dead, which
    the seeds count at 115,000-160,000 and the interview of a later year at 275,000-325,000
    and over 165,000 (the plain texts carry no date that would make them later figures);
    the rewrites and the wire copies are the only groups."""
    with Session(realnews) as s:
        views = conflict_read.page(s)
        assert conflict_read.page(s, "later") == []
        files = {a.id: a.source_file for a in s.exec(select(Article)).all()}
        sides = sorted(
            [sorted(files[a.id][:3] for a in side.articles) for side in view.sides]  # type: ignore[index]
            for view in views
        )
        seeds = ["000", "001", "002"]
        assert sides == [[seeds, ["003"]], [seeds, ["war"]], [seeds, ["war"]]]
        dead = [v for v in views if v.conflict.key.startswith("conflict|dead")]
        assert len(dead) == 2
        grouped = [
            sorted(files[a] for a in g["articles"]) for g in analysis_read.provenance_groups(s)
        ]
        assert len(s.exec(select(ProvenanceGroupRow)).all()) == 2
    assert grouped[1] == [
        "war-bangkokpost-nk-captured-2025.txt",
        "war-cna-nk-captured-2025.txt",
    ]
    assert len(list(REALNEWS.glob("*.txt"))) >= 30


def test_a_figure_for_a_later_month_is_a_later_figure_not_a_conflict(engine: Engine) -> None:
    ingest_text(
        engine,
        ArticleCreate(
            text=(
                "Russian losses ease in the summer\n\n"
                "In July, an average of 1,050 Russian soldiers were killed or wounded each day, "
                "according to the British Ministry of Defence.\n\n"
                "The ministry said the fall followed the end of the offensive near Kharkiv.\n"
            )
        ),
    )
    with Session(engine) as s:
        assert len(conflict_read.page(s)) == 1  # the seeds' recruitment figures only
        after_june, later = sorted(conflict_read.page(s, "later"), key=lambda v: v.conflict.reason)
    # July's figure is later than May's, and than June's "the number fell to 1,163".
    assert later.conflict.reason == (
        "a later figure: an average of 1,050 Russian soldiers were killed or wounded as of "
        "July, after an average of 1,262 Russian soldiers were killed or wounded as of May"
    )
    assert after_june.conflict.reason.endswith("after 1,163 as of June")
    may, july = later.sides
    assert "1,262" in may.claims[0].text and "1,050" in july.claims[0].text
