"""`make screenshots`: the README's pictures, taken the way the browser tests drive the app.

A reading room on a fresh database with the seeds, served on loopback; two analysts judge
and annotate through the JSON API; then headless Chromium (the tests' own) opens the reading
page, the claim panel, the conflicts and the provenance pages and writes each into
docs/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from app.config import PROJECT_ROOT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import LiveServer, make_settings, selector

OUT = PROJECT_ROOT / "docs" / "screenshots"
ARTICLE = (
    "/articles/for-vladimir-putin-donald-trumps-potential-return-to-power-in-the-u-s-couldnt-co"
)


def claim_with(api: httpx.Client, words: str) -> dict:
    return next(c for c in api.get("/api/claims?limit=1000").json() if words in c["text"])


def judge_and_annotate(api: httpx.Client) -> dict:
    """What two analysts did before the pictures: verdicts, notes, a tag colour, a link."""
    recruits = claim_with(api, "recruit 20,000 new soldiers every month")
    deaths = claim_with(api, "between 115,000 to 160,000")
    dalhaug = claim_with(api, "25,000 to 30,000")
    judged = [(recruits, "Ana", "disputed"), (recruits, "Ben", "disputed"),
              (recruits, "Cy", "unverified"), (deaths, "Ana", "corroborated")]  # fmt: skip
    for claim, who, verdict in judged:
        api.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": verdict, "analyst": who})
    note = api.post("/api/annotations", json={
        "target": {"claim_id": recruits["id"]}, "analyst": "Ana", "tags": ["recruitment"],
        "body": f"Dalhaug puts it at **25,000–30,000** a month: claim:{dalhaug['id']}. "
                "The three rewrites here are *one* source."}).json()  # fmt: skip
    reply = {"reply_to": note["id"], "analyst": "Ben", "body": "Agreed; no monthly MoD figure."}
    api.post("/api/annotations", json=reply)
    api.post("/api/links", json={"source_claim_id": recruits["id"], "relation": "contradicts",
                                 "target_claim_id": dalhaug["id"], "analyst": "Ana",
                                 "note": "20,000 vs 25,000–30,000 a month"})  # fmt: skip
    article = next(a for a in api.get("/api/articles").json() if a["slug"] in ARTICLE)
    text = api.get(f"/api/articles/{article['id']}").json()["text"]
    api.post("/api/annotations", json={
        "article_id": article["id"], "analyst": "Ana", "tags": ["recruitment"],
        "target": {"selector": selector(text, "hazing and bullying of new recruits")},
        "body": "Why conscripts avoid the draft."})  # fmt: skip
    return recruits


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(make_settings(Path(folder), seed_on_start=True))
        server.start(timeout=180)
        try:
            with httpx.Client(base_url=server.url, timeout=60) as api:
                recruits = judge_and_annotate(api)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 1440, "height": 960}).new_page()
                page.context.add_cookies([{"name": "analyst", "value": "Ana", "url": server.url}])
                page.goto(server.url + "/tags")
                page.select_option("form.tag-colour select", "green")
                page.wait_for_timeout(300)
                page.goto(f"{server.url}{ARTICLE}#open-claim-{recruits['id']}")
                page.wait_for_selector(f"#panel .claim-panel[data-claim='{recruits['id']}']")
                page.locator(f"#claim-{recruits['id']}").scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -260)")
                page.wait_for_timeout(300)
                page.screenshot(path=str(OUT / "reading.png"))
                # Tall enough for the whole panel (the side column scrolls on its own).
                page.set_viewport_size({"width": 1440, "height": 2600})
                page.wait_for_timeout(300)
                page.locator("#panel").screenshot(path=str(OUT / "panel.png"))
                page.set_viewport_size({"width": 1440, "height": 960})
                for name in ("conflicts", "provenance"):
                    page.goto(f"{server.url}/{name}")
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(OUT / f"{name}.png"))
                browser.close()
        finally:
            server.stop()
    for shot in sorted(OUT.glob("*.png")):
        print(f"wrote {shot.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
