"""The production stack's files are valid: compose.yaml against the Compose
Specification's schema (deploy/compose-spec.json, as `docker compose config` checks it)
after Compose's own interpolation, and the nginx config with `nginx -t` (Debian's nginx,
which scripts/ensure-system-packages installs)."""

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SECRETS = {"SECRET_KEY": "s" * 50, "JWT_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----"}
_VARIABLE = re.compile(
    r"\$(?:\$|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?(?P<arg>[^}]*)\})"
)


class MissingVariable(Exception):
    pass


def interpolate(value, environment):
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$."""
    if isinstance(value, dict):
        return {key: interpolate(item, environment) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, environment) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name"), match.group("op"), match.group("arg")
        current = environment.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op in (":?", "?") and unset:
            raise MissingVariable(f"{name}: {arg}")
        if op in (":-", "-") and unset:
            return arg
        return current or ""

    return _VARIABLE.sub(replace, value)


def compose(environment=SECRETS):
    return interpolate(yaml.safe_load((REPO / "compose.yaml").read_text()), environment)


@pytest.fixture(scope="module")
def schema():
    return json.loads((REPO / "deploy" / "compose-spec.json").read_text())


def test_compose_yaml_follows_the_compose_specification(schema):
    jsonschema.Draft7Validator(schema).validate(compose())


def test_the_schema_refuses_a_broken_file(schema):
    broken = compose()
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "service_finished"

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)


@pytest.mark.parametrize("secret", ["SECRET_KEY", "JWT_PRIVATE_KEY"])
def test_compose_refuses_to_start_without_a_secret(secret):
    with pytest.raises(MissingVariable, match=secret):
        compose({k: v for k, v in SECRETS.items() if k != secret})


def test_web_and_worker_wait_for_the_one_shot_migration():
    services = compose()["services"]

    assert set(services) == {"db", "redis", "migrate", "web", "live", "worker", "nginx"}
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "live", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert "migrate" not in " ".join(services[name]["command"])
    assert services["nginx"]["depends_on"] == {
        "web": {"condition": "service_healthy"},
        "live": {"condition": "service_healthy"},  # the live stream (#22)
    }


def test_every_service_has_a_log_size_limit_and_the_long_lived_ones_a_health_check():
    services = compose()["services"]

    for name, service in services.items():
        assert service["logging"]["options"]["max-size"] == "10m", name
    for name in ("db", "redis", "live", "nginx"):
        assert "test" in services[name]["healthcheck"], name
    for name in ("migrate", "worker"):  # gunicorn's check (the image's) does not apply
        assert services[name]["healthcheck"] == {"disable": True}


def test_only_nginx_is_published_and_it_never_mounts_the_private_files():
    stack = compose()
    services = stack["services"]

    assert [name for name, s in services.items() if "ports" in s] == ["nginx"]
    nginx_volumes = services["nginx"]["volumes"]
    assert not any(volume.startswith("app-data") for volume in nginx_volumes)
    assert "media:/srv/media:ro" in nginx_volumes
    for volume in nginx_volumes:
        source = volume.split(":")[0]
        if source.startswith("./"):
            assert (REPO / source).is_file(), source
        else:
            assert source in stack["volumes"]
    assert "app-data:/app/var" in services["web"]["volumes"]
    assert {"postgres-data", "redis-data", "app-data", "media"} <= set(stack["volumes"])


def test_s3_media_mount_the_config_that_serves_nothing_from_disk():
    volumes = compose(SECRETS | {"NGINX_MEDIA": "s3"})["services"]["nginx"]["volumes"]

    assert "./deploy/nginx/media-s3.conf:/etc/nginx/marketplace-media.conf:ro" in volumes


def nginx_binary():
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise AssertionError("nginx is missing: scripts/ensure-system-packages installs it")
    return binary


def nginx_test(tmp_path, media):
    """`nginx -t` on the repository's config, laid out as compose mounts it, with `web`
    resolving (a private /etc/hosts in a mount namespace of its own; nothing of the
    machine's changes)."""
    conf = tmp_path / "conf"
    conf.mkdir()
    shutil.copy(REPO / "deploy" / "nginx" / "nginx.conf", conf / "nginx.conf")
    shutil.copy(REPO / "deploy" / "nginx" / f"media-{media}.conf", conf / "marketplace-media.conf")
    shutil.copy("/etc/nginx/mime.types", conf / "mime.types")
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n127.0.0.1 web\n127.0.0.1 live\n")
    script = textwrap.dedent(
        f"""
        set -e
        mount --bind {hosts} /etc/hosts
        mount -t tmpfs tmpfs /var/cache
        mount -t tmpfs tmpfs /srv
        mkdir -p /var/cache/nginx /srv/media
        exec {nginx_binary()} -t -c {conf / "nginx.conf"} -e stderr
        """
    )
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("media", ["disk", "s3"])
def test_nginx_accepts_the_config(tmp_path, media):
    result = nginx_test(tmp_path, media)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_refuses_a_broken_config(tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copytree(REPO / "deploy", broken / "deploy")
    (broken / "deploy" / "nginx" / "nginx.conf").write_text(
        (REPO / "deploy" / "nginx" / "nginx.conf")
        .read_text()
        .replace("keepalive 32;", "keepalive;")
    )
    monkeypatch.setattr(f"{__name__}.REPO", broken)

    result = nginx_test(tmp_path, "disk")

    assert result.returncode != 0
    assert "keepalive" in result.stderr


def nginx_config():
    return (REPO / "deploy" / "nginx" / "nginx.conf").read_text()


def test_nginx_forwards_the_client_and_scheme_and_compresses():
    config = nginx_config()

    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
    assert "proxy_set_header X-Forwarded-Proto $forwarded_proto;" in config
    assert re.search(r"^\s*gzip on;", config, re.M)
    assert "client_max_body_size" in config and "proxy_read_timeout" in config
    # The live stream (#22): to uvicorn, never buffered.
    events = config.split("location /live/")[1].split("}")[0]
    assert "proxy_buffering off;" in events
    assert "proxy_pass http://marketplace_live;" in events
