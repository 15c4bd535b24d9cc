"""Settings, read from the environment (prefix READINGROOM_) and an optional .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "readingroom"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="READINGROOM_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR,
        description="Folder for the SQLite database, uploads and backups.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/readingroom.db. "
        "A team server uses postgresql+psycopg://user:pass@host/db.",
    )
    seeds_dir: Path = Field(
        default=PROJECT_ROOT / "seeds",
        description="Articles ingested when the database is empty at first start.",
    )
    seed_on_start: bool = Field(
        default=True, description="Ingest seeds_dir into an empty database."
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Extra Host names accepted besides localhost, 127.0.0.1 and [::1] "
        "(comma-separated or a JSON list).",
    )
    default_analyst: str = Field(
        default="analyst", description="Analyst named on writes that name nobody."
    )
    token: str | None = Field(
        default=None,
        description="Access token required when serving beyond loopback; generated if unset.",
    )
    require_token: bool = Field(
        default=False,
        description="Require the token on loopback too (a machine shared by several users).",
    )
    publication_url: str = Field(
        default="https://factchecks.example.org",
        description="Base URL of the published fact checks, used in ClaimReview exports.",
    )

    fetch_private: bool = Field(
        default=False,
        description="Fetch URLs on private, loopback and link-local addresses too (an "
        "intranet's news pages); off, only public addresses are fetched.",
    )
    feed_check_minutes: int = Field(
        default=0,
        ge=0,
        le=7 * 24 * 60,
        description="Check every feed for new items this often while the server runs; "
        "0 (the default) checks only when asked.",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'readingroom.db'}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
