"""Reads of appraisal campaigns: who sees which, and the aggregated results (评议结果)."""

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from appraisal.models import Answer, Campaign, CampaignStatus, RespondentKind, Response
from appraisal.services import runs_campaign
from portal.pagination import Ordering
from portal.web.list_filters import during

SATISFIED = 4  # 满意 and 非常满意


def campaigns() -> QuerySet[Campaign]:
    """Everybody sees the campaigns (to answer them); the results only once published (or the runners)."""
    return Campaign.objects.select_related("department", "replied_by").prefetch_related("questions")


# Newest first by the day it opens; keyset pages (portal.pagination).
CAMPAIGN_ORDER = Ordering(("opens_at", "id"), descending=True)


def campaign_states(now) -> dict[str, Q]:
    """Where a campaign stands at ``now``: not open yet, open for answers, closed with its
    results still to come, results published."""
    running = Q(status=CampaignStatus.RUNNING)
    return {"upcoming": running & Q(opens_at__gt=now), "open": running & Q(opens_at__lte=now, closes_at__gte=now),
            "closed": running & Q(closes_at__lt=now), "published": Q(status=CampaignStatus.PUBLISHED)}


def campaign_search(found: QuerySet[Campaign], *, q: str | None = None, state: str | None = None, department=None,
                    opens_from=None, opens_until=None, now=None) -> QuerySet[Campaign]:
    """``found`` narrowed by the list's filters: the number ``q`` (exact, any case) or a title
    holding it; where it stands (``campaign_states``); the department; opening in
    [``opens_from``, ``opens_until``)."""
    if q:
        q = q.strip()
        found = found.filter(Q(number=q.upper()) | Q(title__icontains=q))
    states = campaign_states(now or timezone.now())
    if state in states:
        found = found.filter(states[state])
    if department is not None:
        found = found.filter(department=department)
    return during(found, "opens_at", opens_from, opens_until)


def results_visible(user, campaign: Campaign) -> bool:
    """Published results are public; while it runs, only its runners (``runs_campaign``) read them."""
    return campaign.status == CampaignStatus.PUBLISHED or runs_campaign(user, campaign)


def campaign_results(campaign: Campaign) -> dict:
    """Per question and per kind of respondent: answers, average score, share satisfied (4–5)."""
    responses = dict(Response.objects.filter(campaign=campaign).values_list("kind").annotate(n=Count("id")))
    rows = (Answer.objects.filter(question__campaign=campaign).values("question_id", "response__kind")
            .annotate(n=Count("id"), average=Avg("score"), satisfied=Count("id", filter=Q(score__gte=SATISFIED)))
            .order_by())
    by_question: dict[int, dict] = {}
    for row in rows:
        entry = by_question.setdefault(row["question_id"], {"n": 0, "sum": 0.0, "satisfied": 0, "by_kind": {}})
        entry["n"] += row["n"]
        entry["sum"] += row["average"] * row["n"]
        entry["satisfied"] += row["satisfied"]
        entry["by_kind"][row["response__kind"]] = {"answers": row["n"], "average": round(row["average"], 2),
                                                   "satisfied_rate": round(row["satisfied"] / row["n"], 4)}
    questions = []
    for question in campaign.questions.all():
        entry = by_question.get(question.pk)
        questions.append({
            "id": question.pk, "text": question.text, "answers": entry["n"] if entry else 0,
            "average": round(entry["sum"] / entry["n"], 2) if entry else None,
            "satisfied_rate": round(entry["satisfied"] / entry["n"], 4) if entry else None,
            "by_kind": entry["by_kind"] if entry else {},
        })
    return {"responses": sum(responses.values()),
            "responses_by_kind": {kind: responses.get(kind, 0) for kind in RespondentKind.values},
            "questions": questions}
