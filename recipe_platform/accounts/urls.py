from django.urls import path

from accounts import views

# No app namespace: settings.LOGIN_URL and Django's auth views expect the plain name "login".
urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
