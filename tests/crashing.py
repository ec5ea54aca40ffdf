"""The nightly run killed with SIGKILL at a chosen point, with every process it forked (the
ingest's, the readers, the writers), as a power cut would: `python -m tests.crashing WORKSPACE
POINT`, started as the leader of its own process group (tests.running.crash).

POINT is `module/attribute:when:n[:arg]`: the n-th call of the function (`before` or `after`
it runs), counting only calls that have `arg` among their positional arguments when given,
e.g. `pipeline.store/insert:after:1:facts` is inside the warehouse transaction, facts
inserted, not committed. Exit code 99 says the point was never reached.
"""

import importlib
import os
import signal
import sys
import threading
from pathlib import Path

NOT_REACHED = 99


def kill_at(point: str) -> None:
    target, when, nth, *arg = point.split(":")
    module_name, path = target.split("/")
    owner = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = getattr(owner, name)
    calls = 0
    counting = threading.Lock()  # the run calls some functions from several threads at once

    def wrapper(*args, **kwargs):
        nonlocal calls
        mine = 0  # this call's number among the counted ones: the n-th to start is the n-th
        if not arg or any(isinstance(a, str) and a == arg[0] for a in args):
            with counting:
                calls += 1
                mine = calls
        if mine == int(nth) and when == "before":
            os.killpg(0, signal.SIGKILL)
        result = original(*args, **kwargs)
        if mine == int(nth) and when == "after":
            os.killpg(0, signal.SIGKILL)
        return result

    setattr(owner, name, wrapper)


if __name__ == "__main__":
    workspace, point = sys.argv[1:3]
    import pipeline.runner  # the stages, imported before they are wrapped

    kill_at(point)
    from pipeline.settings import Settings

    pipeline.runner.run(Settings(workspace=Path(workspace)))
    sys.exit(NOT_REACHED)
