"""Twenty analysts at once, over real HTTP, against one server (one process, or two worker
processes): they edit the same notes
(the JSON API's PATCH and the page's edit form, each from the version they read) and judge
the same claims. Every edit lands or is refused with a 409; none is lost (a note's version is
1 + its landed edits, and its history has exactly one entry per landed edit); each analyst
holds one standing verdict per claim, the last they set, with one history entry per change;
no 5xx, and "database is locked" never reaches anyone.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from app.config import Settings
from tests.factories import LiveServer

ANALYSTS = 20
ROUNDS = 12
VERDICTS = ["corroborated", "disputed", "unverified", "false", "misleading"]


@dataclass
class Tally:
    landed: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts: int = 0
    verdicts: Counter[int] = field(default_factory=Counter)  # claim id -> changes stored
    latest_verdict: dict[tuple[int, str], str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def analyst(url: str, n: int, notes: list[int], claims: list[int], tally: Tally) -> None:
    name = f"analyst {n:02d}"
    rng = random.Random(n)
    with httpx.Client(base_url=url, timeout=60, headers={"X-Analyst": name}) as client:
        for round_ in range(ROUNDS):
            note = notes[rng.randrange(len(notes))]
            current = client.get(f"/api/annotations/{note}")
            if current.status_code != 200:
                tally.errors.append(f"GET {current.status_code} {current.text[:200]}")
                continue
            version = current.json()["version"]
            body = f"{name} round {round_} from v{version}"
            if n % 2:  # the page's form, as htmx posts it
                r = client.post(
                    f"/annotations/{note}/edit",
                    data={"version": str(version), "body": body, "verdict": "", "tags": "shared"},
                    headers={"hx-request": "true"},
                )
            else:
                r = client.patch(
                    f"/api/annotations/{note}", json={"version": version, "body": body}
                )
            with tally.lock:
                if r.status_code == 200:
                    tally.landed[note].append(body)
                elif r.status_code == 409:
                    tally.conflicts += 1
                else:
                    tally.errors.append(f"edit {r.status_code} {r.text[:200]}")
            claim = claims[rng.randrange(len(claims))]
            verdict = VERDICTS[(n + round_) % len(VERDICTS)]
            r = client.put(f"/api/claims/{claim}/verdict", json={"verdict": verdict})
            with tally.lock:
                if r.status_code == 200:
                    tally.verdicts[claim] += tally.latest_verdict.get((claim, name)) != verdict
                    tally.latest_verdict[(claim, name)] = verdict
                else:
                    tally.errors.append(f"verdict {r.status_code} {r.text[:200]}")


@pytest.fixture(params=[1, 2], ids=["one process", "two worker processes"])
def server(settings: Settings, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """`readingroom serve`, and `readingroom serve --workers 2`: two processes sharing the
    port and the database (and each running a job runner)."""
    live = LiveServer(settings, args=["--workers", str(request.param)])
    live.start()
    yield live
    live.stop()
    if request.param > 1:
        started = re.findall(r"Started server process \[(\d+)\]", live.log.read_text())
        assert len(set(started)) == request.param


def test_twenty_analysts_lose_no_update(server: LiveServer) -> None:
    api = httpx.Client(base_url=server.url, timeout=30)
    claims = [c["id"] for c in api.get("/api/claims?limit=3").json()]
    notes = []
    for i, claim in enumerate(claims[:2]):
        r = api.post("/api/annotations", json={"target": {"claim_id": claim}, "body": f"note {i}"})
        assert r.status_code == 201
        notes.append(r.json()["id"])
    before = {c: len(api.get(f"/api/claims/{c}").json()["annotations"]) for c in claims}

    tally = Tally()
    threads = [
        threading.Thread(target=analyst, args=(server.url, n, notes, claims, tally))
        for n in range(ANALYSTS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)

    assert not tally.errors, tally.errors[:5]
    landed = sum(len(bodies) for bodies in tally.landed.values())
    lost = 0
    for note in notes:
        final = api.get(f"/api/annotations/{note}").json()
        history = api.get(f"/api/annotations/{note}/history").json()
        edits = [h for h in history if h["action"] == "edit"]
        bodies = tally.landed[note]
        lost += len(set(bodies) - {h["change"].get("body", {}).get("to") for h in edits})
        assert final["version"] == 1 + len(bodies), (note, final["version"], len(bodies))
        assert [h["version"] for h in history] == list(range(1, final["version"] + 1))
        assert len(edits) == len(bodies)
        if edits:
            assert final["body"] == edits[-1]["change"]["body"]["to"]
    for claim in claims:
        detail = api.get(f"/api/claims/{claim}").json()
        assert len(detail["annotations"]) == before[claim]  # verdicts make no annotation
        expected = {who: v for (c, who), v in tally.latest_verdict.items() if c == claim}
        assert detail["status"]["by"] == expected
        history = api.get(f"/api/claims/{claim}/verdicts").json()["history"]
        assert len(history) == tally.verdicts[claim]
    print(
        f"\nconcurrency: {ANALYSTS} analysts, {ANALYSTS * ROUNDS} edits tried: {landed} landed, "
        f"{tally.conflicts} refused with 409, {lost} lost; "
        f"{sum(tally.verdicts.values())} verdicts stored; 0 errors"
    )
    assert lost == 0
    assert landed + tally.conflicts == ANALYSTS * ROUNDS
    assert tally.conflicts > 0, "the analysts should have collided at least once"
    log = server.log.read_text()
    assert "database is locked" not in log and "Traceback" not in log


WRITERS_AT_ONCE = 60  # more than the server's thread pool (40 threads)


def test_more_writers_at_once_than_threads_are_all_stored(settings: Settings) -> None:
    """Sixty analysts save a note at the same moment, three times, against one process: each
    note is stored (201) and listed; none waits out SQLite's lock to be refused with a 503."""
    live = LiveServer(settings)
    live.start()
    try:
        claim = httpx.get(f"{live.url}/api/claims?limit=1").json()[0]["id"]
        start = threading.Barrier(WRITERS_AT_ONCE)
        answers: list[int] = []

        def write(n: int) -> None:
            with httpx.Client(base_url=live.url, timeout=120) as client:
                start.wait()
                for i in range(3):
                    body = {"target": {"claim_id": claim}, "body": f"at once {n}.{i}"}
                    answers.append(client.post("/api/annotations", json=body).status_code)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS_AT_ONCE)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert Counter(answers) == {201: 3 * WRITERS_AT_ONCE}
        notes = httpx.get(f"{live.url}/api/annotations?limit=1000").json()
        assert sum(a["body"].startswith("at once ") for a in notes) == 3 * WRITERS_AT_ONCE
        assert "database is locked" not in live.log.read_text()
    finally:
        live.stop()
