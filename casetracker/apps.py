from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, with a site that lets no one in without a second factor."""

    default_site = "casetracker.admin.CasetrackerAdminSite"
