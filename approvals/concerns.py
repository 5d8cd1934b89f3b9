"""涉及部门: which departments each application concerns, kept in ``ConcernedDepartment`` for
the departments' lists (``approvals.permissions.concerning_department``).

What it must hold is derived from two facts: the department of the application's item (受理、
主办; the item's department now, as the lists always read it) and the departments of its stages
(并联审批、协办). The services write a row where a fact appears (an application created, stages
made at acceptance); an item moved to another department moves its applications' rows here; an
application or a stage saved by the ORM records its own (``Application.save``, ``Stage.save``).
``drift`` compares the table with the facts, ``repair`` makes it match them."""

from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save

from approvals.models import Application, ConcernedDepartment, Stage
from portal.catalogue.models import ServiceItem


def _names() -> dict:
    quote = connection.ops.quote_name
    return {"cd": quote(ConcernedDepartment._meta.db_table), "app": quote(Application._meta.db_table),
            "item": quote(ServiceItem._meta.db_table), "stage": quote(Stage._meta.db_table)}


# The rows the facts call for: (application id, department id).
EXPECTED = ("SELECT a.id AS application_id, i.department_id AS department_id FROM {app} a "
            "JOIN {item} i ON i.id = a.service_id "
            "UNION SELECT s.application_id, s.department_id FROM {stage} s")


def drift(limit: int = 20) -> dict:
    """Rows the facts call for that the table lacks (``missing``) and rows it holds that they do
    not (``extra``), up to ``limit`` of each, as (application id, department id)."""
    sql = EXPECTED.format(**_names())
    table = "SELECT application_id, department_id FROM {cd}".format(**_names())
    with connection.cursor() as cursor:
        expected = f"SELECT application_id, department_id FROM ({sql}) x"
        cursor.execute(f"SELECT * FROM ({expected} EXCEPT {table}) m ORDER BY 1, 2 LIMIT %s", [limit])
        missing = [tuple(row) for row in cursor.fetchall()]
        cursor.execute(f"SELECT * FROM ({table} EXCEPT {expected}) e ORDER BY 1, 2 LIMIT %s", [limit])
        extra = [tuple(row) for row in cursor.fetchall()]
    return {"missing": missing, "extra": extra}


def repair() -> dict:
    """Make the table hold exactly what the facts call for; returns how many rows were added and
    removed. For data written around the services (an import by SQL); the migration that made the
    table filled it the same way."""
    names = _names()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(("DELETE FROM {cd} WHERE NOT EXISTS (SELECT 1 FROM (" + EXPECTED + ") x "
                        "WHERE x.application_id = {cd}.application_id AND x.department_id = {cd}.department_id)")
                       .format(**names))
        removed = cursor.rowcount
        cursor.execute(("INSERT INTO {cd} (application_id, department_id) SELECT application_id, department_id "
                        "FROM (" + EXPECTED + ") x WHERE true ON CONFLICT DO NOTHING").format(**names))
        added = cursor.rowcount
    return {"added": added, "removed": removed}


def item_moved(*, item_id: int, old_department_id: int, new_department_id: int) -> None:
    """An item now belongs to another department: its applications concern the new one, and
    no longer the old one where no stage of the old one is on them."""
    names = _names()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO {cd} (application_id, department_id) SELECT a.id, %s FROM {app} a "
                       "WHERE a.service_id = %s ON CONFLICT DO NOTHING".format(**names),
                       [new_department_id, item_id])
        cursor.execute("DELETE FROM {cd} WHERE department_id = %s "
                       "AND application_id IN (SELECT a.id FROM {app} a WHERE a.service_id = %s) "
                       "AND NOT EXISTS (SELECT 1 FROM {stage} s WHERE s.application_id = {cd}.application_id "
                       "AND s.department_id = %s)".format(**names),
                       [old_department_id, item_id, old_department_id])


def _department_before(sender, instance: ServiceItem, raw=False, **kwargs) -> None:
    instance._department_before = (None if raw or instance._state.adding else
                                   ServiceItem.objects.filter(pk=instance.pk).values_list("department_id",
                                                                                          flat=True).first())


def _department_after(sender, instance: ServiceItem, created=False, raw=False, **kwargs) -> None:
    before = getattr(instance, "_department_before", None)
    if not created and before is not None and before != instance.department_id:
        item_moved(item_id=instance.pk, old_department_id=before, new_department_id=instance.department_id)


def connect() -> None:
    pre_save.connect(_department_before, sender=ServiceItem, dispatch_uid="concerns-item-before")
    post_save.connect(_department_after, sender=ServiceItem, dispatch_uid="concerns-item-after")
