"""Admin wiring: URLs, the "Registrations" menu, buttons on meeting and group pages,
and this app's permissions in Wagtail's group editor."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.widgets import Button

from . import admin_views

APP = "programmes_registration"

admin_urlpatterns = [
    path("meetings/", admin_views.MeetingListView.as_view(), name="meetings"),
    path(
        "meetings/<int:meeting_id>/",
        admin_views.MeetingRegistrationsView.as_view(),
        name="meeting",
    ),
    path(
        "meetings/<int:meeting_id>/export.csv",
        admin_views.MeetingExportView.as_view(),
        name="meeting_export",
    ),
    path("groups/", admin_views.GroupListView.as_view(), name="groups"),
    path("groups/<int:group_id>/", admin_views.GroupApplicationsView.as_view(), name="group"),
    path(
        "groups/<int:group_id>/export.csv",
        admin_views.GroupExportView.as_view(),
        name="group_export",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "registrations/",
            include((admin_urlpatterns, "programmes_registration_admin")),
        )
    ]


class _PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(f"{APP}.{self.permission}")


class _RegistrationsMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(f"{APP}.view_registration") or request.user.has_perm(
            f"{APP}.view_application"
        )


@hooks.register("register_admin_menu_item")
def register_menu():
    menu = Menu(
        items=[
            _PermissionMenuItem(
                _("Meetings"),
                reverse("programmes_registration_admin:meetings"),
                name="registrations-meetings",
                icon_name="date",
                order=100,
                permission="view_registration",
            ),
            _PermissionMenuItem(
                _("Working groups"),
                reverse("programmes_registration_admin:groups"),
                name="registrations-groups",
                icon_name="group",
                order=200,
                permission="view_application",
            ),
        ]
    )
    return _RegistrationsMenuItem(
        _("Registrations"), menu, name="registrations", icon_name="group", order=350
    )


def _page_buttons(page, user, priority):
    from programmes.models import MeetingPage, WorkingGroupPage

    # specific_class comes from the cached content type: no query for other pages.
    page_class = page.specific_class or type(page)
    if issubclass(page_class, MeetingPage) and user.has_perm(f"{APP}.view_registration"):
        meeting = MeetingPage.objects.filter(pk=page.pk).only("registration_mode").first()
        if meeting and (meeting.registration_mode == "form" or meeting.registrations.exists()):
            yield Button(
                _("Registrations"),
                reverse("programmes_registration_admin:meeting", args=[page.pk]),
                icon_name="group",
                priority=priority,
            )
    elif issubclass(page_class, WorkingGroupPage) and user.has_perm(f"{APP}.view_application"):
        yield Button(
            _("Applications"),
            reverse("programmes_registration_admin:group", args=[page.pk]),
            icon_name="group",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    yield from _page_buttons(page, user, priority=45)


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield from _page_buttons(page, user, priority=55)


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label=APP,
        codename__in=[
            "view_registration",
            "change_registration",
            "view_application",
            "change_application",
        ],
    )
