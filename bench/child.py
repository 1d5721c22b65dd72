"""A measure run in a child process of its own (same environment), so that its memory and its connections are its
own: the child prints one line `<marker>{json}`, which the benchmark reads back."""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path


def measure_in_subprocess(module: str, marker: str, what: str) -> dict:
    """Run `python -m module` and return the figures it printed after `marker`; RuntimeError naming `what` (in
    French) with the end of its error output when there are none."""
    completed = subprocess.run(
        [sys.executable, "-m", module],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
        cwd=Path(__file__).resolve().parent.parent,
    )
    line = next((line for line in completed.stdout.splitlines() if line.startswith(marker)), None)
    if line is None:
        raise RuntimeError(f"La mesure {what} a échoué :\n{completed.stderr[-3000:]}")
    return json.loads(line.removeprefix(marker))


def peak_rss_mb() -> float:
    """This process's peak resident set size. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of
    the benchmark would report the benchmark's own peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
