"""The register of processing activities states the delays the code applies (docs/rgpd/registre.md)."""

import ast
import datetime
import re

from django.conf import settings

from core import retention

REGISTER = settings.BASE_DIR / "docs" / "rgpd" / "registre.md"
BASE_SETTINGS = settings.BASE_DIR / "config" / "settings" / "base.py"


def default_values() -> dict[str, int]:
    """Each setting's production default as base.py writes it: `NAME = env.int("VAR", default=<expr>)` or an alias."""
    values = {}
    for node in ast.parse(BASE_SETTINGS.read_text()).body:
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        name, value = node.targets[0].id, node.value
        if isinstance(value, ast.Call) and getattr(value.func, "attr", "") == "int":
            default = next(keyword.value for keyword in value.keywords if keyword.arg == "default")
            values[name] = eval(compile(ast.Expression(default), "base.py", "eval"))  # Literal arithmetic only.
        elif isinstance(value, ast.Name) and value.id in values:
            values[name] = values[value.id]
    return values


def test_every_retention_delay_in_the_register_matches_the_settings_default():
    text = REGISTER.read_text()
    defaults = default_values()
    for rule in retention.rules():
        rows = [line for line in text.splitlines() if line.startswith("|") and f"`{rule.setting}`" in line]
        assert rows, f"{rule.setting} manque dans le tableau des durées de docs/rgpd/registre.md"
        seconds = defaults[rule.setting] * (1 if rule.unit == "seconds" else 86400)
        words = retention.duration_in_words(datetime.timedelta(seconds=seconds))
        for row in rows:
            assert f"| {words} |" in row, f"{rule.setting} : le registre doit indiquer {words} ({row})"


def test_the_register_covers_each_processing():
    text = REGISTER.read_text()
    headings = re.findall(r"^## Traitement \d+ — (.+)$", text, flags=re.MULTILINE)
    assert len(headings) == 7
    for word in ("Comptes", "accueil", "réservations", "partenaires", "Rappels", "Invitations", "droits"):
        assert any(word in heading for heading in headings), word
    assert text.count("6-1-e") >= 6  # Mission of public interest for every processing but the exercise of rights.


def test_the_impact_assessment_exists_and_names_the_delays():
    text = (settings.BASE_DIR / "docs" / "rgpd" / "aipd.md").read_text()
    for section in ("## 1. Contexte", "## 2. Principes fondamentaux", "## 3. Risques", "## 4. Mesures"):
        assert section in text
    assert "VISIT_NOTE_RETENTION_DAYS" in text and "VISIT_AGENT_RETENTION_DAYS" in text
