from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.home, name="home"),
    path("tickets/", views.TicketListView.as_view(), name="list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="detail"),
    path("tickets/<int:pk>/comments/", views.CommentCreateView.as_view(), name="comment"),
    path("tickets/<int:pk>/status/", views.TicketStatusView.as_view(), name="status"),
    path("tickets/<int:pk>/priority/", views.TicketPriorityView.as_view(), name="priority"),
    path("tickets/<int:pk>/assign/", views.TicketAssignView.as_view(), name="assign"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]
