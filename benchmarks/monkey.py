"""The GUI monkey of tests/test_monkey.py for longer: speed, memory and leaks over many events.

    python benchmarks/monkey.py [--seed N] [--events N] [--warmup N] [--marks-kept N]

Runs the same seeded monkey (tests/gui_monkey.py) on the real main window, with private settings
and autosave folders, checking the model after every event. Memory is read before and after the
measured events (after a warm-up that fills the app's caches): the resident set size from
``/proc/self/status`` and the count of objects Python's collector tracks, with the types that grew
most, so a leak shows. The undo history legitimately grows with every change, so the memory is
read once more after the history is cleared. Problems (an exception, a Qt painting warning, an
inconsistent model, a failed undo/redo round trip) do not stop the run: they are counted, the
first ones printed, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import emit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for tests.gui_monkey


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"monkey.py: {message}", file=sys.stderr)
        sys.exit(2)


def rss_mb() -> float | None:
    """The resident set size (VmRSS) in MiB, where /proc has it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def python_objects() -> Counter[str]:
    """Objects the garbage collector tracks, by type name, after a full collection."""
    gc.collect()
    return Counter(type(o).__name__ for o in gc.get_objects())


def grown(before: Counter[str], after: Counter[str], top: int = 8) -> dict[str, int]:
    diff = after.copy()
    diff.subtract(before)
    return {name: n for name, n in diff.most_common(top) if n > 0}


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(description="A long seeded GUI monkey run: events per second and memory.")
    parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
    parser.add_argument("--events", type=int, default=20_000, help="events measured (default 20,000)")
    parser.add_argument("--warmup", type=int, default=500, help="events before the first reading (default 500)")
    parser.add_argument("--marks-kept", type=int, default=None, help="clear the drawing above this many marks")
    args = parser.parse_args(argv)
    if args.events < 1 or args.warmup < 0:
        parser.error("--events must be at least 1 and --warmup at least 0")

    from PySide6.QtCore import QSettings

    from nmt_bodymap.ui.app import make_app
    from nmt_bodymap.ui.main_window import MainWindow
    from tests.gui_monkey import MARKS_KEPT, Monkey
    from tests.monkey_checks import Watch, no_modal_dialogs, undo_redo_round_trip

    app = make_app()
    with tempfile.TemporaryDirectory(prefix="nmt-monkey-") as tmp:
        settings = QSettings(os.path.join(tmp, "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("view/theme", "light")
        window = MainWindow(settings=settings, autosave_dir=Path(tmp) / "autosave", check_recovery=False)
        window.resize(1300, 850)
        window.show()
        app.processEvents()
        monkey = Monkey(window, args.seed, args.marks_kept or MARKS_KEPT)
        meta = {"seed": args.seed, "events": args.events, "warmup": args.warmup}
        with no_modal_dialogs(), Watch() as watch:
            rss_start = rss_mb()
            failures = monkey.run(args.warmup, watch, stop=False)
            rss_before, objects_before = rss_mb(), python_objects()
            started, cpu = time.perf_counter(), time.process_time()
            failures += monkey.run(args.events // 2, watch, stop=False)
            pause = time.perf_counter()
            rss_half, objects_half = rss_mb(), python_objects()  # a leak grows in both halves
            started += time.perf_counter() - pause
            failures += monkey.run(args.events - args.events // 2, watch, stop=False)
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
            rss_after, objects_after = rss_mb(), python_objects()
            history = window.model.undo_stack.count()
            steps, round_trip = undo_redo_round_trip(window)
            round_trip += watch.take()
            window.model.undo_stack.clear()
            rss_cleared, objects_cleared = rss_mb(), python_objects()
            window.close()

    emit("monkey_events_per_second", args.events / seconds, "events/s", seconds=round(seconds, 1), **meta)
    emit("monkey_cpu_ms_per_event", 1000 * cpu_seconds / args.events, "ms", **meta)
    if rss_before is not None and rss_after is not None:
        emit("monkey_rss_start_mb", rss_start or 0.0, "MiB", note="window shown, before the warm-up", **meta)
        emit("monkey_rss_before_mb", rss_before, "MiB", note="after the warm-up", **meta)
        emit("monkey_rss_after_mb", rss_after, "MiB", history=history, **meta)
        emit("monkey_rss_growth_mb", rss_after - rss_before, "MiB", **meta)
        emit("monkey_rss_growth_second_half_mb", rss_after - (rss_half or rss_before), "MiB", **meta)
        emit("monkey_rss_after_history_cleared_mb", rss_cleared or 0.0, "MiB", **meta)
    n_before, n_after, n_cleared = (
        sum(objects_before.values()),
        sum(objects_after.values()),
        sum(objects_cleared.values()),
    )
    emit("monkey_objects_before", n_before, "objects", **meta)
    emit("monkey_objects_after", n_after, "objects", **meta)
    emit("monkey_objects_growth", n_after - n_before, "objects", grew=grown(objects_before, objects_after), **meta)
    emit(
        "monkey_objects_growth_second_half",
        n_after - sum(objects_half.values()),
        "objects",
        grew=grown(objects_half, objects_after),
        **meta,
    )
    emit(
        "monkey_objects_growth_history_cleared",
        n_cleared - n_before,
        "objects",
        grew=grown(objects_before, objects_cleared),
        **meta,
    )
    kinds = sorted(
        {p.split(":")[0][:60] for f in failures for p in f.problems} | ({"undo/redo"} if round_trip else set())
    )
    emit("monkey_problems", len(failures) + len(round_trip), "problems", kinds=kinds, undo_steps=steps, **meta)
    for failure in failures[:3]:
        print(str(failure), file=sys.stderr)
    for problem in round_trip:
        print(f"undo/redo round trip: {problem}", file=sys.stderr)
    return 1 if failures or round_trip else 0


if __name__ == "__main__":
    sys.exit(main())
