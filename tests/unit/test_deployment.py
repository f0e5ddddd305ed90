"""The compose file and the image cannot be run here; check what can be checked."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

from service.cli.main import parser

ROOT = Path(__file__).parents[2]


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_database_migration_api_and_projector() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "api", "projector"}
    assert services["db"]["image"].startswith("postgres:16")
    assert "healthcheck" in services["db"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["db"]["volumes"])
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("api", "projector"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"


def test_every_compose_command_is_a_valid_claimledger_command() -> None:
    for name, service in compose()["services"].items():
        if name == "db":
            continue
        command = service["command"]
        assert command[0] == "claimledger", name
        parser().parse_args(command[1:])  # exits the test on an unknown option


def test_image_copies_what_exists_and_runs_a_valid_command() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text().splitlines()
    for line in dockerfile:
        if line.startswith("COPY ") and "--from=" not in line:
            for source in shlex.split(line)[1:-1]:
                assert (ROOT / source).exists(), source
    cmd = next(line for line in dockerfile if line.startswith("CMD "))
    argv = yaml.safe_load(cmd.removeprefix("CMD "))
    assert argv[0] == "claimledger"
    parser().parse_args(argv[1:])


def test_image_copies_every_package_the_project_ships() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    copied = {
        shlex.split(line)[1]
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
    }
    assert {package.split("/")[0] for package in packages} <= copied


def test_the_api_and_projector_connect_as_the_service_role_and_migrate_as_the_owner() -> None:
    services = compose()["services"]
    migrate = services["migrate"]["environment"]
    assert migrate["DATABASE_URL"].startswith("postgresql://claimledger:")
    role = migrate["CLAIMLEDGER_SERVICE_ROLE"]
    for name in ("api", "projector"):
        url = (services[name].get("environment") or compose()["x-app"]["environment"])[
            "DATABASE_URL"
        ]
        assert url.startswith(f"postgresql://{role}:"), name
    assert any(v.endswith(":/var/lib/claimledger") for v in services["api"]["volumes"])


def test_the_image_runs_without_build_tools_and_checks_readiness() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = dockerfile.split("\nFROM ")
    assert len(stages) == 3, "comments, a build stage and the image"
    image = stages[-1]
    assert "uv" not in image.replace("/opt/venv", "") and "pip install" not in image
    assert "COPY --from=build /opt/venv /opt/venv" in image
    assert "/ready" in image and "USER claimledger" in image
    assert "--extra" not in dockerfile  # the embedded PostgreSQL stays out


def test_compose_builds_once_binds_locally_and_has_no_default_password() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    services = compose()["services"]
    assert [name for name, s in services.items() if "build" in s] == ["migrate"]
    assert services["api"]["ports"] == ["${CLAIMLEDGER_BIND:-127.0.0.1}:8000:8000"]
    for variable in ("POSTGRES_PASSWORD", "SERVICE_DB_PASSWORD"):
        assert f"${{{variable}:-" not in text
        assert f"${{{variable}:?" in text
    check = services["projector"]["healthcheck"]["test"]
    assert check[:2] == ["CMD", "claimledger"]
    parser().parse_args(check[2:])
