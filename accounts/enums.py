from django.db import models


class Role(models.TextChoices):
    """Roles are Django groups of these names (created by a data migration); a person may hold several."""

    AGENT = "agent", "Agent d’accueil"
    PROJECT_LEAD = "chef_projet", "Chef·fe de projet"
    ELECTED = "elu", "Élu·e"
    COMMUNICATION = "communication", "Communication"
    ADMINISTRATOR = "administrateur", "Administrateur·rice"

    @property
    def group_name(self) -> str:
        return self.label
