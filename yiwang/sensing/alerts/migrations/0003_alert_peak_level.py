from django.db import migrations, models
from django.db.models import F


def peak_is_the_current_level(apps, schema_editor):
    # rows raised before the peak was kept: their current level is the best record there is
    apps.get_model("alerts", "Alert").objects.filter(peak_level="").update(peak_level=F("level"))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_alter_rule_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="peak_level",
            field=models.CharField(blank=True, max_length=8, verbose_name="peak level 最高等级"),
        ),
        migrations.RunPython(peak_is_the_current_level, migrations.RunPython.noop),
    ]
