# Every command of the project. `make run` and `make test` work on a fresh Debian or Ubuntu with Python 3.11+ and make
# (as root, the missing Debian packages python3.X-venv and chromium are installed through apt-get).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
# Tests drive Playwright's sync API beside the ORM (tests only, never in settings).
PYTEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: help install run test test-fast lint format migrations bench backup restore clean

help:
	@echo "make run     – le portail complet sur http://127.0.0.1:$${PORT:-8000} (données de démonstration)"
	@echo "make test    – lint et tous les tests (unitaires, intégration, navigateur)"
	@echo "make lint    – ruff (Python) et djLint (gabarits)"
	@echo "make bench   – mesure de performance, résultats dans bench/results/"
	@echo "make backup  – sauvegarde de la base et des fichiers téléversés dans var/backups/ (BACKUP_DIR)"
	@echo "make restore BACKUP=var/backups/portail-… – restauration dans une base vide (FORCE=1 : base non vide)"

# The virtual environment, synced to the locked requirements; redone only when they change.
$(BIN)/.installed: requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "Python 3.11 ou plus récent est nécessaire ($(PYTHON) : $$($(PYTHON) --version 2>&1))." >&2; exit 1; }
	@{ test -x $(BIN)/python && test -x $(BIN)/pip; } || sh devtools/ensure_venv.sh "$(PYTHON)" "$(VENV)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements-dev.txt
	@touch $@

install: $(BIN)/.installed

run: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python -m devtools.run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint --quiet

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: install
	$(PYTEST_ENV) $(BIN)/python -m devtools.services -- $(BIN)/python manage.py makemigrations --check --dry-run

test: install lint
	@sh devtools/ensure_chromium.sh
	$(PYTEST_ENV) $(BIN)/python -m devtools.services -- sh -c '\
		$(BIN)/python manage.py makemigrations --check --dry-run && \
		$(BIN)/pytest $(PYTEST_ARGS)'

# Everything but the browser suite, for a quick loop.
test-fast: install
	$(PYTEST_ENV) $(BIN)/python -m devtools.services -- $(BIN)/pytest $(PYTEST_ARGS) -m "not browser"

bench: install
	@sh devtools/ensure_wrk.sh
	$(BIN)/python -m devtools.services -- $(BIN)/python -m bench.run $(BENCH_ARGS)

# Backups of the database (pg_dump, custom format) and of the uploaded files: devtools/backup.py.
# DATABASE_URL when set, else the embedded PostgreSQL; settings of development unless DJANGO_SETTINGS_MODULE says.
BACKUP_ENV := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev}

backup: install
	$(BACKUP_ENV) $(BIN)/python -m devtools.services -- $(BIN)/python -m devtools.backup backup

restore: install
	@test -n "$(BACKUP)" || { echo "Indiquez la sauvegarde : make restore BACKUP=var/backups/portail-AAAAMMJJ-HHMMSS" >&2; exit 2; }
	$(BACKUP_ENV) $(BIN)/python -m devtools.services -- $(BIN)/python -m devtools.backup restore "$(BACKUP)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) .pytest-tmp staticfiles
