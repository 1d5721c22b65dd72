from collections.abc import Iterable

from django.db import models


class Role(models.TextChoices):
    """A person's roles are Django groups named by the role's code (the value), never by its French label.

    Keying groups by code means relabelling a role never orphans its members; every label shown to someone
    (dashboard, invitation e-mail and list, administration) comes from this enumeration. A person may hold several.
    """

    AGENT = "agent", "Agent d’accueil"
    PROJECT_LEAD = "chef_projet", "Chef·fe de projet"
    ELECTED = "elu", "Élu·e"
    COMMUNICATION = "communication", "Communication"
    ADMINISTRATOR = "administrateur", "Administrateur·rice"

    @property
    def group_name(self) -> str:
        return self.value

    @classmethod
    def from_group_names(cls, names: Iterable[str]) -> set["Role"]:
        """The roles among these group names; a group that is not a role is ignored."""
        return {cls(name) for name in names if name in cls.values}

    @classmethod
    def label_of_group(cls, name: str) -> str:
        """A group's name for people: the role's label, or the group's own name for a group that is no role."""
        return cls(name).label if name in cls.values else name
