from django.conf import settings
from django.contrib import admin
from django.urls import path

from meetings import views as meeting_views

urlpatterns = [
    path("", meeting_views.home, name="home"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
