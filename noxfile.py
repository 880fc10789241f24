"""Lint, test and demo sessions for the monorepo's three Django projects.

``nox`` runs the default sessions (lint, every project's tests, the shared package's tests);
``nox -s demo`` serves all three projects with demo data; ``nox -l`` lists everything.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
# uv makes environments in seconds; without it, the standard library's venv does the job.
nox.options.default_venv_backend = "uv|venv"
nox.options.sessions = [
    "lint",
    "typecheck",
    "tests",
    "shared",
]  # `nox -s screenshots` only on demand
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).resolve().parent
PROJECTS = ("helpdesk", "ecommerce_api", "recipe_platform")
DEMO_PORTS = {"helpdesk": 8001, "ecommerce_api": 8002, "recipe_platform": 8003}
# The load generator of `nox -s soak`: the Python ecosystem's load-testing tool, headless.
LOCUST = "locust==2.47.0"
LINT_TOOLS = ("ruff==0.17.6", "zizmor==1.32.0", "djlint==1.49.10", "django-upgrade==1.33.0")

# Never let uv fetch a Python build: use the interpreter nox itself runs on.
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")


#: Bytecode of everything the suites import, written once under .nox/.pycache: where
#: PYTHONDONTWRITEBYTECODE is set (many containers set it), each of the hundreds of processes a
#: suite starts (xdist workers, gunicorn, the task worker, `manage.py` commands) compiled Django
#: and the project from source again: a `manage.py check` took 1.3 s of CPU instead of 0.45 s.
BYTECODE = {"PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(ROOT / ".nox" / ".pycache")}


def _install_project(session: nox.Session, project: str, *, with_tests: bool) -> None:
    """Install a project's pinned requirements (and the shared test package for tests)."""
    requirements = "requirements-test.txt" if with_tests else "requirements.txt"
    session.install("-r", str(ROOT / project / requirements))
    if with_tests:
        session.install("--no-deps", "-e", str(ROOT / "shared"))


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, django-upgrade, djLint over the templates, zizmor over the GitHub workflows."""
    session.install(*LINT_TOOLS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # django-upgrade rewrites what is outdated for Django 5.2 and exits 1 when it changed a file.
    session.run(
        "bash",
        "-c",
        "git ls-files -z '*.py' | xargs -0 django-upgrade --target-version 5.2",
        external=True,
    )
    for project in PROJECTS:
        session.run("djlint", project, "--lint", "--configuration", f"{project}/pyproject.toml")
    session.run("zizmor", "--offline", "--min-severity", "medium", ".github/workflows")


@nox.session
@nox.parametrize("package", [*PROJECTS, "shared"], ids=[*PROJECTS, "shared"])
def typecheck(session: nox.Session, package: str) -> None:
    """mypy with the Django plugin over one project (its own settings) or the shared package."""
    if package == "shared":
        session.install("-r", str(ROOT / "shared" / "requirements-test.txt"))
        session.install("--no-deps", "-e", str(ROOT / "shared"))
    else:
        _install_project(session, package, with_tests=True)
    session.chdir(ROOT / package)
    # A project is checked as a whole folder; shared lists its packages in its pyproject.toml.
    targets = session.posargs or ([] if package == "shared" else ["."])
    session.run("mypy", *targets)


@nox.session
@nox.parametrize("project", PROJECTS, ids=list(PROJECTS))
def tests(session: nox.Session, project: str) -> None:
    """One project's test suite with coverage, after checking no migration is missing."""
    _install_project(session, project, with_tests=True)
    session.chdir(ROOT / project)
    test_env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", **BYTECODE}
    session.run("python", "manage.py", "makemigrations", "--check", "--dry-run", env=test_env)
    session.run(
        "pytest",
        # One worker per core (pytest-xdist), each with its own test database (pytest-django),
        # Redis database (shared.pytest_plugin), live server and browser; `-- -n 0` runs in one
        # process. At most 4: Redis's 16 databases hold 4 workers for each of the 3 projects.
        "--numprocesses=auto",
        "--maxprocesses=4",
        # The default `--dist load`, never `worksteal`: a worker that steals tests from another
        # can run a test after a `transaction=True` test has flushed its database, which
        # pytest-django's order (flushing tests last) is there to prevent. The long tests are
        # handed out first instead (shared.pytest_plugin), and two at a time: by default a
        # worker was handed up to a quarter of what was left at once, and the last such batch
        # (the browser tests, which come last) kept one worker busy 50 s after the other had
        # finished. Each worker still runs its tests in collection order.
        "--maxschedchunk=2",
        "--cov",
        "--cov-report=term",
        "--cov-fail-under=90",
        *session.posargs,
        env=test_env,
    )


@nox.session
def shared(session: nox.Session) -> None:
    """The shared test package's own tests."""
    session.install("-r", str(ROOT / "shared" / "requirements-test.txt"))
    session.install("--no-deps", "-e", str(ROOT / "shared"))
    session.chdir(ROOT / "shared")
    # coverage starts before pytest here, so it also measures the plugin pytest loads at startup;
    # it follows the xdist workers as it follows every subprocess (`patch = ["subprocess"]`).
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",
        "--numprocesses=auto",
        "--maxprocesses=4",
        "--maxschedchunk=2",
        *session.posargs,
        env=BYTECODE,
    )
    session.run("coverage", "report", "--fail-under=90")


@nox.session
@nox.parametrize("project", PROJECTS, ids=list(PROJECTS))
def screenshots(session: nox.Session, project: str) -> None:
    """Regenerate a project's README screenshots (desktop and phone width) from demo data.

    Runs the project's browser tests marked ``screenshots`` with ``SCREENSHOT_DIR`` set, so
    the very pages the tests check are the ones pictured. Needs a local Chromium.
    """
    _install_project(session, project, with_tests=True)
    session.chdir(ROOT / project)
    session.run(
        "pytest",
        "-m",
        "screenshots",
        *session.posargs,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "SCREENSHOT_DIR": str(ROOT / "docs" / "screenshots" / project),
            "CI": "true",  # a missing browser is an error here, never a silent skip
        },
    )


@nox.session
@nox.parametrize("project", PROJECTS, ids=list(PROJECTS))
def diagrams(session: nox.Session, project: str) -> None:
    """Rewrite the model diagram in a project's README from its models (``shared.model_diagram``).

    Each project's ``tests/test_model_diagram.py`` fails when the committed diagram and the
    models disagree; this session is how the diagram is brought up to date.
    """
    _install_project(session, project, with_tests=True)
    session.chdir(ROOT / project)
    session.run(
        "python",
        "-m",
        "shared.model_diagram",
        "README.md",
        *session.posargs,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )


@nox.session
@nox.parametrize("project", PROJECTS, ids=list(PROJECTS))
def serve(session: nox.Session, project: str) -> None:
    """Run one project the production way, locally: production settings behind gunicorn.

    Plain HTTP on 127.0.0.1, so HTTPS redirect and HSTS are off; everything else is as
    deployed (DEBUG off, hashed static files served by WhiteNoise, a throwaway secret key).
    The project's task worker (``manage.py run_worker``) runs beside gunicorn; Ctrl-C stops both.
    ``DATABASE_URL`` and ``REDIS_URL`` pass through from your environment.
    """
    _install_project(session, project, with_tests=False)
    session.chdir(ROOT / project)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "PORT": str(DEMO_PORTS[project]),
    }
    if project == "recipe_platform":
        env["DJANGO_SERVE_MEDIA"] = "true"  # one machine, no media server: Django serves photos
    session.run("python", "manage.py", "migrate", "--noinput", env=env)
    session.run("python", "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
    session.run("python", "manage.py", "load_demo_data", env=env)
    session.log(f"Serving {project} on http://127.0.0.1:{DEMO_PORTS[project]}/ (Ctrl-C stops it)")
    bin_dir = Path(session.bin)
    full_env = {**os.environ, **env}
    _run_until_interrupted(
        session,
        {
            f"{project} web": [bin_dir / "gunicorn", "-c", "config/gunicorn.conf.py"],
            f"{project} worker": [bin_dir / "python", "manage.py", "run_worker"],
        },
        cwd=ROOT / project,
        env=full_env,
        ports=[DEMO_PORTS[project]],
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks (gunicorn + wrk on 127.0.0.1), written to docs/PERFORMANCE.md; needs wrk.

    Arguments after ``--`` go to benchmarks/run.py, e.g. ``-- --postgres-url URL``.
    """
    for project in PROJECTS:
        _install_project(session, project, with_tests=False)
    session.run(
        "python",
        str(ROOT / "benchmarks" / "run.py"),
        *session.posargs,
        env={"BENCH_NOX_PYTHON": sys.executable},
    )


@nox.session
def soak(session: nox.Session) -> None:
    """All three projects under gunicorn and mixed Locust traffic for 10 minutes (a benchmark).

    Arguments after ``--`` go to benchmarks/soak.py, e.g. ``-- --minutes 2 --users 20``.
    Writes its section of docs/PERFORMANCE.md and fails on any 5xx, memory growth of 10% or
    more, or a reconciliation that does not add up.
    """
    for project in PROJECTS:
        _install_project(session, project, with_tests=False)
    session.install(LOCUST)
    session.run("python", str(ROOT / "benchmarks" / "soak.py"), *session.posargs)


@nox.session(venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Re-pin every requirements file from the pyproject.toml files (needs uv)."""
    session.install("uv")
    for folder in (*PROJECTS, "shared"):
        session.chdir(ROOT / folder)
        compile_ = ("uv", "pip", "compile", "--quiet", "--python-version", "3.11", "--upgrade")
        if folder != "shared":
            session.run(*compile_, "pyproject.toml", "-o", "requirements.txt")
        session.run(*compile_, "pyproject.toml", "--extra", "test", "-o", "requirements-test.txt")


@nox.session
def demo(session: nox.Session) -> None:
    """Migrate, load demo data and serve the projects; Ctrl-C stops them all.

    ``nox -s demo`` serves all three; ``nox -s demo -- helpdesk`` serves one.
    """
    chosen = session.posargs or list(PROJECTS)
    unknown = sorted(set(chosen) - set(PROJECTS))
    if unknown:
        session.error(f"Unknown project(s) {unknown}; choose from {', '.join(PROJECTS)}.")
    for project in chosen:
        _install_project(session, project, with_tests=False)

    local_env = {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for project in chosen:
        session.chdir(ROOT / project)
        session.run("python", "manage.py", "migrate", "--noinput", env=local_env, silent=True)
        session.run("python", "manage.py", "load_demo_data", env=local_env)
    python = Path(session.bin) / "python"
    commands: dict[str, list[str | Path]] = {}
    for project in chosen:
        address = f"127.0.0.1:{DEMO_PORTS[project]}"
        commands[f"{project} web"] = [python, "manage.py", "runserver", address, "--noreload"]
        commands[f"{project} worker"] = [python, "manage.py", "run_worker"]
    _run_until_interrupted(
        session,
        commands,
        cwd=None,
        env={**os.environ, **local_env},
        ports=[DEMO_PORTS[project] for project in chosen],
        banner=[f"  {project:<16} http://127.0.0.1:{DEMO_PORTS[project]}/" for project in chosen]
        + ["Demo logins are listed in README.md; every password is 'demo-password'."],
    )


def _run_until_interrupted(
    session: nox.Session,
    commands: dict[str, list[str | Path]],
    *,
    cwd: Path | None,
    env: dict[str, str],
    ports: list[int],
    banner: Sequence[str] = (),
) -> None:
    """Start every process, wait for the web servers' /healthz, and stop them all on Ctrl-C.

    A command whose name starts with a project's name runs in that project's folder (unless
    ``cwd`` is given). A process that exits on its own ends the session with an error, so a
    worker that crashes is never left unnoticed behind a server that still answers.
    """
    # Ctrl-C, or a plain `kill`, stops everything, even where SIGINT was inherited as ignored.
    signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for name, command in commands.items():
            folder = cwd or ROOT / name.split()[0]
            processes[name] = subprocess.Popen(command, cwd=folder, env=env)
        for port in ports:
            _wait_until_healthy(session, port)
        print("\nServing (Ctrl-C stops every server and worker):")
        for line in banner:
            print(line)
        print()
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in processes.items() if process.poll() is not None]
        session.error(f"{', '.join(stopped)} stopped unexpectedly; see the output above.")
    except KeyboardInterrupt:
        print("\nStopping the servers and workers.")
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _wait_until_healthy(session: nox.Session, port: int, timeout: float = 60) -> None:
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    session.error(f"{url} did not answer 200 within {timeout:.0f} seconds.")
