"""A large upload in the library, as an analyst does it: the file is sent from the upload
form, the library shows the job with its progress while it runs (polling), then a link to
the article it stored; another is cancelled from its button."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from app.services.ingest import SYNC_MAX_BYTES
from tests.factories import LiveServer, long_article, screenshot


def upload(page: Page, url: str, name: str, data: bytes) -> None:
    page.goto(url + "/")
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/plain", "buffer": data}])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/#job-*")


def test_a_large_upload_shows_its_progress_then_its_article(
    live_server: LiveServer, page: Page
) -> None:
    upload(page, live_server.url, "long report.txt", long_article(6 * SYNC_MAX_BYTES, "browser"))
    job = page.locator(".job").first
    expect(job).to_have_attribute("data-state", "running", timeout=30_000)
    expect(job.locator("progress")).to_be_visible()
    expect(job.get_by_role("button", name="Cancel")).to_be_visible()
    link = job.get_by_role("link", name="open the article")
    expect(link).to_be_visible(timeout=120_000)  # the list polled until the job ended
    expect(job).to_have_attribute("data-state", "done")
    screenshot(page, "library-job-done")
    link.click()
    page.wait_for_url("**/articles/a-long-report-on-recruitment-browser*")
    expect(page.locator("h1")).to_have_text("A long report on recruitment browser")
    assert page.locator(".article-body .claim").count() > 5


def test_a_job_is_cancelled_from_the_library(live_server: LiveServer, page: Page) -> None:
    upload(page, live_server.url, "to cancel.txt", long_article(96 * 1024, "cancelled"))
    job = page.locator(".job").first
    job.get_by_role("button", name="Cancel").click()
    expect(job).to_have_attribute("data-state", "cancelled", timeout=30_000)
    expect(job).to_contain_text("cancelled")
    page.goto(live_server.url + "/")
    expect(page.locator("table.library")).not_to_contain_text("A long report on recruitment")
