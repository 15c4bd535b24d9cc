"""Correcting the machine in the browser, on the seeds, with the keyboard: relabel Nepal as
a place and remove "India Critics" from the entity page, set the missing publisher of the
opinion-piece copies from the article header, detach an article from its provenance group
and join it again — each visible at once on the pages it touches — and undo a correction
from the list that says who made it and when."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.factories import (
    Databases,
    LiveServer,
    make_settings,
    screenshot,
    select_words,
    settings_env,
)


def open_entity(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/entities?q={name.replace(' ', '+')}")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(name)


def submit_in(page: Page, summary: str, button: str) -> None:
    """Open a correction's form by its summary and submit it, by keyboard."""
    page.locator("summary", has_text=summary).focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_entity_header_and_provenance_corrections(live_server: LiveServer, page: Page) -> None:
    base = live_server.url
    page.goto(base + "/analyst")
    open_entity(page, base, "Nepal")
    expect(page.locator("h1 .ent")).to_have_text("PERSON")
    page.locator("summary", has_text="Wrong type…").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Type").select_option("GPE")
    page.get_by_role("button", name="Relabel").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1 .ent")).to_have_text("GPE")
    row = page.locator(".correction[data-kind=entity_label]")
    expect(row).to_contain_text("GPE")
    expect(row.locator(".who")).to_contain_text("by ")
    page.goto(base + "/entities?label=GPE&q=Nepal")
    expect(page.get_by_role("link", name="Nepal", exact=True)).to_be_visible()
    page.get_by_role("link", name="Nepal", exact=True).click()
    page.locator("section h3 a[href^='/articles/']").first.click()
    expect(page.locator("#article-body a.ent", has_text="Nepal").first).to_have_class(
        re.compile(r"\bent-GPE\b")
    )

    open_entity(page, base, "India Critics")
    page.get_by_role("button", name="Not an entity").first.click()
    page.goto(base + "/entities?q=India+Critics")
    expect(page.get_by_role("link", name="India Critics", exact=True)).to_have_count(0)

    # The publisher the three copies of the opinion piece lack, set on each from its header.
    copies = httpx.get(base + "/api/provenance").json()["groups"][0]["articles"]
    slugs = [httpx.get(f"{base}/api/articles/{i}").json()["slug"] for i in copies]
    for slug in slugs:
        page.goto(f"{base}/articles/{slug}")
        page.locator("summary", has_text="Edit details").focus()
        page.keyboard.press("Enter")
        page.get_by_label("Publisher").fill("The Conversation")
        page.get_by_role("button", name="Save details").press("Enter")
        expect(page.locator(".byline .publisher")).to_have_text("The Conversation")
    fixed = httpx.get(base + "/api/corrections", params={"kind": "article"}).json()
    assert [c["value"] for c in fixed] == [{"publisher": "The Conversation"}] * 3  # that alone
    # And the address the first copy was published at, which a file does not say.
    page.locator("summary", has_text="Edit details").click()
    address = "https://theconversation.com/russia-mobilisation-198765"
    page.get_by_label("Address").fill(address)
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".byline .source-url")).to_have_text(address)
    page.goto(f"{base}/export/preview?article={copies[0]}")
    expect(page.locator(".export-doc")).to_contain_text("published by The Conversation")

    # Detached from its provenance group and joined again: the provenance page follows.
    page.goto(f"{base}/articles/{slugs[0]}")
    slug_url = page.url
    page.get_by_role("button", name="Not a rewrite of this group").click()
    expect(page.locator(".provenance-note")).to_have_count(0)
    detach = page.locator(".correction[data-kind=provenance_detach]")
    expect(detach).to_contain_text("standing")
    page.goto(base + "/provenance")
    expect(page.locator(f"main a[href='/articles/{slugs[0]}']")).to_have_count(0)
    page.goto(slug_url)
    page.locator("summary", has_text="Same origin as…").click()
    page.get_by_label("Article").select_option(value=str(copies[1]))
    page.get_by_role("button", name="Join its group").click()
    expect(page.locator(".provenance-note")).to_be_visible()
    screenshot(page, "article-corrections")
    page.goto(base + "/provenance")
    expect(page.locator(f"main a[href='/articles/{slugs[0]}']").first).to_be_visible()
    page.goto(slug_url)

    # Undo: the publisher as ingest found it (none) again, the withdrawal kept in the list.
    page.locator(".correction[data-kind=article]").get_by_role("button", name="Undo").click()
    expect(page.locator(".correction[data-kind=article]")).to_contain_text("withdrawn")
    expect(page.locator(".byline .publisher")).to_have_count(0)  # the copies name none
    assert page.url == slug_url


ADDED = "the government has doubled enlistment bonuses"
REMOVED = "Western estimates"  # words of a claim "Not a claim" removes, then cut from the file
# A correction of a claim extracts its article again before the page comes back: on a busy
# machine that takes longer than a click's usual wait (not a measure of speed).
EXTRACTING_MS = 90_000


def cli(server: LiveServer, *args: str) -> str:
    """`readingroom ARGS` on the reading room the server serves, as an analyst runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINGROOM_")}
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env | settings_env(server.settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (args, done.returncode, done.stderr[-2000:])
    return done.stdout


def open_claim(page: Page, claim_id: int) -> None:
    page.locator(f"#claim-{claim_id}").first.click()
    expect(page.locator(f"#panel .claim-panel[data-claim='{claim_id}']")).to_be_visible()


def correct_selection(page: Page, words: str, button: str) -> None:
    """Select `words` in the text, open Correct…, and press `button` by keyboard."""
    select_words(page, words)
    page.get_by_role("button", name="Correct…").click()
    expect(page.locator("#panel .correct-selection .selected-quote")).to_have_text(words)
    # The panel gives its heading focus once it has settled, just after its words show: a
    # key pressed before then went to the heading, and the form was never sent.
    expect(page.locator("#panel-title")).to_be_focused()
    with page.expect_navigation(timeout=EXTRACTING_MS):
        page.locator("#panel").get_by_role("button", name=button).press("Enter")


def test_the_panel_and_a_selection_correct_claims_entities_and_survive_a_new_version(
    live_server: LiveServer, page: Page, databases: Databases, tmp_path: Path
) -> None:
    base = live_server.url
    api = httpx.Client(base_url=base)
    by_file = {a["source_file"][:4]: a for a in api.get("/api/articles").json()}
    first, fourth = (api.get(f"/api/articles/{by_file[f]['id']}").json() for f in ("000_", "004_"))
    page.goto(base + "/analyst")
    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Your name").press("Enter")

    # A missed claim, marked by selecting it: in the text, the claims list and search.
    page.goto(f"{base}/articles/{first['slug']}")
    correct_selection(page, ADDED, "Mark as claim")
    expect(page.locator("#article-body .claim", has_text=ADDED).first).to_be_visible()
    page.goto(f"{base}/claims?article={first['id']}")
    expect(page.locator("main")).to_contain_text(ADDED)
    page.goto(base + "/search?q=doubled+enlistment+bonuses&kind=claim")
    expect(page.locator("main")).to_contain_text("doubled enlistment bonuses")

    # Not a claim, from the claim's panel: gone from the text, listed with who and when.
    page.goto(f"{base}/articles/{first['slug']}")
    gone = next(c for c in first["claims"] if REMOVED in c["text"])
    open_claim(page, gone["id"])
    with page.expect_navigation(timeout=EXTRACTING_MS):
        page.locator("#panel").get_by_role("button", name="Not a claim").click()
    expect(page.locator(f"#claim-{gone['id']}")).to_have_count(0)
    row = page.locator(".corrections-list .correction[data-kind=claim_remove]")
    expect(row).to_contain_text("by Ana")

    # An entity the machine missed, marked by selecting it.
    correct_selection(page, "Western estimates", "Mark as entity")
    expect(page.locator("#article-body a.ent", has_text="Western estimates")).to_have_count(1)

    # Fix attribution from the panel, choosing one of the article's entities by keyboard.
    attributed = next(c for c in fourth["claims"] if c["attribution"])
    page.goto(f"{base}/articles/{fourth['slug']}")
    open_claim(page, attributed["id"])
    page.locator("#panel summary", has_text="Fix attribution").focus()
    page.keyboard.press("Enter")
    page.locator("#panel").get_by_label("Who, from this article").select_option(
        label="Vladimir Putin (PERSON)"
    )
    page.locator("#panel").get_by_label("Why").first.fill("he said it")
    with page.expect_navigation(timeout=EXTRACTING_MS):
        page.locator("#panel").get_by_role("button", name="Save attribution").press("Enter")
    panel = page.locator(f"#panel .claim-panel[data-claim='{attributed['id']}']")
    expect(panel.locator(".facts")).to_contain_text("Vladimir Putin")
    expect(panel.locator(".correction[data-kind=claim_attribution]")).to_contain_text("by Ana")
    screenshot(page, "claim-corrections")
    page.goto(f"{base}/export/preview?article={fourth['id']}")
    expect(page.locator(".export-doc")).to_contain_text("attribution corrected by Ana")

    # Fix extent: select the claim's true words with its panel open.
    long_claim = next(c for c in fourth["claims"] if len(c["text"].split()) > 12)
    extent = " ".join(long_claim["text"].split()[:8])
    page.goto(f"{base}/articles/{fourth['slug']}")
    open_claim(page, long_claim["id"])
    correct_selection(page, extent, "Set as this claim's extent")
    expect(page.locator("#article-body .claim", has_text=extent).first).to_be_visible()
    claims = api.get(f"/api/articles/{fourth['id']}").json()["claims"]
    assert any(c["text"] == extent for c in claims)

    # A new version of the first file, the removed claim's sentence cut: the added claim
    # holds, and the removal is listed as an orphan with its reason kept.
    changed = tmp_path / "000_772ea0ef6ed81dfc.txt"
    sentence = gone["text"]
    changed.write_text("A new first sentence. " + first["text"].replace(sentence, ""), "utf-8")
    assert "1 updated" in cli(live_server, "ingest", str(changed))
    page.goto(f"{base}/articles/{first['slug']}")
    expect(page.locator("#article-body .claim", has_text=ADDED).first).to_be_visible()
    orphan = page.locator(".corrections-list .correction[data-kind=claim_remove]")
    expect(orphan.locator(".status")).to_have_text("orphan")

    # The extractor measured by these corrections.
    report = cli(live_server, "eval")
    lines = {ln.split()[0]: ln for ln in report.splitlines() if ln.startswith("  ")}
    assert "missed    1" in lines["claims"] and "wrong    1" in lines["attributions"]

    # Exported from the page, imported into another reading room from its page.
    page.goto(base + "/export/preview")
    with page.expect_download() as download:
        page.get_by_role("link", name="W3C Web Annotation").click()
    exported = tmp_path / "corrections.jsonld"
    download.value.save_as(exported)
    folder = tmp_path / "other"
    folder.mkdir()
    other = LiveServer(make_settings(folder, databases.seeded(folder)))
    other.start()
    try:
        page.goto(other.url + "/collections")
        page.get_by_label("File (.jsonld, .json)").set_input_files(str(exported))
        page.get_by_role("button", name="Import").click()
        expect(page.locator("main")).to_contain_text("correction")
        mine = [(c["kind"], c["analyst"], c["exact"]) for c in api.get("/api/corrections").json()]
        theirs = httpx.get(other.url + "/api/corrections").json()
        assert sorted((c["kind"], c["analyst"], c["exact"]) for c in theirs) == sorted(mine)
    finally:
        other.stop()
