"""The newcomer's contract: documented settings, a clean deployment check, a deployable compose file."""

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DIR = ROOT / "config" / "settings"

# env_str("NAME", default) and friends; the default is captured when it is written as a plain literal.
ENV_READ = re.compile(
    r"""\benv_(str|int|bool|float|list|networks)\(\s*["']([A-Z][A-Z0-9_]*)["'](?:\s*,\s*([^()]*?)\s*\))?"""
)
ENV_EXAMPLE_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
COMPOSE_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")


def settings_reads() -> list[tuple[str, str, str | None]]:
    """(kind, name, default source or None) for every environment variable read in config/settings/*.py."""
    reads = []
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        reads.extend(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return [(kind, name, default or None) for kind, name, default in reads]


def env_example() -> dict[str, str]:
    """The variables of .env.example with their values, each checked to have a comment line just above it."""
    values = {}
    previous = ""
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ENV_EXAMPLE_LINE.match(line)
        if match:
            name, value = match.groups()
            assert previous.startswith("# "), f".env.example: {name} needs a one-line comment above it"
            assert name not in values, f".env.example lists {name} twice"
            values[name] = value.strip().strip('"')
        previous = line
    return values


def test_settings_read_the_environment():
    # Guards the regular expression: if the settings stop matching it, the next test proves nothing.
    names = {name for _, name, _ in settings_reads()}
    assert {"DATABASE_URL", "REDIS_URL", "OCOP_REGISTRY_URL", "DJANGO_SECRET_KEY"} <= names


def test_every_setting_from_the_environment_is_in_env_example():
    documented = env_example()
    missing = sorted({name for _, name, _ in settings_reads()} - documented.keys())
    assert not missing, f"add these to .env.example, each with its default and a comment: {missing}"


def test_env_example_shows_the_settings_defaults():
    documented = env_example()
    parse = {
        "str": str,
        "int": int,
        "float": float,
        "bool": lambda raw: raw.lower() in {"1", "true", "yes", "on"},
        "list": lambda raw: ",".join(item.strip() for item in raw.split(",") if item.strip()),
    }
    parse["networks"] = parse["list"]
    for kind, name, default_source in settings_reads():
        value = documented.get(name, "")
        if not value or default_source is None:
            continue  # empty in .env.example means "the settings' default", whatever it is
        try:
            default = ast.literal_eval(default_source)
        except (ValueError, SyntaxError):
            continue  # a computed default, such as a path under BASE_DIR
        assert parse[kind](value) == default, f".env.example: {name}={value}, but the settings default is {default!r}"


def test_env_example_names_the_variables_of_the_compose_file():
    used = set(COMPOSE_VARIABLE.findall((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
    missing = sorted(used - env_example().keys())
    assert not missing, f"docker-compose.yml uses variables that .env.example does not document: {missing}"


def production_environment(**variables: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    environment.update(variables)
    return environment


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    environment = production_environment(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        DJANGO_ALLOWED_HOSTS="shop.example.vn",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", environment=production_environment(DJANGO_ALLOWED_HOSTS="shop.example.vn"))
    assert result.returncode != 0
    assert "Set the environment variable DJANGO_SECRET_KEY." in result.stderr


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_file_has_the_six_services(compose):
    assert {"postgres", "redis", "elasticsearch", "web", "worker", "beat"} <= compose["services"].keys()


def test_compose_services_run_what_they_are_named_for(compose):
    services = compose["services"]
    assert "gunicorn config.wsgi" in command_of(services["web"])
    assert "celery -A config worker" in command_of(services["worker"])
    assert "celery -A config beat" in command_of(services["beat"])
    for name in ("web", "worker", "beat"):
        assert services[name]["build"] == "."
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_compose_elasticsearch_is_a_single_node_8x(compose):
    elasticsearch = compose["services"]["elasticsearch"]
    assert elasticsearch["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    assert elasticsearch["environment"]["discovery.type"] == "single-node"
    assert "ES_JAVA_OPTS" in elasticsearch["environment"]


def test_compose_dependencies_wait_for_health(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert condition == {"condition": "service_healthy"}, f"{name} -> {dependency}"
            assert "healthcheck" in services[dependency], f"{name} waits for {dependency}, which has no healthcheck"
