"""Database expressions and statements that Django does not ship, written for both SQLite and
PostgreSQL."""

import datetime
from collections.abc import Sequence

from django.db import connection
from django.db.models import Func, IntegerField, Model, QuerySet

EPOCH = datetime.date(2000, 1, 1)
# Rows per statement of a bulk write: well under SQLite's limit of parameters, and a few
# statements for an import of 10.000 rows.
CHUNK = 2000


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


def insert_select(model: type[Model], fields: Sequence[str], select: QuerySet) -> None:
    """INSERT INTO the table of `model` (the columns of its `fields`, by name) the rows of
    `select`, a values_list of as many columns in the same order: rows copied or derived from
    others by the database in one statement, without a Python object per row. Nothing is
    validated and no signal is sent: for rows whose values the caller has checked."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    sql, params = select.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({columns}) {sql}", params)
