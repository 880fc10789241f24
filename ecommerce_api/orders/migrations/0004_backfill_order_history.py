"""Give the orders placed before the lifecycle existed their history: placed (by the customer,
when it was created) and, for a cancelled one, cancelled (when it was)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    OrderEvent = apps.get_model("orders", "OrderEvent")
    events = []
    for order in Order.objects.filter(events__isnull=True).iterator():
        events.append(
            OrderEvent(
                order=order,
                from_status="",
                status="placed",
                actor_id=order.customer_id,
                created_at=order.created_at,
            )
        )
        if order.status == "cancelled":
            events.append(
                OrderEvent(
                    order=order,
                    from_status="placed",
                    status="cancelled",
                    actor_id=order.customer_id,
                    created_at=order.cancelled_at or order.created_at,
                )
            )
    OrderEvent.objects.bulk_create(events, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_order_lifecycle")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
