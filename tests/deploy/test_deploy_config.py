"""The files in deploy/ are the ones bin/prod-smoke runs: they render completely, nginx
accepts the rendered site, and gunicorn's and systemd's settings fit the portal's limits."""

import importlib.util
import runpy
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def load_render():
    spec = importlib.util.spec_from_file_location("deploy_render", DEPLOY / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_values(tmp_path: Path) -> dict[str, str]:
    return {
        "UPSTREAM_1": "127.0.0.1:18000",
        "UPSTREAM_2": "127.0.0.1:18001",
        "HTTP_LISTEN": "127.0.0.1:18080",
        "HTTPS_LISTEN": "127.0.0.1:18443",
        "SERVER_NAME": "127.0.0.1",
        "TLS_CERTIFICATE": str(tmp_path / "tls.crt"),
        "TLS_CERTIFICATE_KEY": str(tmp_path / "tls.key"),
        "CLIENT_MAX_BODY_SIZE": "21m",
        "ACCESS_LOG": str(tmp_path / "access.log"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def test_render_fills_every_placeholder_and_leaves_nginx_variables(tmp_path):
    render = load_render()
    text = (DEPLOY / "nginx/strategiportalen.conf").read_text()

    rendered = render.render(text, site_values(tmp_path))

    assert "${" not in rendered
    assert "server 127.0.0.1:18000 max_fails=0;" in rendered
    assert "proxy_set_header Host $host;" in rendered
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in rendered


def test_render_refuses_a_missing_value_and_writes_nothing(tmp_path):
    out = tmp_path / "site.conf"
    values = site_values(tmp_path)
    del values["TLS_CERTIFICATE"]
    args = [f"--set={name}={value}" for name, value in values.items()]

    code = load_render().main(
        [str(DEPLOY / "nginx/strategiportalen.conf"), *args, "--output", str(out)]
    )

    assert code == 2
    assert not out.exists()


def test_nginx_accepts_the_rendered_site(tmp_path):
    # bin/test installs nginx and openssl (apt) when they are missing.
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]  # noqa: S607
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(tmp_path / "tls.key")]
        + ["-out", str(tmp_path / "tls.crt")],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "site.conf"
    site.write_text(
        load_render().render(
            (DEPLOY / "nginx/strategiportalen.conf").read_text(), site_values(tmp_path)
        )
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ client_body_temp_path {tmp_path}/body; include {site}; }}\n"
    )

    result = subprocess.run(  # noqa: S603
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


def test_nginx_body_limit_is_just_above_the_import_limit():
    text = (DEPLOY / "nginx/strategiportalen.conf").read_text()
    assert "client_max_body_size ${CLIENT_MAX_BODY_SIZE};" in text
    env = (DEPLOY / "strategiportalen.env.example").read_text()
    assert f"IMPORT_MAX_UPLOAD_MB={settings.IMPORT_MAX_UPLOAD_BYTES // 1024 // 1024}" in env
    smoke = (ROOT / "bin/prod-smoke").read_text()
    assert f"CLIENT_MAX_BODY_SIZE={settings.IMPORT_MAX_UPLOAD_BYTES // 1024 // 1024 + 1}m" in smoke


def test_gunicorn_runs_several_workers_with_a_timeout_below_nginx(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["workers"] >= 2
    assert len(config["bind"]) == 2
    nginx = (DEPLOY / "nginx/strategiportalen.conf").read_text()
    assert "proxy_read_timeout 130s;" in nginx
    assert 60 <= config["timeout"] < 130


def test_the_worker_unit_is_a_template_running_the_recovering_worker():
    unit = (DEPLOY / "systemd/strategiportalen-worker@.service").read_text()
    assert "manage.py task_worker" in unit
    assert "Restart=always" in unit
    assert "%i" in unit
    web = (DEPLOY / "systemd/strategiportalen-web.service").read_text()
    assert "--config deploy/gunicorn.conf.py" in web
    env = (DEPLOY / "strategiportalen.env.example").read_text()
    for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "METRICS_ALLOWED_IPS"):
        assert f"\n{name}=" in env
