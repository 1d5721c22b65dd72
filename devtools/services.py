"""Run a command with DATABASE_URL and REDIS_URL pointing at real or embedded servers.

    python -m devtools.services -- pytest -n 2

Servers started here stop when the command ends, Ctrl-C included.
"""

import signal
import subprocess
import sys

from devtools.embedded import ensure_services


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: python -m devtools.services -- COMMAND [ARGS…]", file=sys.stderr)
        return 2
    for name in ensure_services():
        print(f"Démarré : {name}", flush=True)
    child = subprocess.Popen(argv)
    # The child gets Ctrl-C through the terminal; this process waits for it to finish, then stops the servers.
    # Ignoring SIGINT only after the start: an ignored signal would stay ignored in the child across exec.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
