"""Issue 12: what can be checked of the containers without Docker (it cannot run here):
compose.yaml and the Dockerfile say what the README says, and .env.example lists every
setting the bot knows, and nothing else."""

from __future__ import annotations

import re

import yaml

from bot.settings import PROJECT_ROOT, Settings

COMPOSE_ONLY = {"POSTGRES_PASSWORD"}  # the database's password: compose's, not the bot's
REQUIRED = {"TELEGRAM_BOT_TOKEN", "OPERATOR_NAME", "OPERATOR_CONTACT", "DATABASE_URL"}


def test_compose_runs_the_bot_beside_postgresql_with_every_required_setting() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))
    db, bot = compose["services"]["db"], compose["services"]["bot"]
    assert db["image"] == "postgres:15" and "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.startswith("pgdata:") for volume in db["volumes"])
    assert "pgdata" in compose["volumes"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["env_file"] == ".env" and bot["command"] == ["spasmbot", "run"]
    assert set(bot["environment"]) >= REQUIRED
    assert bot["environment"]["ENCRYPTION_KEY_FILE"].startswith("/run/secrets/")
    assert all(port.startswith("127.0.0.1:") for port in bot["ports"])


def test_the_dockerfile_runs_what_the_readme_says_as_a_user_without_privileges() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"^FROM (\S+)", dockerfile, flags=re.M)[-1] == "python:3.11-slim"
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "/readyz" in dockerfile.split("HEALTHCHECK", 1)[1]
    assert re.findall(r"^CMD (.+)$", dockerfile, flags=re.M)[-1] == '["spasmbot", "run"]'
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker compose up" in readme and "spasmbot run" in readme


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.M))
    assert named == {name.upper() for name in Settings.model_fields} | COMPOSE_ONLY
