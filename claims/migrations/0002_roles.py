"""Roles as Django groups. Permissions are what the service layer checks; groups bundle them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = [
    "claims.view_article",
    "claims.add_article",
    "claims.view_claim",
    "claims.change_claim",
    "claims.work_claim",
    "claims.view_claimgroup",
    "claims.view_claimmatch",
    "claims.change_claimmatch",
    "claims.add_claimnote",
    "claims.view_claimnote",
    "claims.view_verdict",
    "claims.add_verdict",
    "claims.change_verdict",
    "claims.view_evidencesource",
    "claims.add_evidencesource",
    "claims.change_evidencesource",
    "claims.delete_evidencesource",
    "claims.view_ratingscale",
    "claims.view_ratinglabel",
    "claims.view_knownsourcedomain",
    "claims.view_outlet",
    "claims.view_feed",
    "claims.add_savedfilter",
    "claims.view_savedfilter",
    "claims.delete_savedfilter",
]
EDITOR = [*REVIEWER, "claims.review_verdict", "claims.add_verdictcorrection",
          "claims.view_verdictcorrection", "claims.change_claimgroup"]
ROLES = {"reviewer": REVIEWER, "editor": EDITOR}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    admin, _ = Group.objects.get_or_create(name="admin")
    admin.permissions.set(Permission.objects.all())


def drop_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["reviewer", "editor", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, drop_roles)]
