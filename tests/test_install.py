"""The first step of `make run` and `make test` on a minimal Debian or Ubuntu: a Python without ensurepip.

There `python3 -m venv` fails until the package python3.X-venv is installed. devtools/ensure_venv.sh installs it
through apt-get as root and retries, and otherwise names the package to install. apt-get, `id` and the broken Python
are stand-ins (shell scripts): this machine has python3-venv, and a test must not install system packages.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "devtools" / "ensure_venv.sh"
PACKAGE = f"python3.{sys.version_info.minor}-venv"


def fake_machine(tmp_path: Path, *, uid: int, apt: bool) -> tuple[Path, dict[str, str]]:
    """A bin folder with a Python whose venv module works only once the venv package is 'installed'."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    installed = tmp_path / "venv-package-installed"
    scripts = {
        "python3": f"""#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ] && [ ! -e "{installed}" ]; then
  mkdir -p "$3/bin" && ln -sf "{sys.executable}" "$3/bin/python"
  echo "The virtual environment was not created successfully because ensurepip is not available." >&2
  exit 1
fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && ln -sf "{sys.executable}" "$3/bin/python" && touch "$3/bin/pip" && exit 0
fi
exec "{sys.executable}" "$@"
""",
        "id": f"#!/bin/sh\necho {uid}\n",
    }
    if apt:
        scripts["apt-get"] = f"""#!/bin/sh
echo "$@" >> "{tmp_path / "apt.log"}"
case "$*" in *"install -y -qq {PACKAGE}"*) touch "{installed}" ;; esac
exit 0
"""
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    # First on PATH: these stand-ins shadow the machine's own apt-get and id.
    return bin_dir, {**os.environ, "PATH": os.pathsep.join([str(bin_dir), os.environ["PATH"]])}


def ensure_venv(bin_dir: Path, env: dict[str, str], venv: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPT), str(bin_dir / "python3"), str(venv)], env=env, capture_output=True, text=True, timeout=60
    )


def test_as_root_the_venv_package_is_installed_through_apt_then_the_venv_created(tmp_path):
    bin_dir, env = fake_machine(tmp_path, uid=0, apt=True)

    result = ensure_venv(bin_dir, env, tmp_path / ".venv")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "apt.log").read_text().splitlines() == ["update -qq", f"install -y -qq {PACKAGE}"]
    assert (tmp_path / ".venv" / "bin" / "pip").exists()


def test_without_root_the_package_to_install_is_named_and_no_half_made_venv_remains(tmp_path):
    bin_dir, env = fake_machine(tmp_path, uid=1000, apt=True)

    result = ensure_venv(bin_dir, env, tmp_path / ".venv")

    assert result.returncode == 1
    assert f"sudo apt-get install {PACKAGE}" in result.stderr
    assert not (tmp_path / "apt.log").exists()
    assert not (tmp_path / ".venv").exists()


def test_a_half_made_venv_from_an_earlier_failure_is_made_again(tmp_path):
    bin_dir, env = fake_machine(tmp_path, uid=0, apt=True)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)  # No pip: what a failed venv leaves.

    result = ensure_venv(bin_dir, env, tmp_path / ".venv")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".venv" / "bin" / "pip").exists()
