"""Add, list and remove a user's watch rules (admins script this).

python manage.py watch --user rita --speaker "Olaf Scholz"
python manage.py watch --user rita --outlet "Der Spiegel" | --topic "Wärmepumpe Kosten" | --group 12
python manage.py watch --user rita --topic "entity:Olaf Scholz"   (a person, organisation, place)
python manage.py watch --user rita --list
python manage.py watch --user rita --remove 7
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.exceptions import ClaimTrackerError
from claims.models import ClaimGroup, WatchRule
from claims.services.watch import (
    outlet_by_name,
    speaker_by_name,
    watch_rule_add,
    watch_rule_remove,
)


class Command(BaseCommand):
    help = "Follow a speaker, outlet, topic or claim group for a user; list or remove rules."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the user's username")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--speaker", metavar="NAME", help="a speaker's name or alias")
        what.add_argument("--outlet", metavar="NAME", help="an outlet's name or domain")
        what.add_argument(
            "--topic",
            metavar="WORDS",
            help='words that must all occur, or "entity:NAME" for a person, organisation or place',
        )
        what.add_argument("--group", metavar="ID", type=int, help="a claim group's id")
        what.add_argument("--list", action="store_true", help="list the user's rules")
        what.add_argument("--remove", metavar="ID", type=int, help="remove a rule by its id")

    def handle(self, *args, **opts):
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"No user {opts['user']!r}.")
        try:
            if opts["list"]:
                for rule in (
                    WatchRule.objects.filter(user=user)
                    .select_related("speaker", "outlet", "group")
                    .order_by("pk")
                ):
                    self.stdout.write(f"{rule.pk}\t{rule.kind}\t{rule.target_label}")
                return
            if opts["remove"] is not None:
                watch_rule_remove(user=user, rule_id=opts["remove"])
                self.stdout.write(f"removed {opts['remove']}")
                return
            if opts["speaker"]:
                rule = watch_rule_add(
                    user=user, kind="speaker", speaker=speaker_by_name(opts["speaker"])
                )
            elif opts["outlet"]:
                rule = watch_rule_add(
                    user=user, kind="outlet", outlet=outlet_by_name(opts["outlet"])
                )
            elif opts["topic"]:
                rule = watch_rule_add(user=user, kind="topic", topic=opts["topic"])
            else:
                group = ClaimGroup.objects.filter(pk=opts["group"]).first()
                if group is None:
                    raise CommandError(f"No claim group {opts['group']}.")
                rule = watch_rule_add(user=user, kind="group", group=group)
        except ClaimTrackerError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{rule.pk}\t{rule.kind}\t{rule.target_label}")
