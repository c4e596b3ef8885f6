"""Inbox, email settings and the watchlist. Included by claimtracker/urls.py."""

from django.urls import path

from claims.views import notifications, watch

app_name = "notifications"

urlpatterns = [
    path("notifications/", notifications.inbox, name="inbox"),
    path("notifications/unread/", notifications.unread_count, name="unread_count"),
    path("notifications/read/", notifications.mark_read, name="mark_all_read"),
    path("notifications/<int:notification_id>/read/", notifications.mark_read, name="mark_read"),
    path("notifications/<int:notification_id>/", notifications.open_notification, name="open"),
    path("notifications/settings/", notifications.preferences, name="preferences"),
    path("watchlist/", watch.watchlist, name="watchlist"),
    path("watchlist/follow/", watch.follow, name="follow"),
    path("watchlist/<int:rule_id>/unfollow/", watch.unfollow, name="unfollow"),
]
