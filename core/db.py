"""Database expressions that Django does not ship, written for both SQLite and PostgreSQL."""

import datetime

from django.db.models import Func, IntegerField

EPOCH = datetime.date(2000, 1, 1)


class DayNumber(Func):
    """A date as a whole number of days since 01/01/2000, so that schedules can be computed
    with integer arithmetic inside the query on either database."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"DayNumber is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql_template(
            compiler,
            connection,
            f"CAST(julianday(%(expressions)s) - julianday('{EPOCH}') AS INTEGER)",
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql_template(
            compiler, connection, f"((%(expressions)s)::date - DATE '{EPOCH}')"
        )

    def as_sql_template(self, compiler, connection, template):
        return super().as_sql(compiler, connection, template=template)


def day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


class YearEndDayNumber(Func):
    """31 December of a year (an integer expression) as a DayNumber: one expression for the
    database instead of a CASE over every possible year."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"YearEndDayNumber is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template=(
                f"CAST(julianday((%(expressions)s) || '-12-31') - julianday('{EPOCH}') AS INTEGER)"
            ),
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template=f"(make_date((%(expressions)s)::int, 12, 31) - DATE '{EPOCH}')",
        )
