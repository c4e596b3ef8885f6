"""Public speakers: who made the claims we published verdicts on, with those verdicts only."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from claims.api.serializers.common import api_detail_url
from claims.api.serializers.verdicts import VerdictListSerializer
from claims.claimreview import absolute_url
from claims.models import Speaker
from claims.selectors.speakers import MonthRatings


class SpeakerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Speaker.Kind.choices)
    role = serializers.CharField(allow_null=True)
    organisation = serializers.CharField(allow_null=True, help_text="Party or organisation.")
    wikidata_qid = serializers.CharField(allow_null=True, help_text="Typed in by the desk.")
    wikidata_url = serializers.URLField(allow_null=True)
    verdict_count = serializers.IntegerField(help_text="Published verdicts on their claims.")
    public_url = serializers.URLField(help_text="The public speaker page.")
    api_url = serializers.URLField()

    def to_representation(self, speaker: Speaker) -> dict[str, Any]:
        return {
            "id": speaker.pk,
            "name": speaker.name,
            "kind": speaker.kind,
            "role": speaker.role or None,
            "organisation": speaker.organisation or None,
            "wikidata_qid": speaker.wikidata_qid or None,
            "wikidata_url": speaker.wikidata_url or None,
            "verdict_count": speaker.verdict_count,
            "public_url": absolute_url("public:speaker_detail", speaker_id=speaker.pk),
            "api_url": api_detail_url("api:speaker-detail", speaker.pk),
        }


class AliasSerializer(serializers.Serializer):
    alias = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class LabelCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class MonthRatingsSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM of the article the claim was made in.")
    counts = LabelCountSerializer(many=True)
    total = serializers.IntegerField()


class SpeakerDetailSerializer(SpeakerSerializer):
    aliases = AliasSerializer(many=True)
    ratings_by_month = MonthRatingsSerializer(many=True)
    verdicts = VerdictListSerializer(many=True, help_text="Published verdicts, newest first.")

    def to_representation(self, speaker: Speaker) -> dict[str, Any]:
        data = super().to_representation(speaker)
        months: list[MonthRatings] = self.context["months"]
        data["aliases"] = [
            {
                "alias": a.alias,
                "valid_from": a.valid_from.isoformat() if a.valid_from else None,
                "valid_until": a.valid_until.isoformat() if a.valid_until else None,
            }
            for a in speaker.aliases.all()
        ]
        data["ratings_by_month"] = [
            {
                "month": m.month,
                "counts": [{"label": name, "count": n} for name, _, n in m.counts],
                "total": m.total,
            }
            for m in months
        ]
        data["verdicts"] = VerdictListSerializer(self.context["verdicts"], many=True).data
        return data
