from __future__ import annotations

from rest_framework import serializers

from alerts.models import StockAlert


class StockAlertSerializer(serializers.ModelSerializer[StockAlert]):
    product = serializers.IntegerField(
        source="product_id", read_only=True, help_text="The product's id."
    )
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = StockAlert
        fields = ["id", "product", "product_name", "created_at"]
        read_only_fields = fields
