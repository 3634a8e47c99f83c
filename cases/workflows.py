"""Workflow tables of cases, participations, representations and charges (domain.md §2)."""

from core.workflow import Transition as T
from core.workflow import Workflow

CASE = Workflow.build(
    "case",
    states=[
        "complaint_filed",
        "investigation",
        "suspended",
        "indicted",
        "trial",
        "judgment",
        "appeal",
        "dismissed",
        "closed",
    ],
    initial="complaint_filed",
    permission="cases.transition_case",
    transitions=[
        T("open_investigation", ("complaint_filed",), "investigation"),
        T("suspend", ("investigation",), "suspended"),
        T("resume", ("suspended",), "investigation"),
        T("indict", ("investigation",), "indicted"),
        T("start_trial", ("indicted",), "trial"),
        T("deliver_judgment", ("trial",), "judgment", requires=("effective_date",)),
        T("appeal", ("judgment", "dismissed"), "appeal"),
        T("decide_appeal", ("appeal",), "judgment", requires=("effective_date",)),
        T("dismiss", ("complaint_filed", "investigation", "suspended", "indicted"), "dismissed"),
        T("close", ("judgment", "dismissed"), "closed"),  # reopen exists: not irreversible
        T("reopen", ("closed", "dismissed"), "investigation"),
    ],
)

PLAINTIFF = Workflow.build(
    "participation",
    states=["applied", "admitted", "rejected", "withdrawn"],
    initial="applied",
    permission="cases.transition_participation",
    transitions=[
        T("admit", ("applied",), "admitted"),
        T("reject", ("applied",), "rejected", irreversible=True),
        T("withdraw", ("admitted",), "withdrawn", irreversible=True),
    ],
)

ACCUSED = Workflow.build(
    "participation",
    states=["suspect", "charged", "convicted", "acquitted", "discharged"],
    initial="suspect",
    permission="cases.transition_participation",
    transitions=[
        T("charge", ("suspect",), "charged"),
        T("convict", ("charged",), "convicted", requires=("effective_date",), irreversible=True),
        T("acquit", ("charged",), "acquitted", requires=("effective_date",), irreversible=True),
        T("discharge", ("suspect", "charged"), "discharged", irreversible=True),
    ],
)

OTHER_ROLE = Workflow.build(
    "participation",
    states=["active", "ended"],
    initial="active",
    permission="cases.transition_participation",
    transitions=[T("end", ("active",), "ended", irreversible=True)],
)

REPRESENTATION = Workflow.build(
    "representation",
    states=["engaged", "on_record", "withdrawn", "concluded"],
    initial="engaged",
    permission="cases.transition_representation",
    transitions=[
        T("register", ("engaged",), "on_record"),
        T("withdraw", ("engaged", "on_record"), "withdrawn", irreversible=True),
        T("conclude", ("on_record",), "concluded", irreversible=True),
    ],
)

CHARGE = Workflow.build(
    "charge",
    states=["alleged", "charged", "convicted", "acquitted", "dismissed", "withdrawn"],
    initial="alleged",
    permission="cases.transition_charge",
    transitions=[
        T("bring", ("alleged",), "charged"),
        T("convict", ("charged",), "convicted", requires=("effective_date",), irreversible=True),
        T("acquit", ("charged",), "acquitted", requires=("effective_date",), irreversible=True),
        T("dismiss", ("alleged", "charged"), "dismissed", irreversible=True),
        T("withdraw", ("alleged", "charged"), "withdrawn", irreversible=True),
    ],
)
