"""Settings: one typed object, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """How the service is configured; every field has an environment variable."""

    database_url: str | None
    data_dir: Path
    corpus_dir: Path
    host: str
    port: int
    run_projector: bool
    max_body_bytes: int

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read the settings from the environment (or a given mapping)."""
        source = os.environ if env is None else env
        return cls(
            database_url=source.get("DATABASE_URL") or None,
            data_dir=Path(source.get("CLAIMLEDGER_DATA_DIR", ".claimledger")),
            corpus_dir=Path(source.get("CLAIMLEDGER_CORPUS_DIR", "../shared/corpus")),
            host=source.get("CLAIMLEDGER_HOST", "127.0.0.1"),
            port=int(source.get("CLAIMLEDGER_PORT", "8000")),
            run_projector=_flag(source.get("CLAIMLEDGER_RUN_PROJECTOR", "true")),
            max_body_bytes=int(source.get("CLAIMLEDGER_MAX_BODY_BYTES", str(32 * 1024 * 1024))),
        )


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}
