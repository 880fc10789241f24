from django.urls import path

from recipes import views

app_name = "recipes"

urlpatterns = [
    path("", views.RecipeListView.as_view(), name="list"),
    path("new/", views.RecipeCreateView.as_view(), name="create"),
    path("mine/", views.MyRecipesView.as_view(), name="mine"),
    path("<slug:slug>/", views.RecipeDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.RecipeUpdateView.as_view(), name="update"),
    path("<slug:slug>/delete/", views.RecipeDeleteView.as_view(), name="delete"),
]
