from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("favourites/", views.FavouritesView.as_view(), name="favourites"),
    path("top-rated/", views.TopRatedView.as_view(), name="top_rated"),
    path("recipes/<slug:slug>/rate/", views.rate, name="rate"),
    path("recipes/<slug:slug>/comment/", views.comment, name="comment"),
    path("recipes/<slug:slug>/comments/", views.CommentsView.as_view(), name="comments"),
    path("recipes/<slug:slug>/favourite/", views.save_favourite, name="favourite"),
    path("recipes/<slug:slug>/unfavourite/", views.remove_favourite, name="unfavourite"),
    path("comments/<int:pk>/hide/", views.hide_comment, name="hide_comment"),
]
