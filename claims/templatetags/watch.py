"""{% follow_button kind target_id label %}: Follow / Unfollow for the current user."""

from django import template

from claims.models import WatchRule

register = template.Library()


@register.inclusion_tag("claims/partials/follow_button.html", takes_context=True)
def follow_button(context, kind: str, target_id: int | None, label: str = "") -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    rule = None
    if target_id and user is not None and user.is_authenticated:
        rule = WatchRule.objects.filter(user=user, kind=kind, **{f"{kind}_id": target_id}).first()
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "follow_kind": kind,
        "follow_target": target_id,
        "follow_label": label,
        "follow_rule": rule,
        "show": bool(target_id),
    }
