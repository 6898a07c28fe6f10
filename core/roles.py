"""The Admin role's group and its permissions, shared by every app's data migration (so it
sits in core: notifications, below accounts, grants them too)."""

ADMIN_GROUP_NAME = "Marketplace admins"

# Admins run the marketplace but never touch Django's own permission machinery,
# so they cannot grant themselves (or anyone) more power.
_NEVER_GRANTED_APPS = {"auth", "contenttypes", "sessions", "admin"}


def grant_admin_group_permissions(apps, app_labels):
    """Give the Admin group every permission on the models of `app_labels`.

    Called from data migrations; permissions are created first because Django only
    creates them after the whole migrate run, too late for a fresh database.
    """
    from django.contrib.auth.management import create_permissions

    labels = set(app_labels) - _NEVER_GRANTED_APPS
    for label in labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP_NAME)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=labels))
