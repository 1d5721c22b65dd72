"""SQL range expressions for the Maisons' exclusion constraints (hours that overlap, closures that overlap).

An index, hence an exclusion constraint, may only use IMMUTABLE functions (PostgreSQL « CREATE INDEX »): `date +
time` and `LEAST`/`GREATEST` are, a cast from text to a timestamp is not. Times of day are put on a fixed date so
that two ranges of the same weekday compare as timestamps. The bounds are ordered with LEAST/GREATEST because
Django's constraint validation (`Model.validate_constraints`) builds the range from the values being checked: a
reversed range would otherwise raise a database error instead of the check constraint's French message.
"""

from django.contrib.postgres.fields import DateTimeRangeField
from django.db.models import DateTimeField, Func


class OrderedTimestampRange(Func):
    """`tsrange(LEAST(a, b), GREATEST(a, b))`, half-open ([a, b)): two ranges that only touch do not overlap."""

    template = "tsrange(LEAST(%(expressions)s), GREATEST(%(expressions)s))"
    output_field = DateTimeRangeField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, *params)  # The template writes the two expressions twice.


class OnFixedDay(Func):
    """A time of day as a timestamp on 1 January 2000, the same day for every weekday."""

    template = "(DATE '2000-01-01' + %(expressions)s)"
    output_field = DateTimeField()
    arity = 1


class DayAt(Func):
    """`day + COALESCE(time, TIME 'default')`: a closure's first instant (default « 00:00 », midnight) or its end
    (default « 24:00 », the next midnight), when it covers whole days and so has no time."""

    output_field = DateTimeField()
    arity = 2

    def __init__(self, day, time, *, default: str, **extra):
        if default not in ("00:00", "24:00"):
            raise ValueError("default must be '00:00' or '24:00'")
        super().__init__(day, time, **extra)
        self.default = default

    def as_sql(self, compiler, connection, **extra_context):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        time_sql, time_params = compiler.compile(self.source_expressions[1])
        return f"({day_sql} + COALESCE({time_sql}, TIME '{self.default}'))", (*day_params, *time_params)
