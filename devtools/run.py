"""`make run`: the whole portal in the foreground on this machine.

Starts the embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are not set, migrates, loads the
demonstration data, then runs the web server, a Celery worker and Celery beat with honcho (labelled,
interleaved logs). Ctrl-C stops every process, the embedded servers included; their data stays in var/.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from demo.data import ACCOUNTS, DEMO_PASSWORD
from devtools.embedded import BASE_DIR, ensure_services


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=BASE_DIR)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    port = os.environ.setdefault("PORT", "8000")
    for name in ensure_services():
        print(f"Démarré : {name} (données dans var/)", flush=True)
    (BASE_DIR / "var").mkdir(exist_ok=True)
    try:
        manage("migrate", "--no-input", "--verbosity", "0")
        manage("seed_demo")
    except subprocess.CalledProcessError as error:
        print(f"Échec de la préparation de la base : {error}", file=sys.stderr)
        return 1
    print(
        f"\nLe portail est servi sur http://127.0.0.1:{port}/ (Ctrl-C pour tout arrêter).\n"
        f"Comptes de démonstration, mot de passe « {DEMO_PASSWORD} » : "
        + ", ".join(email for email, *_ in ACCOUNTS)
        + "\n",
        flush=True,
    )
    venv_bin = str(Path(sys.executable).parent)
    # honcho gives each process a PORT of its own (web 8000, worker 8100, beat 8200): links in the e-mails the worker
    # sends must name the web server's, kept in SITE_PORT (config/settings/dev.py).
    env = {**os.environ, "PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""), "SITE_PORT": port}
    honcho = subprocess.Popen(
        # `-e /dev/null`: honcho would otherwise load a production .env over this environment.
        [os.path.join(venv_bin, "honcho"), "-f", "Procfile.dev", "-e", os.devnull, "start", "-p", port],
        cwd=BASE_DIR,
        env=env,
    )
    # honcho gets Ctrl-C from the terminal and stops its processes; this one then stops the embedded servers.
    # Ignored only once honcho has started, so that it does not inherit the ignored signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return honcho.wait()


if __name__ == "__main__":
    sys.exit(main())
