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

    The statistics read this table and its monthly roll-up (`MonthlyCount`) only, never the visits: an aggregate
    over a million visits takes about half a second. It is kept up to date by `receivers.py` on every change of a
    visit and rebuilt from the visits by `manage.py stats_rebuild` (services.summary_rebuild). A deleted (or
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


class MonthlyCount(models.Model):
    """The daily summary rolled up by month: the sum of a Maison's `DailyCount` rows of a dimension and key over a
    local month, `month` being its first day.

    At about forty visits a Maison and day, each visit's commune, reasons, hour… make rows of their own, and a day
    of a Maison holds over a hundred summary rows: a year over a hundred Maisons is then an aggregate of about three
    million daily rows. A month repeats most keys of its days, so the statistics read whole months here and only
    the partial months at the period's edges from the days (services.counts). Written in the same statement as the
    daily summary (services.summary_apply) and rebuilt from it (services.summary_rebuild); tests/test_rollup.py
    checks that it always equals the daily summary summed by month.
    """

    month = models.DateField("mois")
    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    key = models.CharField("valeur", max_length=40, blank=True)
    count = models.IntegerField("nombre de visites", default=0)

    class Meta:
        verbose_name = "décompte mensuel"
        verbose_name_plural = "décomptes mensuels"
        constraints = [
            models.UniqueConstraint(
                fields=["maison", "month", "dimension", "key"],
                name="monthlycount_unique_key",
                violation_error_message="Ce décompte existe déjà.",
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="monthlycount_first_day",
                violation_error_message="Un mois commence le premier.",
            ),
        ]
        indexes = [models.Index(fields=["month", "dimension"], name="monthlycount_month_dimension")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.maison_id} {self.dimension}={self.key}: {self.count}"
