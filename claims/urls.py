from django.urls import path

from claims.views import claim, publishing, queue, speakers, verdicts

app_name = "claims"

urlpatterns = [
    path("", queue.home, name="home"),
    path("queue/", queue.queue, name="queue"),
    path("queue/bulk/", queue.queue_bulk, name="queue_bulk"),
    path("queue/filters/", queue.saved_filter_create, name="saved_filter_create"),
    path(
        "queue/filters/<int:filter_id>/delete/",
        queue.saved_filter_remove,
        name="saved_filter_delete",
    ),
    path("claims/<int:claim_id>/", claim.claim_page, name="claim"),
    path("claims/<int:claim_id>/select/", claim.claim_select_view, name="claim_select"),
    path("claims/<int:claim_id>/dismiss/", claim.claim_dismiss_view, name="claim_dismiss"),
    path("claims/<int:claim_id>/assign/", claim.claim_assign_view, name="claim_assign"),
    path("claims/<int:claim_id>/notes/", claim.claim_note_view, name="claim_note"),
    path("claims/<int:claim_id>/evidence/", claim.evidence_add_view, name="evidence_add"),
    path("claims/<int:claim_id>/evidence/list/", claim.evidence_list, name="evidence_list"),
    path("claims/<int:claim_id>/verdict/", verdicts.verdict_save_view, name="verdict_save"),
    path("evidence/<int:evidence_id>/delete/", claim.evidence_remove_view, name="evidence_delete"),
    path(
        "evidence/<int:evidence_id>/refetch/", claim.evidence_refetch_view, name="evidence_refetch"
    ),
    path("evidence/<int:evidence_id>/archive/", claim.evidence_archive, name="evidence_archive"),
    path("articles/<int:article_id>/copy/", claim.article_copy, name="article_copy"),
    path("review/", verdicts.review_list, name="review"),
    path(
        "verdicts/<int:verdict_id>/send-back/",
        verdicts.verdict_send_back_view,
        name="verdict_send_back",
    ),
    path(
        "verdicts/<int:verdict_id>/publish/",
        publishing.verdict_publish_view,
        name="verdict_publish",
    ),
    path(
        "verdicts/<int:verdict_id>/preview/",
        publishing.verdict_preview_page,
        name="verdict_preview_page",
    ),
    path(
        "verdicts/<int:verdict_id>/preview/page/",
        publishing.verdict_preview,
        name="verdict_preview",
    ),
    path(
        "verdicts/<int:verdict_id>/correct/", verdicts.verdict_correct_view, name="verdict_correct"
    ),
    path("speakers/", speakers.speakers, name="speakers"),
    path("speakers/<int:speaker_id>/", speakers.speaker_page, name="speaker"),
    path("speakers/<int:speaker_id>/edit/", speakers.speaker_edit_view, name="speaker_edit"),
    path(
        "speakers/<int:speaker_id>/confirm/",
        speakers.speaker_confirm_view,
        name="speaker_confirm",
    ),
    path(
        "speakers/<int:speaker_id>/aliases/",
        speakers.speaker_alias_add_view,
        name="speaker_alias_add",
    ),
    path(
        "speakers/<int:speaker_id>/aliases/<int:alias_id>/delete/",
        speakers.speaker_alias_remove_view,
        name="speaker_alias_delete",
    ),
    path("speakers/<int:speaker_id>/merge/", speakers.speaker_merge_view, name="speaker_merge"),
    path("speakers/<int:speaker_id>/split/", speakers.speaker_split_view, name="speaker_split"),
    path("claims/<int:claim_id>/speaker/", speakers.claim_speaker_view, name="claim_speaker"),
]
