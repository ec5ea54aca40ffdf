"""`python -m bench.profile [--small] [--top N]`: where a cold run's time goes, by function.

Runs the cached workload through runner.run under cProfile in this process (a cold run, then
a run with nothing new, then one resubmission), and the per-file reader alone under cProfile
(the run reads in worker processes, which cProfile does not see). Prints the hottest
functions of each by cumulative time; cProfile slows pure-Python code more than native code,
so read the shares, not the seconds.
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

from bench.workload import FULL, SMALL, load_or_build


def _stats(profile: cProfile.Profile, top: int, title: str) -> str:
    out = io.StringIO()
    out.write(f"\n==== {title} ====\n")
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(r"/(pipeline|bench)/", top)  # the project's own functions
    stats.sort_stats("tottime").print_stats(top)  # where the time is spent, libraries included
    return out.getvalue()


def _resubmission(workload, code: str) -> Path:
    """A district's file of period `code` with its first figure corrected, received later."""
    from pipeline.demo.clerk import ClerkWorkbook

    files = sorted(workload.inbox.glob(f"*/*_{code}.xlsx"))
    source = files[len(files) // 2]
    clerk = ClerkWorkbook(source)
    kr = clerk.kr_codes[0]  # KR-1-01, a count
    clerk.type(kr, "actual", round(float(clerk.value(kr, "actual")) * 1.1 + 1, 1))
    target = workload.root / "runs" / "profile-resubmit" / source.parent.name / (
        source.stem + "_v2.xlsx")
    clerk.save(target)
    later = source.stat().st_mtime + 2 * 86400
    os.utime(target, (later, later))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--periods", type=int, default=2,
                        help="profile only the first N periods' files (full-size roll-ups)")
    parser.add_argument("--out", type=Path, help="also write the listing to this file")
    args = parser.parse_args(argv)
    from pipeline import runner
    from pipeline.discover import discover
    from pipeline.read import read_submission
    from pipeline.settings import Settings

    workload = load_or_build(SMALL if args.small else FULL)
    workspace = workload.root / "runs" / "profile"
    shutil.rmtree(workspace, ignore_errors=True)
    workspace.mkdir(parents=True)
    shutil.copy2(workload.registry, workspace / "registry.xlsx")
    for code in workload.params.period_codes[: args.periods]:
        for path in workload.inbox.glob(f"*/*_{code}.xlsx"):
            (workspace / "inbox" / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, workspace / "inbox" / path.parent.name / path.name)
    settings = Settings(workspace=workspace)
    listing = []

    arrivals = discover(settings.inbox)
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(lambda: [read_submission(a, settings.limits) for a in arrivals])
    listing.append(_stats(profile, args.top, f"read_submission x {len(arrivals)} in one "
                          f"process: {time.perf_counter() - start:.2f} s"))

    resubmission = _resubmission(workload, workload.params.period_codes[args.periods - 1])
    for name, add in (("cold", None), ("noop", None), ("resubmit", resubmission)):
        if add:
            target = settings.inbox / add.parent.name / add.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(add, target)
        profile = cProfile.Profile()
        start = time.perf_counter()
        report = profile.runcall(runner.run, settings)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in report.seconds.items())
        listing.append(_stats(profile, args.top, f"{name} run: "
                              f"{time.perf_counter() - start:.2f} s ({stages})"))
    text = "".join(listing)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
