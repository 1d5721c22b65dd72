from django.db import models

from maisons.models import Maison


class Dimension(models.TextChoices):
    """What a visit is counted by in the daily summary. Keys are stored as text (see `dimensions.py`)."""

    TOTAL = "total", "visites"
    MOTIF = "motif", "motif"
    GROUP = "groupe", "famille de motifs"
    THEME = "theme", "thématique"
    CHANNEL = "canal", "canal"
    OUTCOME = "suite", "suite donnée"
    DIRECTION = "direction", "direction du Département"
    PARTNER = "partenaire", "partenaire"
    COMMUNE = "commune", "commune de résidence"
    EPCI = "epci", "intercommunalité"
    AGE = "age", "tranche d’âge"
    SEX = "sexe", "sexe"
    DURATION = "duree", "durée"
    FIRST_VISIT = "premiere", "première visite"
    SATISFACTION = "satisfaction", "satisfaction"
    WEEKDAY_HOUR = "jour_heure", "jour et heure"


class DailyCount(models.Model):
    """How many visits of a Maison, on a local day (Europe/Paris), have a given key in a dimension.

    The statistics read only this table: an aggregate over a million visits takes about half a second, over a
    year of this summary a few milliseconds. It is kept up to date by `receivers.py` on every change of a visit
    and rebuilt from the visits by `manage.py stats_rebuild` (services.summary_rebuild). A deleted (or
    soft-deleted) visit counts nowhere.
    """

    day = models.DateField("jour")
    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    key = models.CharField("valeur", max_length=40, blank=True)
    count = models.IntegerField("nombre de visites", default=0)

    class Meta:
        verbose_name = "décompte quotidien"
        verbose_name_plural = "décomptes quotidiens"
        constraints = [
            # Also the index the statistics read: a Maison, a range of days, then dimension and key.
            models.UniqueConstraint(
                fields=["maison", "day", "dimension", "key"],
                name="dailycount_unique_key",
                violation_error_message="Ce décompte existe déjà.",
            ),
            # No CHECK (count >= 0): PostgreSQL checks the proposed row of an upsert before finding the conflict,
            # so a decrement (a negative proposed count) would be refused. tests/test_summary.py holds the rule.
        ]
        indexes = [models.Index(fields=["day", "dimension"], name="dailycount_day_dimension")]

    def __str__(self):
        return f"{self.day} {self.maison_id} {self.dimension}={self.key}: {self.count}"
