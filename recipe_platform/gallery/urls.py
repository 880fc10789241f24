from django.urls import path

from gallery import views

app_name = "gallery"

urlpatterns = [
    path("<slug:slug>/", views.GalleryView.as_view(), name="manage"),
    path("photos/<int:pk>/delete/", views.DeletePhotoView.as_view(), name="delete"),
    path("photos/<int:pk>/move-up/", views.MovePhotoView.as_view(offset=-1), name="move_up"),
    path("photos/<int:pk>/move-down/", views.MovePhotoView.as_view(offset=1), name="move_down"),
    path("photos/<int:pk>/make-cover/", views.MakeCoverView.as_view(), name="make_cover"),
]
