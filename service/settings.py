"""Settings: one typed object, read from the environment once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from infra.eventstore.recorder import DEFAULT_TIMEOUTS, WriteTimeouts
from infra.reading.model import ModelEndpoint
from service.access import ApiKey, parse_keys


class SettingsError(ValueError):
    """A setting has a value the service cannot use; the message names the variable."""


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
    migration_database_url: str | None = None
    service_role: str | None = None
    service_password: str | None = None
    api_keys: tuple[ApiKey, ...] = ()
    open_reads: bool = True
    rate_per_minute: int = 600
    rate_burst: int = 100
    cors_origins: tuple[str, ...] = ()
    access_log: bool = True
    place_memory_mb: int = 64
    workers: int = 1
    write_timeouts: WriteTimeouts = DEFAULT_TIMEOUTS
    max_streams: int = 1000
    ready_max_lag: float = 30.0
    max_streams_per_caller: int = 200
    map_tiles: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    """The workbench map's tile source (a URL template; empty: outlines only)."""
    keyed_bodies: bool = True
    """Whether article bodies go only to callers that present a key."""
    log_level: str = "info"
    log_format: str = "json"
    metrics: bool = True
    """Whether requests are counted and timed for /metrics."""
    model: ModelEndpoint | None = None
    """The language model that reads articles (CLAIMLEDGER_READER=model); None: the rules."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from the environment (or a given mapping)."""
        source: Mapping[str, str] = os.environ if env is None else env
        try:
            keys = parse_keys(source.get("CLAIMLEDGER_API_KEYS", ""))
        except ValueError as error:
            raise SettingsError(f"CLAIMLEDGER_API_KEYS: {error}") from None
        reads = _choice(source, "CLAIMLEDGER_READS", "open", ("open", "keyed"))
        bodies = _choice(source, "CLAIMLEDGER_BODIES", "keyed", ("keyed", "open"))
        return cls(
            database_url=source.get("DATABASE_URL") or None,
            data_dir=Path(source.get("CLAIMLEDGER_DATA_DIR", ".claimledger")),
            corpus_dir=Path(source.get("CLAIMLEDGER_CORPUS_DIR", "../shared/corpus")),
            host=source.get("CLAIMLEDGER_HOST", "127.0.0.1"),
            port=_number(source, "CLAIMLEDGER_PORT", 8000),
            run_projector=_flag(source.get("CLAIMLEDGER_RUN_PROJECTOR", "true")),
            max_body_bytes=_number(source, "CLAIMLEDGER_MAX_BODY_BYTES", 16 * 1024 * 1024),
            migration_database_url=source.get("CLAIMLEDGER_MIGRATION_DATABASE_URL") or None,
            service_role=source.get("CLAIMLEDGER_SERVICE_ROLE") or None,
            service_password=source.get("CLAIMLEDGER_SERVICE_PASSWORD") or None,
            api_keys=keys,
            open_reads=reads == "open",
            rate_per_minute=_number(source, "CLAIMLEDGER_RATE_LIMIT", 600),
            rate_burst=_number(source, "CLAIMLEDGER_RATE_BURST", 100),
            access_log=_flag(source.get("CLAIMLEDGER_ACCESS_LOG", "true")),
            place_memory_mb=_number(source, "CLAIMLEDGER_PLACE_MEMORY_MB", 64),
            workers=_number(source, "CLAIMLEDGER_WORKERS", 1),
            max_streams=_number(source, "CLAIMLEDGER_MAX_STREAMS", 1000),
            ready_max_lag=_seconds(source, "CLAIMLEDGER_READY_MAX_LAG", 30),
            max_streams_per_caller=_number(source, "CLAIMLEDGER_MAX_STREAMS_PER_CALLER", 200),
            write_timeouts=WriteTimeouts(
                lock_wait=_seconds(source, "CLAIMLEDGER_WRITE_LOCK_TIMEOUT", 5),
                statement=_seconds(source, "CLAIMLEDGER_WRITE_TIMEOUT", 15),
            ),
            map_tiles=source.get(
                "CLAIMLEDGER_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
            ).strip(),
            keyed_bodies=bodies == "keyed",
            log_level=_choice(
                source, "CLAIMLEDGER_LOG_LEVEL", "info", ("debug", "info", "warning", "error")
            ),
            log_format=_choice(source, "CLAIMLEDGER_LOG_FORMAT", "json", ("json", "text")),
            metrics=_flag(source.get("CLAIMLEDGER_METRICS", "true")),
            model=_model(source),
            cors_origins=tuple(
                o for o in source.get("CLAIMLEDGER_CORS_ORIGINS", "").replace(",", " ").split() if o
            ),
        )


def _number(source: Mapping[str, str], name: str, default: int) -> int:
    text = source.get(name, str(default)).strip()
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {text!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative")
    return value


def _seconds(source: Mapping[str, str], name: str, default: float) -> float:
    text = source.get(name, str(default)).strip()
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {text!r}") from None
    if not 0 < value <= 3600:
        raise SettingsError(f"{name} must be more than 0 and at most 3600 seconds")
    return value


def _model(source: Mapping[str, str]) -> ModelEndpoint | None:
    """The model endpoint when CLAIMLEDGER_READER=model; the rules (None) by default."""
    if _choice(source, "CLAIMLEDGER_READER", "rules", ("rules", "model")) == "rules":
        return None
    url, model = source.get("CLAIMLEDGER_MODEL_URL", ""), source.get("CLAIMLEDGER_MODEL", "")
    if not url.startswith(("http://", "https://")) or not model.strip():
        raise SettingsError(
            "CLAIMLEDGER_READER=model needs CLAIMLEDGER_MODEL_URL (http:// or https://, the"
            " API's base, e.g. http://127.0.0.1:8080/v1) and CLAIMLEDGER_MODEL"
        )
    return ModelEndpoint(
        url=url,
        model=model.strip(),
        key=source.get("CLAIMLEDGER_MODEL_KEY") or None,
        timeout=_seconds(source, "CLAIMLEDGER_MODEL_TIMEOUT", 120),
        concurrency=max(1, _number(source, "CLAIMLEDGER_MODEL_CONCURRENCY", 4)),
    )


def _choice(source: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = source.get(name, default).strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be {' or '.join(allowed)}, not {value!r}")
    return value


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}
