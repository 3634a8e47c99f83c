"""Workflow tables of warrants and INTERPOL notices (domain.md §2)."""

from django.core.exceptions import ValidationError

from core.dates import latest_legal_date
from core.workflow import Transition as T
from core.workflow import Workflow


def red_notice_needs_issued_warrant(notice) -> None:
    """INTERPOL publishes a red notice only on a warrant in force."""
    if notice.kind == "red" and (notice.warrant is None or notice.warrant.status != "issued"):
        status = notice.warrant.status if notice.warrant else "missing"
        raise ValidationError(
            {"warrant": f"A red notice needs an issued warrant; its warrant is {status}."}
        )


WARRANT = Workflow.build(
    "warrant",
    states=[
        "requested",
        "issued",
        "refused",
        "challenged",
        "annulled",
        "executed",
        "withdrawn",
        "lapsed",
    ],
    initial="requested",
    permission="warrants.transition_warrant",
    transitions=[
        T("issue", ("requested",), "issued", sets_date="issued_on"),
        T("refuse", ("requested",), "refused", irreversible=True),
        T(
            "challenge",
            ("issued",),
            "challenged",
            requires=("note",),
            label="who challenges, before which court",
        ),
        T("uphold", ("challenged",), "issued", requires=("effective_date",)),
        T(
            "annul",
            ("issued", "challenged"),
            "annulled",
            requires=("effective_date",),
            irreversible=True,
        ),
        T("execute", ("issued",), "executed", irreversible=True),
        T("withdraw", ("requested", "issued", "challenged"), "withdrawn", irreversible=True),
        T("lapse", ("issued",), "lapsed", irreversible=True),
    ],
)

NOTICE = Workflow.build(
    "notice",
    states=[
        "requested",
        "under_review",
        "published",
        "refused",
        "suspended",
        "withdrawn",
        "cancelled",
    ],
    initial="requested",
    permission="warrants.transition_notice",
    transitions=[
        T("begin_review", ("requested",), "under_review"),
        T(
            "publish",
            ("requested", "under_review"),
            "published",
            sets_date="published_on",
            guards=(red_notice_needs_issued_warrant,),
        ),
        T("refuse", ("requested", "under_review"), "refused", irreversible=True),
        T("suspend", ("published",), "suspended"),
        T("reinstate", ("suspended",), "published", guards=(red_notice_needs_issued_warrant,)),
        T(
            "withdraw",
            ("requested", "under_review", "published", "suspended"),
            "withdrawn",
            label="by the requesting country",
            irreversible=True,
        ),
        T(
            "cancel",
            ("published", "suspended"),
            "cancelled",
            label="by INTERPOL, e.g. after a CCF decision",
            irreversible=True,
        ),
    ],
)


# --- court proceedings and deadlines (issue 13) ---------------------------------------------


def hearing_has_taken_place(proceeding) -> None:
    """A hearing is held on its day or after, never before (dates anywhere on Earth)."""
    if proceeding.date and proceeding.date > latest_legal_date():
        raise ValidationError(
            {"date": f"The hearing is set for {proceeding.date}: it cannot be held before then."}
        )


HEARING = Workflow.build(
    "proceeding",
    states=["scheduled", "held", "postponed", "cancelled"],
    initial="scheduled",
    permission="warrants.transition_proceeding",
    transitions=[
        T("hold", ("scheduled",), "held", guards=(hearing_has_taken_place,)),
        T(
            "postpone",
            ("scheduled",),
            "postponed",
            requires=("note",),
            label="why, and the new date if known (record the new hearing separately)",
        ),
        T("cancel", ("scheduled", "postponed"), "cancelled", irreversible=True),
    ],
)

APPEAL = Workflow.build(
    "proceeding",
    states=["lodged", "heard", "decided", "withdrawn"],
    initial="lodged",
    permission="warrants.transition_proceeding",
    transitions=[
        T("hear", ("lodged",), "heard", requires=("effective_date",)),
        T("decide", ("lodged", "heard"), "decided", requires=("effective_date",)),
        T("withdraw", ("lodged", "heard"), "withdrawn", irreversible=True),
    ],
)

# A decision or judgment is recorded once delivered: nothing moves it (an appeal against it
# is a proceeding of its own).
DELIVERED = Workflow.build(
    "proceeding",
    states=["delivered"],
    initial="delivered",
    permission="warrants.transition_proceeding",
    transitions=[],
)

PROCEEDING_WORKFLOWS = {
    "hearing": HEARING,
    "appeal_lodged": APPEAL,
    "decision": DELIVERED,
    "judgment": DELIVERED,
}

DEADLINE = Workflow.build(
    "deadline",
    states=["open", "met", "missed", "cancelled"],
    initial="open",
    permission="warrants.transition_deadline",
    transitions=[
        T("meet", ("open",), "met"),
        T("miss", ("open",), "missed"),
        T("cancel", ("open",), "cancelled"),
    ],
)
