from core.workflow import Transition as T
from core.workflow import Workflow

ALERT = Workflow.build(
    "alert",
    states=["open", "acknowledged", "resolved"],
    initial="open",
    permission="alerts.change_alert",
    transitions=[
        T("acknowledge", ("open",), "acknowledged"),
        T("resolve", ("open", "acknowledged"), "resolved"),
    ],
)
