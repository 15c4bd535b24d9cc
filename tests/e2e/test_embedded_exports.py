"""JSON-LD is published inside `<script type="application/ld+json">` (that is how search
engines read ClaimReview). Each export, with a `</script>` in an article's title, publisher
and author and in a note, is pasted byte for byte into such a block of a page in Chromium:
no script runs, and the block parses back to the document the API sent."""

from __future__ import annotations

import json

import httpx
from playwright.sync_api import Dialog, Page

from tests.factories import LiveServer

BREAK = "</script><script>window.__xss=(window.__xss||0)+1</script>"
PAGE = (
    "<html><head>"
    f'<meta property="og:title" content="Recruitment {BREAK.replace("<", "&lt;")}">'
    f'<meta property="og:site_name" content="Daily {BREAK.replace(chr(34), "&quot;")}">'
    "</head><body><article>"
    "<p>According to the ministry, 20,000 recruits joined the army in May, officials said.</p>"
    "<p>Officials said 30,000 soldiers left the front in June, according to the report.</p>"
    "</article></body></html>"
)


def test_each_json_ld_export_can_be_embedded_in_a_script_block(
    live_server: LiveServer, page: Page
) -> None:
    with httpx.Client(base_url=live_server.url, timeout=60) as api:
        # The page reader takes only a person's name as author: this one is given by hand.
        made = api.post("/api/articles", json={"text": PAGE, "author": f"Ann {BREAK}"})
        assert made.status_code == 201, made.text[:300]
        article = made.json()
        for field in ("title", "publisher", "author"):
            assert "</script>" in (article[field] or ""), (field, article[field])
        claim = article["claims"][0]
        note = {"target": {"claim_id": claim["id"]}, "body": f"Checked {BREAK} & <b>bold</b>"}
        assert api.post("/api/annotations", json=note).status_code == 201
        judged = api.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": "disputed"})
        assert judged.status_code == 200, judged.text[:300]
        exports = {
            "jsonld": api.get(f"/api/export.jsonld?download=true&article={article['id']}"),
            "claimreview": api.get(f"/api/claimreview.jsonld?article={article['id']}"),
        }
    dialogs: list[str] = []

    def dismissed(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismissed)
    for name, response in exports.items():
        assert response.status_code == 200, response.text[:300]
        body = response.content
        html = (
            b'<!doctype html><html><head><script type="application/ld+json" id="doc">'
            + body
            + b"</script></head><body><p id='after'>after</p></body></html>"
        )
        page.set_content(html.decode())
        assert page.evaluate("window.__xss") is None, name
        assert page.locator("#after").inner_text() == "after"
        embedded = page.evaluate("JSON.parse(document.getElementById('doc').textContent)")
        assert embedded == json.loads(body), name
        assert BREAK in json.dumps(embedded, ensure_ascii=False), name
        assert b"<" not in body and b">" not in body and b"&" not in body, name
    assert dialogs == []
