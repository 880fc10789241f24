"""URLconf of the ecommerce_api project: the JSON API under /api/, the admin, the health check."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions, routers

from accounts.password_reset_views import PasswordResetConfirmView, PasswordResetRequestView
from accounts.profile_views import ProfileView
from accounts.signup_views import RegistrationView
from accounts.views import AuthTokenView
from alerts.views import ProductAlertView, StockAlertViewSet
from catalog.views import CategoryViewSet, ProductViewSet
from config.api_docs import SwaggerUIView
from config.health import healthz
from orders.views import OrderViewSet


class APIRootView(routers.APIRootView):
    """The shop's API. Products are public; orders need a token or a session."""

    permission_classes = [permissions.AllowAny]


router = routers.DefaultRouter()
router.APIRootView = APIRootView
router.register("categories", CategoryViewSet, basename="category")
router.register("products", ProductViewSet, basename="product")
router.register("orders", OrderViewSet, basename="order")
router.register("alerts", StockAlertViewSet, basename="alert")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="swagger-ui"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Before the router's URLs, which would read "5/alerts" as a product id.
    path(
        "api/products/<int:product_id>/alerts/",
        ProductAlertView.as_view(),
        name="product-alerts",
    ),
    path("api/", include(router.urls)),
    path("api/cart/", include("cart.urls")),
    path("api/auth/token/", AuthTokenView.as_view(), name="auth-token"),
    path("api/auth/register/", RegistrationView.as_view(), name="auth-register"),
    path(
        "api/auth/password-reset/",
        PasswordResetRequestView.as_view(),
        name="auth-password-reset",
    ),
    path(
        "api/auth/password-reset/confirm/",
        PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("api/me/", ProfileView.as_view(), name="me"),
    path("api/auth/session/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script is a separate request (?script), so the page runs under a
    # Content-Security-Policy without inline scripts.
    path(
        "api/docs/",
        SwaggerUIView.as_view(url_name="schema", template_name="api_docs/swagger_ui.html"),
        name="swagger-ui",
    ),
]

handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"
