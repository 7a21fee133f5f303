"""The `serve --with-worker` supervisor restarts a crashed worker and never leaves a child behind."""

import sys
import threading

from yiwang.web.management.commands import serve

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_a_crashing_worker_is_restarted_until_the_supervisor_stops(monkeypatch):
    monkeypatch.setattr(serve, "WORKER_RESTART_BACKOFF", (0,))
    lines = []
    web = serve.Child("web server", SLEEPER, lines.append)
    worker = serve.Child("worker", [sys.executable, "-c", "raise SystemExit(3)"], lines.append)
    supervisor = serve.Supervisor(web, worker, lines.append)
    stopper = threading.Timer(4.0, lambda: setattr(supervisor, "stopping", True))
    stopper.start()
    supervisor.run()
    assert worker.restarts >= 1
    assert any("worker exited with status 3" in line for line in lines)
    assert web.proc.returncode is not None and worker.proc.returncode is not None


def test_when_the_web_server_exits_the_worker_is_stopped_too():
    lines = []
    web = serve.Child("web server", [sys.executable, "-c", "raise SystemExit(0)"], lines.append)
    worker = serve.Child("worker", SLEEPER, lines.append)
    status = serve.Supervisor(web, worker, lines.append).run()
    assert status == 0
    assert worker.proc.returncode is not None  # not left running after the web server went away
    assert any("web server exited" in line for line in lines)
