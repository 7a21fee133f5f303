"""CPU time of the processes a benchmark run involves, from /proc (Linux): the server's process group,
the PostgreSQL server's processes and the benchmark's finished children (wrk). CPU milliseconds per
operation carry across machine loads far better than rates do (a shared machine slows every CPU-ms, so
compare them with the same run's ping)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _ticks(pids) -> int:
    total = 0
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _group(pgid: int) -> list[str]:
    return [
        p.name for p in Path("/proc").iterdir() if p.name.isdigit() and (_stat(p.name) or [0, 0, -1])[2] == str(pgid)
    ]


def _postgres(database: str) -> list[str]:
    """The PostgreSQL backends serving ``database`` (their titles name it: ``postgres: user db host …``)."""
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                title = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
            except OSError:
                continue
            if title[:1] == ["postgres:"] and database in title[1:5]:  # postgres: [15/main:] user db host …
                found.append(p.name)
    return found


class CpuMeter:
    """``with CpuMeter(server_pgid, "db") as m: …`` then ``m.server_s``, ``m.children_s`` (wrk), ``m.postgres_s``
    (the backends connected to PostgreSQL database ``db`` when the block began; "" for none)."""

    def __init__(self, server_pgid: int, postgres_database: str = ""):
        self.pgid, self.database = server_pgid, postgres_database

    def __enter__(self):
        self._server = _group(self.pgid)
        self._pg = _postgres(self.database) if self.database else []
        self._s0, self._p0 = _ticks(self._server), _ticks(self._pg)
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._c0 = r.ru_utime + r.ru_stime
        return self

    def __exit__(self, *exc):
        self.server_s = (_ticks(self._server) - self._s0) / HZ
        self.postgres_s = (_ticks(self._pg) - self._p0) / HZ
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.children_s = r.ru_utime + r.ru_stime - self._c0
        return False
