import pytest
from django.contrib.auth.models import Group, Permission

from accounts.enums import Role
from search.tests.wagtail_tree import home_page

# What the data migrations give the communication group (wagtailadmin access: pages; the settings: legal/0002).
COMMUNICATION_RIGHTS = ["access_admin", "change_accessibilitystatement", "change_legalnotice"]


@pytest.fixture(autouse=True)
def _migrations_data():
    """The home page and the communication group's rights, which a transactional test elsewhere may have flushed."""
    home_page()
    group, _ = Group.objects.get_or_create(name=Role.COMMUNICATION.value)
    group.permissions.add(*Permission.objects.filter(codename__in=COMMUNICATION_RIGHTS))
