"""Every table, row by row, for comparing the database before and after."""

from django.db import connections

from carereview.records.erase import tables


def model_rows(using: str = "default") -> dict[str, dict]:
    """For every installed model and many-to-many table: {label: {pk: (every column)}}."""
    found = {}
    for model in tables():
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = model._base_manager.using(using).order_by("pk").values_list(*columns)
        pk_at = columns.index(model._meta.pk.attname)
        found[model._meta.label] = {row[pk_at]: row for row in rows}
    return found


def raw_tables(using: str = "default") -> dict[str, list[tuple]]:
    """Every table in the database (with or without a model), every column, ordered by all of
    them."""
    connection = connections[using]
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            order = ", ".join(str(i + 1) for i in range(len(columns)))
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            found[table] = [tuple(row) for row in cursor.fetchall()]
    return found


def texts(using: str = "default") -> list[tuple[str, str]]:
    """(table, value) for every text value in every table."""
    found = []
    for table, rows in raw_tables(using).items():
        for row in rows:
            for value in row:
                if isinstance(value, str | dict | list):
                    found.append((table, str(value)))
    return found
