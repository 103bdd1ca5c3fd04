"""What the container image runs, without Docker: build the wheel, install it into a fresh venv, apply the
migrations, start the Dockerfile's command on PostgreSQL + Redis with two workers, hit /readyz and run the
Dockerfile's HEALTHCHECK."""

from __future__ import annotations

import json
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import httpx

from tests.backends.server import ROOT, serve
from tests.backends.support import Backend

DOCKERFILE = ROOT / "Dockerfile"


def dockerfile_command(instruction: str) -> list[str]:
    """The exec-form (JSON) command of the Dockerfile's CMD or HEALTHCHECK instruction."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    match = re.search(rf"^{instruction}\b.*?(?:CMD\s+)?(\[.*\])\s*$", text, re.MULTILINE)
    assert match, f"no exec-form {instruction} in the Dockerfile"
    return list(json.loads(match.group(1)))


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def fresh_install(tmp_path: Path) -> Path:
    """A new venv holding only the built wheel; third-party packages come from this environment's
    site-packages (a .pth line), so the test needs no package index and never sees the source tree."""
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)])
    (wheel,) = wheels.glob("syndet-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "_syndet_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)])
    return venv


def test_wheel_installs_migrates_and_serves(pg_redis: Backend, tmp_path: Path) -> None:
    venv = fresh_install(tmp_path)
    work = tmp_path / "data"
    work.mkdir()
    env = {
        **pg_redis.env,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": "",
        "SYNDET_MIGRATE_ON_START": "false",  # as deploy/compose.yaml: `syndet db upgrade` first
        "SYNDET_WORKERS": "2",
    }
    where = run([str(venv / "bin" / "python"), "-c", "import service; print(service.__file__)"], cwd=work, env=env)
    assert where.stdout.startswith(str(venv)), "the installed wheel is used, not the source tree"

    migrated = run([str(venv / "bin" / "syndet"), "db", "upgrade"], cwd=work, env={**os.environ, **env})
    assert "upgraded from empty" in migrated.stdout

    command = dockerfile_command("CMD")
    assert command[0] == "syndet"
    command[0] = str(venv / "bin" / "syndet")
    served_env = {**env, "SYNDET_HOST": "127.0.0.1", "SYNDET_PORT": "0"}
    with serve(served_env, tmp_path, command=command, cwd=work) as server:
        ready = httpx.get(f"{server.base}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json()["articles"] == 0
        assert len(server.workers()) == 2
        port = server.base.rsplit(":", 1)[1]
        healthcheck = dockerfile_command("HEALTHCHECK")
        run(healthcheck, cwd=work, env={**os.environ, **env, "SYNDET_PORT": port})
