from django.urls import path

from canceropoles import views

app_name = "canceropoles"

urlpatterns = [
    path("<str:code>/", views.CanceropoleDetailView.as_view(), name="detail"),
]
