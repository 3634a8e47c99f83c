"""Words of the domain as people read them, translatable: statuses, transitions, roles, kinds.

The workflow tables and choices use stable identifiers (`under_review`); pages
show these labels instead, in the reader's language. An identifier missing
here is shown with its underscores turned into spaces.
"""

from django.utils.translation import gettext_lazy as _

TERMS = {
    # statuses
    "complaint_filed": _("complaint filed"),
    "investigation": _("investigation"),
    "suspended": _("suspended"),
    "indicted": _("indicted"),
    "trial": _("trial"),
    "judgment": _("judgment"),
    "appeal": _("appeal"),
    "dismissed": _("dismissed"),
    "closed": _("closed"),
    "applied": _("applied"),
    "admitted": _("admitted"),
    "rejected": _("rejected"),
    "withdrawn": _("withdrawn"),
    "suspect": _("suspect"),
    "charged": _("charged"),
    "convicted": _("convicted"),
    "acquitted": _("acquitted"),
    "discharged": _("discharged"),
    "active": _("active"),
    "ended": _("ended"),
    "engaged": _("engaged"),
    "on_record": _("on record"),
    "concluded": _("concluded"),
    "alleged": _("alleged"),
    "requested": _("requested"),
    "issued": _("issued"),
    "refused": _("refused"),
    "challenged": _("challenged"),
    "annulled": _("annulled"),
    "executed": _("executed"),
    "lapsed": _("lapsed"),
    "under_review": _("under review"),
    "published": _("published"),
    "cancelled": _("cancelled"),
    "open": _("open"),
    "acknowledged": _("acknowledged"),
    "resolved": _("resolved"),
    "created": _("created"),
    "listed": _("listed"),
    "delisted": _("delisted"),
    "not_listed": _("not listed"),
    "unknown": _("unknown"),
    # transitions
    "open_investigation": _("Open investigation"),
    "suspend": _("Suspend"),
    "resume": _("Resume"),
    "indict": _("Indict"),
    "start_trial": _("Start trial"),
    "deliver_judgment": _("Deliver judgment"),
    "decide_appeal": _("Decide appeal"),
    "dismiss": _("Dismiss"),
    "close": _("Close"),
    "reopen": _("Reopen"),
    "admit": _("Admit"),
    "reject": _("Reject"),
    "withdraw": _("Withdraw"),
    "charge": _("Charge"),
    "convict": _("Convict"),
    "acquit": _("Acquit"),
    "discharge": _("Discharge"),
    "end": _("End"),
    "register": _("Register"),
    "conclude": _("Conclude"),
    "bring": _("Bring"),
    "issue": _("Issue"),
    "refuse": _("Refuse"),
    "challenge": _("Challenge"),
    "uphold": _("Uphold"),
    "annul": _("Annul"),
    "execute": _("Execute"),
    "lapse": _("Lapse"),
    "begin_review": _("Begin review"),
    "publish": _("Publish"),
    "reinstate": _("Reinstate"),
    "cancel": _("Cancel"),
    "acknowledge": _("Acknowledge"),
    "resolve": _("Resolve"),
    # roles
    "accused": _("accused"),
    "plaintiff": _("plaintiff"),
    "victim": _("victim"),
    "witness": _("witness"),
    "investigating_judge": _("investigating judge"),
    "prosecutor": _("prosecutor"),
    # review
    "unreviewed": _("unreviewed"),
    "approved": _("approved"),
    "changes_requested": _("changes requested"),
    # severity
    "critical": _("critical"),
    "high": _("high"),
    "normal": _("normal"),
    "info": _("info"),
    # custody
    "at_large": _("at large"),
    "detained": _("detained"),
    "deceased": _("deceased"),
    # party kinds
    "person": _("person"),
    "organization": _("organisation"),
}

RESOURCE_TERMS = {
    "case": _("case"),
    "incident": _("incident"),
    "party": _("party"),
    "position": _("position"),
    "participation": _("participation"),
    "representation": _("representation"),
    "warrant": _("warrant"),
    "notice": _("notice"),
    "alert": _("alert"),
    "charge": _("charge"),
}

# What a warrant or notice of each kind is called, as a whole (kinds do not combine with
# "warrant" word by word in every language: "mandat d'arrêt", "notice rouge").
WARRANT_KINDS = {
    "arrest": _("Arrest warrant"),
    "search": _("Search warrant"),
    "appearance": _("Appearance warrant"),
    "committal": _("Committal warrant"),
}

NOTICE_KINDS = {
    "red": _("Red notice"),
    "yellow": _("Yellow notice"),
    "blue": _("Blue notice"),
    "black": _("Black notice"),
    "green": _("Green notice"),
    "orange": _("Orange notice"),
    "purple": _("Purple notice"),
    "silver": _("Silver notice"),
    "un_special": _("UN Special notice"),
}

# Badge tone: how a status reads at a glance (always shown with its word, never colour alone).
TONES = {
    "good": {"issued", "published", "admitted", "on_record", "approved", "resolved", "convicted"},
    "pending": {
        "requested",
        "under_review",
        "applied",
        "alleged",
        "engaged",
        "unreviewed",
        "complaint_filed",
        "investigation",
        "suspect",
        "acknowledged",
    },
    "warning": {"challenged", "suspended", "changes_requested", "appeal", "charged", "high"},
    "bad": {
        "annulled",
        "refused",
        "cancelled",
        "rejected",
        "dismissed",
        "lapsed",
        "critical",
        "acquitted",
        "open",
    },
}


def resource_term(resource: str) -> str:
    return str(RESOURCE_TERMS.get(resource, resource))


def warrant_kind(kind: str) -> str:
    return str(WARRANT_KINDS.get(kind, RESOURCE_TERMS["warrant"]))


def notice_kind(kind: str) -> str:
    return str(NOTICE_KINDS.get(kind, RESOURCE_TERMS["notice"]))


def term(word: str) -> str:
    return str(TERMS.get(word, word.replace("_", " ")))


def tone(word: str) -> str:
    for name, words in TONES.items():
        if word in words:
            return name
    return "neutral"
