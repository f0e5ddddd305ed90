"""API keys, roles and the rate limit, without HTTP."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from service.access import (
    Access,
    AccessConfigError,
    ApiKey,
    RateLimiter,
    StreamSlots,
    digest,
    new_key,
    parse_keys,
)
from service.bootstrap import access_policy
from service.settings import Settings, SettingsError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_new_key_round_trips_through_its_configuration_entry() -> None:
    key, record = new_key("ingester", "write")
    assert key.startswith("cl_") and len(key) > 40
    (parsed,) = parse_keys(record.entry())
    assert parsed == record
    assert key not in record.entry()
    assert Access(keys=(parsed,)).identify(key) == record


def test_entries_are_separated_by_commas_or_space() -> None:
    a = ApiKey("a", "read", digest("ka"))
    b = ApiKey("b", "write", digest("kb"))
    assert parse_keys(f"{a.entry()}, {b.entry()}\n") == (a, b)
    assert parse_keys("") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("justaname", "name:role:sha256-hex"),
        ("a:admin:" + "0" * 64, "role must be read or write"),
        ("a:read:xyz", "64 hexadecimal"),
        ("a:read:" + "0" * 62, "64 hexadecimal"),
        (":read:" + "0" * 64, "name:role:sha256-hex"),
        (f"a:read:{'0' * 64},a:write:{'1' * 64}", "used twice"),
    ],
)
def test_bad_entries_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(AccessConfigError, match=message):
        parse_keys(text)


def test_settings_name_the_variable_at_fault() -> None:
    with pytest.raises(SettingsError, match="CLAIMLEDGER_API_KEYS"):
        Settings.from_env({"CLAIMLEDGER_API_KEYS": "nope"})
    with pytest.raises(SettingsError, match="CLAIMLEDGER_READS"):
        Settings.from_env({"CLAIMLEDGER_READS": "sometimes"})
    with pytest.raises(SettingsError, match="CLAIMLEDGER_RATE_LIMIT"):
        Settings.from_env({"CLAIMLEDGER_RATE_LIMIT": "fast"})
    settings = Settings.from_env({"CLAIMLEDGER_CORS_ORIGINS": "https://a.test, https://b.test"})
    assert settings.cors_origins == ("https://a.test", "https://b.test")
    assert Settings.from_env({}).cors_origins == ()


def test_roles_and_open_reads_decide_the_status() -> None:
    access = Access(keys=(ApiKey("r", "read", digest("kr")), ApiKey("w", "write", digest("kw"))))
    assert access.decide("write", None, "1.2.3.4").status == 401
    assert access.decide("write", "wrong", "1.2.3.4").status == 401
    assert access.decide("write", "kr", "1.2.3.4").status == 403
    assert access.decide("write", "kw", "1.2.3.4").status == 200
    assert access.decide("read", None, "1.2.3.4").status == 200
    assert access.decide("read", "wrong", "1.2.3.4").status == 401
    keyed = Access(keys=access.keys, open_reads=False)
    assert keyed.decide("read", None, "1.2.3.4").status == 401
    assert keyed.decide("read", "kr", "1.2.3.4").status == 200


def test_the_bucket_refills_at_the_configured_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    assert limiter.take("a") is None
    assert limiter.take("a") is None
    assert limiter.take("a") == 1
    assert limiter.take("b") is None  # another caller has its own bucket
    clock.now += 1.0
    assert limiter.take("a") is None
    assert limiter.take("a") == 1


def test_a_slow_rate_asks_for_a_longer_wait() -> None:
    limiter = RateLimiter(per_minute=6, burst=1, clock=Clock())
    assert limiter.take("a") is None
    assert limiter.take("a") == 10


def test_quiet_callers_are_forgotten_first() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=1, max_callers=2, clock=clock)
    limiter.take("a")
    limiter.take("b")
    limiter.take("c")  # forgets a, the least recently seen
    assert limiter.take("a") is None
    assert limiter.take("c") == 1


def test_the_rate_limit_counts_by_key_and_otherwise_by_address() -> None:
    access = Access(
        keys=(ApiKey("w", "write", digest("kw")),),
        limiter=RateLimiter(per_minute=60, burst=1, clock=Clock()),
    )
    assert access.decide("read", None, "10.0.0.1").allowed
    refused = access.decide("read", None, "10.0.0.1")
    assert (refused.status, refused.retry_after) == (429, 1)
    assert access.decide("read", None, "10.0.0.2").allowed
    assert access.decide("write", "kw", "10.0.0.1").allowed
    assert access.decide("write", "kw", "10.0.0.2").status == 429


def test_refused_requests_count_against_the_rate_limit_of_their_address() -> None:
    access = Access(
        keys=(ApiKey("w", "write", digest("kw")),),
        open_reads=False,
        limiter=RateLimiter(per_minute=60, burst=2, clock=Clock()),
    )
    assert access.decide("read", None, "10.0.0.1").status == 401
    assert access.decide("write", "not a key", "10.0.0.1").status == 401
    assert access.decide("read", "another", "10.0.0.1").status == 429
    assert access.decide("write", "kw", "10.0.0.1").allowed  # a known key has its own


def test_stream_slots_are_limited_per_caller_and_in_all_and_given_back_once() -> None:
    slots = StreamSlots(per_process=3, per_caller=2)
    first, second = slots.take("a"), slots.take("a")
    assert first and second and slots.take("a") is None
    third = slots.take("b")
    assert third and slots.take("c") is None and slots.open == 3
    first()
    first()  # given back once only
    assert slots.open == 2
    assert slots.take("c") is not None and slots.take("a") is None


def test_without_configured_keys_serve_keeps_one_write_key_in_the_data_folder(
    tmp_path: Path,
) -> None:
    settings = Settings.from_env({"CLAIMLEDGER_DATA_DIR": str(tmp_path / "data")})
    first = access_policy(settings)
    path = tmp_path / "data" / "api-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert first.decide("write", key, "127.0.0.1").allowed
    assert access_policy(settings).decide("write", key, "127.0.0.1").allowed
    configured = Settings.from_env(
        {
            "CLAIMLEDGER_DATA_DIR": str(tmp_path / "other"),
            "CLAIMLEDGER_API_KEYS": first.keys[0].entry(),
        }
    )
    assert access_policy(configured).keys == first.keys
    assert not (tmp_path / "other").exists()
