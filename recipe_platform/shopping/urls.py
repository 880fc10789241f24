from django.urls import path

from shopping import views

app_name = "shopping"

urlpatterns = [
    path("", views.ShoppingListView.as_view(), name="list"),
    path("print/", views.PrintView.as_view(), name="print"),
    path("add/<slug:slug>/", views.AddRecipeView.as_view(), name="add"),
    path("<int:pk>/tick/", views.tick, name="tick"),
    path("clear-ticked/", views.clear_ticked, name="clear_ticked"),
]
