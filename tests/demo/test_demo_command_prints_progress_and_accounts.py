"""`yiwang demo --no-serve` prints a line per step and the table of demo accounts; a rerun is a no-op."""

import io
import re

import pytest
from django.core.management import call_command

from yiwang.demo.orgs import DEMO_PASSWORD, OPENS


@pytest.mark.django_db
def test_demo_command_seeds_then_reports_nothing_to_do():
    out = io.StringIO()
    call_command("demo", "--no-serve", "--skip-pois", "--seed", "9", "--port", "8765", stdout=out)
    text = out.getvalue()
    assert "territory 网格" in text and "created 4" in text  # 400+ units created
    step_lines = [line for line in text.splitlines() if re.search(r"\(\d+\.\d s\)$", line)]
    assert len(step_lines) >= 4  # generated, org units, users, territory: each with its elapsed time
    for username in OPENS:
        line = next(line for line in text.splitlines() if f" {username} " in line)
        assert DEMO_PASSWORD in line and "http://127.0.0.1:8765/" in line
    assert "http://127.0.0.1:8765/ops/verify/" in text  # the grid worker starts at the cases to verify
    assert "http://127.0.0.1:8765/ops/queue/" in text  # the dispatcher at the case queue
    assert "http://127.0.0.1:8765/admin/" in text

    again = io.StringIO()
    call_command("demo", "--no-serve", "--skip-pois", "--seed", "9", stdout=again)
    assert "already seeded" in again.getvalue() and "created" not in again.getvalue()
