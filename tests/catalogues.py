"""The data migrations' catalogues, for tests that run after a table flush."""


def replay_data_migrations() -> None:
    """Run the project's data migrations (RunPython) again when a flush has emptied the
    catalogues, in migration order, with the current models."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    from apps.trainees.models import Programme

    if Programme.objects.exists():
        return
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    plan = []
    for leaf in sorted(graph.leaf_nodes()):
        plan.extend(key for key in graph.forwards_plan(leaf) if key not in plan)
    with connection.schema_editor() as schema_editor:
        for key in plan:
            migration = graph.nodes[key]
            if not type(migration).__module__.startswith("apps."):
                continue
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, schema_editor)
