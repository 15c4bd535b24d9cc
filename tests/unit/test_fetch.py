"""Fetching from a web server on loopback: what is read, and every refusal with its message.
Private addresses are allowed here except in the tests of that refusal itself."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from app.fetch import FetchError, FetchLimits, fetch
from app.fetch import addresses as addresses_module
from app.fetch.addresses import address_kind
from tests.webserver import FIXTURES, FixtureSite, fixture_site

PAGE = "news/harbor-bridge-reopens.html"
# A small size cap; the default waits, so that a busy machine's slow answer is no failure.
# Only the test of a server that does not answer waits less.
SMALL = FetchLimits(max_bytes=1024 * 1024)
IMPATIENT = FetchLimits(connect_timeout=2, read_timeout=1, deadline=10, max_bytes=1024 * 1024)


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    with fixture_site() as running:
        yield running


def get(url: str, **kw: object) -> object:
    kw.setdefault("allow_private", True)
    kw.setdefault("limits", SMALL)
    return fetch(url, **kw)  # type: ignore[arg-type]


def refused(url: str, **kw: object) -> str:
    with pytest.raises(FetchError) as caught:
        get(url, **kw)
    return str(caught.value)


def test_a_page_is_fetched_as_html(site: FixtureSite) -> None:
    got = fetch(site.url(PAGE), allow_private=True)
    assert got.kind == "html"
    assert got.data == (FIXTURES / PAGE).read_bytes()
    assert got.charset == "utf-8"
    assert got.url == site.url(PAGE)


def test_the_fetcher_names_itself(site: FixtureSite) -> None:
    get(site.url(PAGE) + "?ua")
    path, agent = site.requests[-1]
    assert path == "/" + PAGE + "?ua"
    assert agent.startswith("ReadingRoom/0.1 (")


def test_gzip_is_decoded(site: FixtureSite) -> None:
    got = get(site.url("gzip/" + PAGE))
    assert got.data == (FIXTURES / PAGE).read_bytes()  # type: ignore[attr-defined]


def test_a_pdf_is_fetched_as_pdf(site: FixtureSite) -> None:
    got = get(site.url("pdf/report.pdf"))
    assert got.kind == "pdf"  # type: ignore[attr-defined]


def test_five_redirects_are_followed_and_each_is_recorded(site: FixtureSite) -> None:
    got = get(site.url("redirect/5?to=" + site.url(PAGE)))
    assert got.url == site.url(PAGE)  # type: ignore[attr-defined]
    assert len(got.redirects) == 5  # type: ignore[attr-defined]


def test_a_sixth_redirect_is_refused(site: FixtureSite) -> None:
    assert refused(site.url("redirect/6?to=" + site.url(PAGE))) == (
        "too many redirects (more than 5)"
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ftp://127.0.0.1/file.html", "only http and https URLs can be fetched, not ftp:"),
        ("http://reader:secret@127.0.0.1/x.html", "URLs with a user name or password are refused"),
    ],
)
def test_every_redirect_is_checked_like_the_first_url(
    site: FixtureSite, target: str, message: str
) -> None:
    assert refused(site.url("redirect/1?to=" + target)) == message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https URLs can be fetched, not file:"),
        ("javascript:alert(1)", "only http and https URLs can be fetched, not javascript:"),
        ("news/page.html", "only http and https URLs can be fetched, not no scheme"),
        ("https://user:pw@example.org/", "URLs with a user name or password are refused"),
        ("http://:80/", "URL has no host: 'http://:80/'"),
        ("http://example.org:99999/", "not a valid URL: 'http://example.org:99999/'"),
        ("http://no-such-host.invalid/news.html", "no such host: no-such-host.invalid"),
        ("http://x/" + "a" * 2100, "URL is longer than 2048 characters"),
    ],
)
def test_urls_that_are_refused_before_any_request(url: str, message: str) -> None:
    assert refused(url) == message


def test_loopback_is_refused_unless_private_addresses_are_allowed(site: FixtureSite) -> None:
    message = refused(site.url(PAGE), allow_private=False)
    assert message == (
        "refused: 127.0.0.1 is a loopback address; set READINGROOM_FETCH_PRIVATE=true "
        "to allow addresses of your own network"
    )
    assert refused(f"http://localhost:{site.url(PAGE).split(':')[2]}", allow_private=False) in {
        "refused: localhost (127.0.0.1) is a loopback address; set "
        "READINGROOM_FETCH_PRIVATE=true to allow addresses of your own network",
        "refused: localhost (::1) is a loopback address; set "
        "READINGROOM_FETCH_PRIVATE=true to allow addresses of your own network",
    }


def test_a_name_that_resolves_public_then_connects_to_loopback_is_refused(
    site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS may answer a public address to the check and loopback to the connection: the
    address actually connected to is checked too."""
    public = ipaddress.ip_address("93.184.216.34")
    monkeypatch.setattr(addresses_module, "resolve", lambda host, port: [public])
    message = refused(site.url(PAGE), allow_private=False)
    assert message.startswith("refused: 127.0.0.1 is a loopback address")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


def test_not_found_says_404(site: FixtureSite) -> None:
    assert refused(site.url("news/no-such-story.html")) == "the server answered 404 (not found)"


def test_server_errors_say_their_status(site: FixtureSite) -> None:
    assert refused(site.url("status/503")) == "the server answered 503 (service unavailable)"


def test_content_that_is_not_html_or_pdf_is_refused(site: FixtureSite) -> None:
    assert refused(site.url("img/generic.jpg")) == "not HTML or PDF: the server sent image/jpeg"
    assert refused(site.url("typed/application/zip")) == (
        "not HTML or PDF: the server sent application/zip"
    )


def test_a_feed_url_accepts_only_feeds(site: FixtureSite) -> None:
    assert get(site.url("feeds/rss.xml"), accept=frozenset({"feed"})).kind == "feed"  # type: ignore[attr-defined]
    assert refused(site.url(PAGE), accept=frozenset({"feed"})) == (
        "not an RSS or Atom feed: the server sent text/html"
    )


@pytest.mark.parametrize("path", ["big/2", "big/2?chunked", "bomb"])
def test_too_large_is_refused_without_reading_it_all(site: FixtureSite, path: str) -> None:
    assert refused(site.url(path)) == "too large: the page is bigger than 1 MiB"


def test_a_server_that_does_not_answer_times_out(site: FixtureSite) -> None:
    assert refused(site.url("slow"), limits=IMPATIENT) == (
        f"timed out: {site.url('')[7:-1]} did not answer in time"
    )


def test_a_refused_connection_is_named(site: FixtureSite) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert refused(f"http://127.0.0.1:{port}/") == (
        f"could not connect: 127.0.0.1:{port} refused the connection"
    )
