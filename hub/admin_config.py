"""Django's admin app with the editors' desk (hub.desk) as its default site.

Its own module: hub/apps.py must hold only the Hub's AppConfig, and INSTALLED_APPS imports
this before the models are ready, so the site itself is named here, not imported.
"""

from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "hub.desk.EditorsDesk"
