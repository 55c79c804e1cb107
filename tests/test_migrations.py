"""Models and migrations agree: no change is left without its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations(capsys):
    call_command("makemigrations", "--check", "--dry-run", verbosity=1)

    assert "No changes detected" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_consent_records_and_subscribers_survive_the_move_to_their_own_apps():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("hub", "0003_subscriber_language"), ("consent", None), ("newsletter", None)]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[:1]).apps
    old.get_model("hub", "Subscriber").objects.create(email="kept@example.org")
    Record = old.get_model("hub", "ConsentRecord")
    for action in ("accept", "decline", "accept"):
        Record.objects.create(group="analytics", version="1", action=action)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps

    assert list(
        new.get_model("newsletter", "Subscriber").objects.values_list("email", flat=True)
    ) == ["kept@example.org"]
    tallies = new.get_model("consent", "ConsentTally").objects.values_list("action", "count")
    assert sorted(tallies) == [("accept", 2), ("decline", 1)]
    assert not new.get_model("consent", "ConsentRecord").objects.exists()
