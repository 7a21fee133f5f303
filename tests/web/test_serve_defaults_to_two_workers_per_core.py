"""`yiwang serve` starts two sync workers per core by default (one runs while another waits on the database)."""

from yiwang.web.management.commands import serve


def test_two_workers_per_core(monkeypatch):
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 3)
    assert serve.default_workers() == 6


def test_at_least_two_workers_when_the_cores_are_unknown(monkeypatch):
    monkeypatch.setattr(serve.os, "cpu_count", lambda: None)
    assert serve.default_workers() == 2


def test_the_command_line_default_follows_the_cores_unless_the_environment_says(monkeypatch):
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("YIWANG_WEB_WORKERS", raising=False)
    parser = serve.Command().create_parser("yiwang", "serve")
    assert parser.parse_args([]).workers == 4
    monkeypatch.setenv("YIWANG_WEB_WORKERS", "3")
    assert serve.Command().create_parser("yiwang", "serve").parse_args([]).workers == 3
