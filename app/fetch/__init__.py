"""Fetching pages, PDFs and feeds from the web: only public http(s) addresses unless told
otherwise, bounded in time and size, each refusal a one-line message. No database here."""

from app.fetch.addresses import UnsafeURL, check_url
from app.fetch.client import Fetched, FetchError, FetchLimits, fetch

__all__ = ["FetchError", "FetchLimits", "Fetched", "UnsafeURL", "check_url", "fetch"]
