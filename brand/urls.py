from django.urls import path

from brand import views

app_name = "brand"
urlpatterns = [path("brand.css", views.stylesheet, name="stylesheet")]
