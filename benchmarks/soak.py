"""Soak test: the three projects under gunicorn with mixed traffic for a bounded time.

Run by ``nox -s soak`` (default 10 minutes; ``-- --minutes 2`` for a short run). Each project gets
a fresh database in a temporary folder, its demo data, soak accounts and scarce stock
(``django_bench/soak_data.py``), gunicorn with two sync workers that are never recycled (so a
leak would show) and its task worker (``manage.py run_worker``). Locust (``locustfile.py``) then
drives browsing, logins, tickets and status changes, orders and cancellations racing for 100
units of scarce stock, and photo uploads and deletions, headless, against 127.0.0.1 only, and
stops by itself.

Reported, and written into docs/PERFORMANCE.md between the soak markers: throughput and
p50/p99 latency per project, the 5xx count (must be 0), dropped connections, worker memory after
the warm-up and at the end (growth must stay under 10%), and the final reconciliation (stock +
units sold = initial stock; every order total = the sum of its lines; every stored photo
referenced exactly once). The exit status is 1 when any of those fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from run import BENCH_DIR, REPORT, ROOT, SOAK_SECTION, Project, machine_description, say

# This script runs fixed local programs (the interpreter, locust) with arguments it builds.
# ruff: noqa: S603

PROJECTS = ("helpdesk", "ecommerce_api", "recipe_platform")
USERS = 40
MEMORY_GROWTH_LIMIT = 0.10
START_MARK, END_MARK = "<!-- soak:start -->", "<!-- soak:end -->"


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class SoakProject(Project):
    """A benchmark project plus its worker, its seed data and its memory readings."""

    def __init__(self, name: str, workdir: Path, redis_url: str | None) -> None:
        super().__init__(name, workdir)
        self.env["DJANGO_LOG_LEVEL"] = "WARNING"
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.setup: dict[str, Any] = {}
        self.worker: subprocess.Popen[bytes] | None = None
        self.memory: dict[str, dict[int, float]] = {}

    @property
    def stock_file(self) -> str:
        """Where the shop's stock at setup is kept for the reconciliation."""
        return str(self.workdir / "initial-stock.json")

    def soak_data(self, command: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "django_bench.soak_data", command, self.name, self.stock_file],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"soak_data {command} {self.name} failed:\n{done.stderr}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def start_worker(self) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.terminate()
            self.worker.wait(timeout=30)

    def read_memory(self, label: str) -> None:
        assert self.server is not None  # noqa: S101 - serving() started it
        self.memory[label] = {pid: rss_mb(pid) for pid in worker_pids(self.server.pid)}


def latency_row(name: str, samples: list[float], seconds: float) -> dict[str, Any]:
    ordered = sorted(samples) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "project": name,
        "requests": len(samples),
        "rps": len(samples) / seconds,
        "p50": statistics.median(ordered),
        "p99": p99,
    }


def run_locust(
    projects: dict[str, SoakProject], args: argparse.Namespace, tmp: Path
) -> dict[str, Any]:
    summary = tmp / "locust-summary.json"
    env = {
        **os.environ,
        "SOAK_SETUP": json.dumps({name: p.setup for name, p in projects.items()}),
        "SOAK_HOSTS": json.dumps({name: p.base_url for name, p in projects.items()}),
        "SOAK_SUMMARY": str(summary),
    }
    warm_up = min(60.0, args.minutes * 60 * 0.15)

    def read_after_warm_up() -> None:
        time.sleep(warm_up)
        for project in projects.values():
            project.read_memory("start")

    reader = threading.Thread(target=read_after_warm_up, daemon=True)
    reader.start()
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(BENCH_DIR / "locustfile.py"),
            "--headless", "--users", str(args.users), "--spawn-rate", "5",
            "--run-time", f"{int(args.minutes * 60)}s", "--stop-timeout", "10",
            "--only-summary", "--loglevel", "WARNING",
        ],
        cwd=BENCH_DIR,
        env=env,
        check=False,  # Locust exits 1 when any request "failed"; our own summary decides
    )  # fmt: skip
    reader.join()
    for project in projects.values():
        project.read_memory("end")
    result: dict[str, Any] = json.loads(summary.read_text())
    return result


def memory_growth(project: SoakProject) -> float:
    start, end = project.memory.get("start", {}), project.memory.get("end", {})
    before = sum(start.values())
    after = sum(end[pid] for pid in start if pid in end)
    return (after - before) / before if before else 0.0


def write_section(lines: list[str]) -> None:
    text = REPORT.read_text() if REPORT.exists() else "# Performance\n"
    section = "\n".join([START_MARK, *lines, END_MARK])
    if SOAK_SECTION.search(text):
        text = SOAK_SECTION.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n" + section
    REPORT.write_text(text.rstrip() + "\n")
    say(f"\nWrote the soak section of {REPORT.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--redis-url", help="e.g. redis://127.0.0.1:6379/9 (default: no Redis)")
    parser.add_argument("--no-report", action="store_true", help="do not touch PERFORMANCE.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        tmp = Path(folder)
        projects = {name: SoakProject(name, tmp, args.redis_url) for name in PROJECTS}
        for project in projects.values():
            say(f"Preparing {project.name}")
            project.prepare()
            project.manage("load_demo_data")
            project.setup = project.soak_data("setup")
        with (
            projects["helpdesk"].serving(),
            projects["ecommerce_api"].serving(),
            projects["recipe_platform"].serving(),
        ):
            for project in projects.values():
                project.start_worker()
            try:
                say(f"Soaking for {args.minutes:g} minutes with {args.users} users")
                started = time.monotonic()
                locust = run_locust(projects, args, tmp)
                seconds = time.monotonic() - started
            finally:
                for project in projects.values():
                    project.stop_worker()
        for project in projects.values():
            project.manage("run_maintenance", "--now")
        audits = {name: project.soak_data("reconcile") for name, project in projects.items()}

    rows = [latency_row(name, locust["latencies"].get(name, []), seconds) for name in PROJECTS]
    growth = {name: memory_growth(project) for name, project in projects.items()}
    errors, dropped = locust["server_errors"], locust["connection_errors"]
    ok = (
        not errors
        and not dropped
        and all(value < MEMORY_GROWTH_LIMIT for value in growth.values())
        and all(audit["ok"] for audit in audits.values())
    )
    lines = [
        "## Soak test",
        "",
        f"`nox -s soak`, run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC for "
        f"{args.minutes:g} minutes with {args.users} simulated users (Locust, headless) against "
        "the three projects at once, each on gunicorn (2 sync workers, never recycled) with its "
        f"task worker, SQLite{' and Redis' if args.redis_url else ''}, on this machine:",
        "",
        *(line for line in machine_description() if "load generator" not in line),
        "- load generator: Locust on the same machine, one process",
        "",
        "| project | requests | requests/s | p50 ms | p99 ms | workers' RSS (MB) | growth |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        project = projects[row["project"]]
        start = sum(project.memory.get("start", {}).values())
        end = sum(project.memory.get("end", {}).values())
        lines.append(
            f"| {row['project']} | {row['requests']} | {row['rps']:.1f} | {row['p50']:.0f} | "
            f"{row['p99']:.0f} | {start:.0f} → {end:.0f} | {growth[row['project']]:+.1%} |"
        )
    lines += [
        "",
        f"- 5xx responses: **{len(errors)}** (must be 0); dropped connections: {len(dropped)}.",
        *(f"  - `{line}`" for line in sorted(set(errors + dropped))[:10]),
        "- Statuses seen: "
        + ", ".join(f"{key}: {count}" for key, count in sorted(locust["statuses"].items())),
        "- Reconciliation after the run (and the clean-up job):",
        *(f"  - {name}: `{json.dumps(audit)}`" for name, audit in audits.items()),
        f"- Verdict: **{'passed' if ok else 'FAILED'}**.",
    ]
    for line in lines:
        say(line)
    if not args.no_report:
        write_section(lines)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
