"""明确主办部门和协办部门: stages written before history marked the lead department (the demo
history generator saved every stage with ``lead=False``) get the flag the catalogue gives, as
acceptance marks it (``approvals.services._start_clocks``): on a joint item the stage of the
department the item's plan names lead (主办), on a single-department item its one stage.
Only applications with no lead stage at all are touched; an application whose item's plan no
longer names a lead department it has a stage of keeps the first stage as its lead, as
before (``approvals.documents.lead_index``)."""

from django.db import migrations
from django.db.models import Exists, F, OuterRef


def stage_leads_mark(apps, schema_editor) -> int:
    """Mark the lead stage of every application that has none; the number of stages marked."""
    Stage = apps.get_model("approvals", "Stage")
    StageRequirement = apps.get_model("catalogue", "StageRequirement")
    leaderless = Stage.objects.filter(lead=False).exclude(
        Exists(Stage.objects.filter(application_id=OuterRef("application_id"), lead=True)))
    plan = StageRequirement.objects.filter(item_id=OuterRef("application__service_id"))
    joint = leaderless.filter(Exists(plan.filter(department_id=OuterRef("department_id"), lead=True)))
    marked = joint.update(lead=True)
    single = leaderless.exclude(Exists(plan)).filter(department_id=F("application__service__department_id"))
    return marked + single.update(lead=True)


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0019_alert_pre_review"),
        ("catalogue", "0005_intermediary_services"),
    ]

    operations = [
        migrations.RunPython(stage_leads_mark, migrations.RunPython.noop, elidable=True),
    ]
