import socket
import subprocess

import pytest

from shared.services import HOST, RedisServer, find_binary, require_binary, throwaway_postgres


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_redis_stops_and_comes_back_on_the_same_port():
    server = RedisServer()
    server.start()
    try:
        assert _answers_ping(server.port)
        server.stop()
        assert not _answers_ping(server.port)
        server.start()
        assert _answers_ping(server.port)
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
    finally:
        server.stop()


def test_postgres_cluster_restarts_keeps_its_data_and_is_removed_afterwards():
    psql = find_binary("psql") or "psql"
    with throwaway_postgres() as cluster:

        def query(sql: str) -> str:
            return subprocess.run(  # noqa: S603 - psql with the test's own SQL
                [psql, cluster.url("shop"), "-tAc", sql], check=True, capture_output=True, text=True
            ).stdout.strip()

        assert cluster.create_database("shop").endswith(f":{cluster.port}/shop")
        query("CREATE TABLE t (n int); INSERT INTO t VALUES (7)")
        cluster.stop()
        with pytest.raises(subprocess.CalledProcessError):
            query("SELECT 1")
        cluster.start()
        assert query("SELECT n FROM t") == "7"

    assert not cluster.folder.exists()


def test_a_missing_binary_skips_with_a_hint(monkeypatch):
    monkeypatch.setenv("CI", "false")
    monkeypatch.setattr("shared.services.find_binary", lambda name: None)

    with pytest.raises(pytest.skip.Exception, match="apt-get install redis-server"):
        require_binary("redis-server")


def test_a_missing_binary_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr("shared.services.find_binary", lambda name: None)

    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_binary("initdb")
