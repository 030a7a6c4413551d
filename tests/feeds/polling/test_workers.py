"""Worker processes do not outlive the process that owns them, even when it is SIGKILLed."""

import os
import subprocess
import sys
import time

from tests.conftest import REPO

OWNER = """
import os, signal
from feeds.polling.engine import make_parse_pool
from feeds.polling.work import warm_up

pool = make_parse_pool(2)
pids = {pool.submit(warm_up).result() for _ in range(8)}
print(" ".join(map(str, pids)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its parent counts as gone
        return stat.read().split()[2] != "Z"


def test_workers_exit_after_their_owner_is_killed():
    # The owner stays a zombie until run() reaps it, after its output pipes close: the
    # workers must notice it is gone without waiting for that (they hold its stdout).
    owner = subprocess.run(
        [sys.executable, "-c", OWNER], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert owner.returncode == -9, owner.stderr
    workers = [int(pid) for pid in owner.stdout.split()]
    assert workers
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
