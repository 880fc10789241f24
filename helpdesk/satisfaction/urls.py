from django.urls import path

from satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("<str:token>/", views.RateView.as_view(), name="rate"),
]
