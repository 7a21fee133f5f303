"""PostgreSQL only: NOTIFY yiwang_licences on every change of a licence (its jti) or of a signing key ("*").

The web processes keep the status rows that verification reads in memory and forget them on these
notifications (yiwang/services/licences/verify_cache.py). Triggers rather than calls in the actions, so that
any write — an action, the shell, a data fix in psql — is announced. Nothing on SQLite (no cache there).
"""

from django.db import migrations

CHANNEL = "yiwang_licences"


def _tables(apps):
    return apps.get_model("licences", "Licence")._meta.db_table, apps.get_model("licences", "SigningKey")._meta.db_table


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    licence, key = (schema_editor.quote_name(t) for t in _tables(apps))
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION yiwang_licence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', OLD.jti::text);
            IF TG_OP = 'UPDATE' AND NEW.jti <> OLD.jti THEN
                PERFORM pg_notify('{CHANNEL}', NEW.jti::text);
            END IF;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION yiwang_signing_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '*');
            RETURN NULL;
        END $$;
        DROP TRIGGER IF EXISTS yiwang_licence_changed ON {licence};
        CREATE TRIGGER yiwang_licence_changed AFTER UPDATE OR DELETE ON {licence}
            FOR EACH ROW EXECUTE FUNCTION yiwang_licence_changed();
        DROP TRIGGER IF EXISTS yiwang_signing_key_changed ON {key};
        CREATE TRIGGER yiwang_signing_key_changed AFTER UPDATE OR DELETE ON {key}
            FOR EACH ROW EXECUTE FUNCTION yiwang_signing_key_changed();
        """
    )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    licence, key = (schema_editor.quote_name(t) for t in _tables(apps))
    schema_editor.execute(
        f"""
        DROP TRIGGER IF EXISTS yiwang_licence_changed ON {licence};
        DROP TRIGGER IF EXISTS yiwang_signing_key_changed ON {key};
        DROP FUNCTION IF EXISTS yiwang_licence_changed();
        DROP FUNCTION IF EXISTS yiwang_signing_key_changed();
        """
    )


class Migration(migrations.Migration):
    dependencies = [("licences", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
