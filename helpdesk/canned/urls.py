from django.urls import path

from canned import views

app_name = "canned"

urlpatterns = [
    path("", views.CannedReplyListView.as_view(), name="list"),
    path("new/", views.CannedReplyCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.CannedReplyUpdateView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.CannedReplyDeleteView.as_view(), name="delete"),
]
