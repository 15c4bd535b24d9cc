"""Hostile text in every place user or article text reaches a page, loaded in real Chromium.

Payloads go in through the API, the upload and the pages' own forms: notes, replies, tags,
analyst names (X-Analyst header, `analyst` field and cookie), article titles, bylines and
text, entity names found in that text, link notes, collection names and descriptions, the
export preview, and query strings reflected by search and error pages. Every page is then
loaded (and the claim panel opened through htmx) and the test fails if any script runs:
a dialog, the `window.__xss` marker, the console marker, a request to anything but this
server, an htmx request the payload asked for, or markup from a payload in the DOM.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Route

from tests.factories import LiveServer

JS = "window.__xss=(window.__xss||0)+1;console.log('XSS-FIRED');alert('XSS')"
SHORT = "window.__xss=1"
PROBE = "/xss-probe"  # a path only a payload would request

# Long payloads: notes, replies, article text, collection descriptions.
PAYLOADS = [
    f"<script>{JS}</script>",
    f'<img src=x onerror="{JS}">',
    f"[a link](javascript:{JS})",
    f'[b link](JAVASCRIPT:{JS} "title")',
    f"<javascript:{JS}>",
    f'"><svg onload="{JS}">',
    f"'><svg/onload={SHORT}>",
    f'<a href="javascript:{JS}">click</a>',
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<input autofocus onfocus="{JS}">',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{JS}">',
    f'<div hx-get="{PROBE}" hx-trigger="load" hx-swap="outerHTML">htmx</div>',
    f'<p hx-on:htmx:load="{JS}" hx-on::load="{JS}">hx-on</p>',
    f"![img](https://evil.example/x.png) ![probe]({PROBE}.png)",
    '<img src="https://evil.example/y.png">',
    "{{7*7}} {% print 7*7 %} ${7*7} #{7*7}",
]
# Short payloads for the fields with small limits: tags (60), analyst names (80).
SHORT_PAYLOADS = [
    f"<script>{SHORT}</script>",
    f"<img src=x onerror={SHORT}>",
    f'"><svg onload={SHORT}>',
    f"javascript:{SHORT}",
    f"<b hx-get={PROBE} hx-trigger=load>h</b>",
    "{{7*7}}",
]

ARTICLE = "\n\n".join(
    [
        f'Breaking "><svg onload={SHORT}> <img src=x onerror={SHORT}> {{{{7*7}}}} report',
        f"By <script>{SHORT}</script> Staff",
        f'According to the ministry, 20,000 recruits <img src=x onerror="{JS}"> joined in May.',
        f'Officials said 30,000 soldiers "><svg onload="{JS}"> left in June, says John Payload.',
        f"The institute estimates that 5,000 volunteers <script>{JS}</script> arrive each month.",
        f'Dr. Evil <b onclick="{JS}">Smith</b> of the Payload Institute said 40,000 had fled.',
        f'[a link](javascript:{JS}) and <a href="javascript:{JS}">click</a> were shared.',
        f'<div hx-get="{PROBE}" hx-trigger="load">htmx</div> was reported by 12 outlets.',
        "Templates {{7*7}} {% print 7*7 %} ${7*7} are only text, the ministry says.",
    ]
)


class Seeded:
    """What the payloads were written into, for the pages to visit."""

    def __init__(self) -> None:
        self.article: dict[str, Any] = {}
        self.pasted: dict[str, Any] = {}
        self.claim_ids: list[int] = []
        self.annotation_ids: list[int] = []
        self.collection_ids: list[int] = []
        self.entity_ids: list[int] = []


def seed(url: str) -> Seeded:
    s = Seeded()
    api = httpx.Client(base_url=url, timeout=60)

    def ok(r: httpx.Response) -> Any:
        assert r.status_code in (200, 201), (r.request.url, r.status_code, r.text[:300])
        return r.json()

    upload = ("breaking-report.txt", ARTICLE.encode(), "text/plain")
    s.article = ok(api.post("/api/articles", files={"file": upload}))
    assert "<svg onload" in s.article["title"]  # the payload is the title, as text
    pasted = {
        "title": f'"><svg onload="{JS}">',
        "publisher": f"<script>{SHORT}</script>",
        "author": f"<img src=x onerror={SHORT}>",
        "text": "A pasted report says 7,000 people " + PAYLOADS[1] + " left in July.",
    }
    s.pasted = ok(api.post("/api/articles", json=pasted))
    s.claim_ids = [c["id"] for c in s.article["claims"]]
    assert s.claim_ids, "the uploaded article should have claims to annotate"
    s.entity_ids = sorted({e["entity_id"] for e in s.article["entities"]})
    claim = s.claim_ids[0]
    seed_claim = next(c["id"] for c in ok(api.get("/api/claims")) if "1,262" in c["text"])

    for i, payload in enumerate(PAYLOADS):
        who = {"X-Analyst": SHORT_PAYLOADS[(i + 1) % len(SHORT_PAYLOADS)]}
        note = ok(api.post(
            "/api/annotations",
            json={"target": {"claim_id": claim if i % 2 else seed_claim}, "body": payload,
                  "tags": [SHORT_PAYLOADS[i % len(SHORT_PAYLOADS)]]}, headers=who))  # fmt: skip
        verdict = "disputed" if i % 3 else "false"  # analysts named by payloads disagree
        ok(api.put(f"/api/claims/{note['target']['claim_id']}/verdict",
                   json={"verdict": verdict}, headers=who))  # fmt: skip
        s.annotation_ids.append(note["id"])
        reply = ok(api.post("/api/annotations", json={
            "reply_to": note["id"], "body": payload,
            "analyst": SHORT_PAYLOADS[(i + 2) % len(SHORT_PAYLOADS)]}))  # fmt: skip
        s.annotation_ids.append(reply["id"])
    # A selection whose quote is itself a payload, on the uploaded text.
    text = s.article["text"]
    exact = f'<img src=x onerror="{JS}">'
    start = text.index(exact)
    quote_of_payload = {"exact": exact, "start": start, "end": start + len(exact)}
    selected = ok(api.post("/api/annotations", json={
        "article_id": s.article["id"], "body": PAYLOADS[0], "tags": SHORT_PAYLOADS[:3],
        "target": {"selector": quote_of_payload}}))  # fmt: skip
    s.annotation_ids.append(selected["id"])
    edited = ok(api.patch(f"/api/annotations/{selected['id']}",
                          json={"version": 1, "body": PAYLOADS[5] + PAYLOADS[2]}))  # fmt: skip
    assert edited["version"] == 2  # history shows the payload before and after

    ok(api.post("/api/links", json={
        "source_claim_id": claim, "target_claim_id": seed_claim, "relation": "contradicts",
        "note": PAYLOADS[1] + PAYLOADS[2], "analyst": SHORT_PAYLOADS[2]}))  # fmt: skip

    if api.get("/api/collections").status_code == 200:
        for i, name in enumerate(SHORT_PAYLOADS[:3]):
            fields = {"name": name, "description": PAYLOADS[i], "analyst": SHORT_PAYLOADS[i + 1]}
            c = ok(api.post("/api/collections", json=fields))
            ok(api.post(f"/api/collections/{c['id']}/items", json={"claim_id": claim}))
            s.collection_ids.append(c["id"])
    return s


REFLECTED = quote(f'"><svg onload="{JS}"><script>{JS}</script>')
# Error pages that name what was asked for (a 404 logs a console error of its own).
ERROR_PAGES = [f"/articles/{REFLECTED}", f"/claims/{REFLECTED}", f"/entities/{REFLECTED}"]


def pages_to_visit(s: Seeded) -> list[str]:
    reflected = REFLECTED
    urls = [
        "/",
        f"/articles/{s.article['slug']}",
        f"/articles/{s.pasted['slug']}",
        "/articles/new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia",
        "/claims",
        f"/claims?article={s.article['id']}",
        f"/claims?tag={quote(SHORT_PAYLOADS[0])}",
        f"/claims?q={reflected}&attribution={reflected}&kind={reflected}",
        f"/search?q={reflected}",
        "/search?q=onerror",
        "/search?q=svg",
        f"/search?q={reflected}&kind=annotation",
        "/search?q=onerror&kind=claim",
        f"/claims/pick?q={reflected}",
        "/claims/pick?q=svg",
        "/tags",
        f"/entities?q={reflected}&label={reflected}",
        "/entities",
        "/conflicts",
        "/same-claims",
        "/provenance",
        f"/analyst?next={reflected}",
        f"/analyst?next={quote('javascript:' + JS)}",
        f"/articles/{s.article['id']}/annotate?start=0&end=40",
        *[f"/claims/{c}" for c in s.claim_ids],
        *[f"/annotations/{a}" for a in s.annotation_ids[:4]],
        f"/annotations/{s.annotation_ids[-1]}",
        f"/annotations/{s.annotation_ids[-1]}/history",
        *[f"/entities/{e}" for e in s.entity_ids],
    ]
    if s.collection_ids:
        urls += ["/collections", *[f"/collections/{c}" for c in s.collection_ids]]
        urls.append(f"/export/preview?collection={quote(SHORT_PAYLOADS[0])}")
    urls += ["/export/preview", f"/export/preview?q={reflected}&tag={quote(SHORT_PAYLOADS[1])}"]
    return urls


# Markup a payload would leave in the DOM, whether or not the policy stopped it running.
DOM_CHECK = r"""() => {
  const bad = [];
  // Links to other sites are allowed in notes (http, https, mailto); loading from them is not.
  const loads = ['src', 'srcset', 'data', 'poster', 'background', 'srcdoc'];
  const links = ['href', 'xlink:href', 'action', 'formaction'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = a.value.trim().toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} ${name}=`);
      if (links.includes(name) && /^(javascript|vbscript|data):/.test(value.replace(/\s/g, '')))
        bad.push(`${el.tagName} ${name}=${value.slice(0, 40)}`);
      if (loads.includes(name) && (value.includes('evil.example') || value.includes('xss-probe')
          || /^(javascript|vbscript):/.test(value)))
        bad.push(`${el.tagName} ${name}=${value.slice(0, 40)}`);
      if ((name.startsWith('hx-') || name.startsWith('data-hx-'))
          && (value.includes('xss') || name.startsWith('hx-on') || name.startsWith('data-hx-on')))
        bad.push(`${el.tagName} ${name}`);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'MGLYPH'].includes(el.tagName)) bad.push(el.tagName);
    if (el.tagName === 'SCRIPT' && !(el.src && new URL(el.src).origin === location.origin))
      bad.push('script without a same-origin src');
  }
  return bad;
}"""


def watch(page: Page, url: str) -> list[str]:
    """Every way a payload could show itself on `page`, recorded in the returned list."""
    fired: list[str] = []
    own = urlsplit(url).netloc

    def route(r: Route) -> None:
        parts = urlsplit(r.request.url)
        if parts.netloc != own or PROBE in parts.path:
            fired.append(f"request to {r.request.url}")
            r.abort()
        else:
            r.continue_()

    page.context.route("**/*", route)

    def dialog(d: Dialog) -> None:
        fired.append(f"dialog: {d.message}")
        d.dismiss()

    def console(m: ConsoleMessage) -> None:
        if "XSS" in m.text:
            fired.append(f"console: {m.text}")

    page.on("dialog", dialog)
    page.on("console", console)
    return fired


def visit(page: Page, url: str) -> list[str]:
    """Load `url`, give load/focus handlers and htmx triggers a moment, and report."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status < 500, (url, response and response.status)
    page.wait_for_timeout(60)  # htmx `load` triggers and autofocus handlers fire by now
    problems = [f"{url}: {p}" for p in page.evaluate(DOM_CHECK)]
    if page.evaluate("window.__xss") is not None:
        problems.append(f"{url}: window.__xss is set")
    return problems


def test_no_payload_runs_anywhere(page: Page, browser: Browser, live_server: LiveServer) -> None:
    fired = watch(page, live_server.url)
    s = seed(live_server.url)
    urls = pages_to_visit(s)
    # Who is reading, as the cookie says: shown in every page's top bar.
    page.context.add_cookies(
        [{"name": "analyst", "value": f'"><svg onload={SHORT}>', "url": live_server.url}]
    )
    problems: list[str] = []
    for url in urls:
        problems += visit(page, live_server.url + url)

    # Through htmx: open the claim panel from the article page, as a reader does.
    problems += visit(page, live_server.url + f"/articles/{s.article['slug']}")
    page.locator(f"[data-claim='{s.claim_ids[0]}']").first.click()
    page.wait_for_selector("#panel .annotation .note-body")
    page.wait_for_timeout(100)
    problems += [f"claim panel: {p}" for p in page.evaluate(DOM_CHECK)]
    shown = page.locator("#panel").inner_text()
    assert "{{7*7}}" in shown or "<script>" in shown, "the payloads are shown as text"

    # The analyst form itself: a hostile name, and a next= that leaves the site.
    page.goto(live_server.url + f"/analyst?next={quote('javascript:' + JS)}")
    page.fill("input[name=name]", f"<img src=x onerror={SHORT}>")
    page.locator("form button[type=submit], form button").first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).netloc == urlsplit(live_server.url).netloc
    problems += visit(page, live_server.url + "/")

    # Error pages in a context of their own: their 404 is a console error, nothing more.
    context = browser.new_context()
    errors = context.new_page()
    fired_on_errors = watch(errors, live_server.url)
    logged: list[str] = []
    errors.on("console", lambda m: logged.append(m.text) if m.type == "error" else None)
    for url in ERROR_PAGES:
        problems += visit(errors, live_server.url + url)
    context.close()
    problems += fired_on_errors + [m for m in logged if "Failed to load resource" not in m]

    assert not problems, "\n".join(problems)
    assert not fired, fired

    # The payloads are there, shown as text: the test looked at the right pages.
    page.goto(live_server.url + f"/articles/{s.article['slug']}")
    body = page.locator("main").inner_text()
    # A template that evaluated the title would show "49 report" (a clock may show 49 anywhere).
    assert "<svg onload" in body and "{{7*7}} report" in body and "49 report" not in body
    assert len(urls) >= 30


def test_the_detectors_catch_a_payload_that_runs(browser: Browser, live_server: LiveServer) -> None:
    """The same checks on a page that does let payloads run: each one is seen."""
    context = browser.new_context()
    page = context.new_page()
    fired = watch(page, live_server.url)
    hostile = (
        f'<html><body><img src=x onerror="{JS}"><a href="javascript:{JS}">x</a>'
        f'<div hx-get="{PROBE}" hx-trigger="load"></div><img src="https://evil.example/z.png">'
        "</body></html>"
    )
    page.route(
        f"{live_server.url}/self-test",
        lambda r: r.fulfill(status=200, content_type="text/html", body=hostile),
    )
    problems = " ".join(visit(page, f"{live_server.url}/self-test"))
    context.close()
    assert "window.__xss is set" in problems
    assert "IMG onerror=" in problems and "A href=javascript:" in problems
    assert "DIV hx-get" in problems and "evil.example" in problems
    assert any(f.startswith("dialog: XSS") for f in fired)
    assert any(f.startswith("console: XSS-FIRED") for f in fired)
    assert any("evil.example" in f for f in fired)
