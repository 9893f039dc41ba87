"""An index for folder listings: `path LIKE 'prefix%'` answered without scanning a repository.

Postgres uses a plain btree for LIKE only under the "C" collation; `varchar_pattern_ops`
makes the prefix match an index range scan under any collation. Built CONCURRENTLY (so
the migration is not atomic): writes to assets continue while it builds. SQLite needs
nothing: listings there use a range on the existing (repository, path) index.
"""

from django.db import migrations

INDEX = "generic_asset_path_prefix"


def _table(apps) -> str:
    return apps.get_model("repository", "Asset")._meta.db_table


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            f"ON {_table(apps)} (repository_id, path varchar_pattern_ops)"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("repository", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
