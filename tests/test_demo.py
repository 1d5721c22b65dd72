"""The demonstration data: complete, idempotent, and refused in production."""

import pytest
from django.core.management import CommandError, call_command

from accounts.enums import Role
from accounts.models import User
from accueil.models import Motif, Visit
from demo.data import ACCOUNTS, DEMO_PASSWORD
from demo.services import demo_seed
from events.models import Occupancy
from maisons.models import Direction, ExceptionalClosure, Maison, MaisonPhoto, Room
from maisons.tests.factories import CommuneFactory
from partenaires.models import Partner


@pytest.fixture
def communes():
    for code, name in [("52121", "Chaumont"), ("52269", "Langres"), ("52448", "Saint-Dizier")]:
        CommuneFactory(code_insee=code, name=name)


def _counts():
    models = [Maison, Room, MaisonPhoto, ExceptionalClosure, Direction, Partner, Motif, Occupancy, Visit, User]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_data_is_complete_and_a_second_run_changes_nothing(communes):
    demo_seed(load_communes=False)
    first = _counts()
    assert first["Maison"] == 2 and first["Room"] == 6
    assert first["MaisonPhoto"] == 2 and ExceptionalClosure.objects.filter(start_time__isnull=False).count() == 2
    assert first["Direction"] >= 10 and first["Partner"] >= 5 and first["Motif"] >= 5
    # The accounts of the table, and demo/reservations.py's second official and assistant.
    assert first["Occupancy"] >= 4 and first["Visit"] > 0 and first["User"] == len(ACCOUNTS) + 2
    assert set(Maison.objects.values_list("slug", flat=True)) == {"langres", "saint-dizier"}

    # A person changed their password in between: the second run keeps it.
    elu = User.objects.get(email="elu@demo.test")
    elu.set_password("un-autre-mot-de-passe")
    elu.save()
    demo_seed(load_communes=False)
    assert _counts() == first
    elu.refresh_from_db()
    assert elu.check_password("un-autre-mot-de-passe")


def test_demo_accounts_have_their_roles_and_maisons(communes):
    demo_seed(load_communes=False)
    for email, _first, _last, roles, maison_slugs in ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.roles == set(roles)
        assert set(user.maisons.values_list("slug", flat=True)) == set(maison_slugs)
    assert User.objects.get(email="admin@demo.test").is_staff
    assert User.objects.get(email="agent.langres@demo.test").has_role(Role.AGENT)


def test_demo_data_is_refused_in_production(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="ne doivent jamais être créées en production"):
        call_command("seed_demo")
    assert not User.objects.exists()
