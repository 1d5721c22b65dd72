import pytest

from maisons.models import Commune


@pytest.fixture
def few_communes(monkeypatch):
    """The communes the demonstration data names, and a few more: not the 35,000 of the full list."""

    def seed_communes():
        for code, name, population in [
            ("52121", "Chaumont", 21945),
            ("52269", "Langres", 7720),
            ("52448", "Saint-Dizier", 23382),
            ("52060", "Bourbonne-les-Bains", 2009),
            ("52332", "Nogent", 3709),
            ("52265", "Joinville", 3109),
        ]:
            Commune.objects.get_or_create(
                code_insee=code,
                defaults={"name": name, "departement": "52", "region": "44", "population": population},
            )

    monkeypatch.setattr("demo.services.seed_communes", seed_communes)
