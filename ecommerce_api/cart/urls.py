from django.urls import path

from cart.views import CartItemsView, CartItemView, CartView

urlpatterns = [
    path("", CartView.as_view(), name="cart"),
    path("items/", CartItemsView.as_view(), name="cart-items"),
    path("items/<int:product_id>/", CartItemView.as_view(), name="cart-item"),
]
