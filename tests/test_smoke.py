from warrants.actions import warrant_transition


def test_issuing_a_requested_warrant_records_one_event(warrant, system):
    warrant, event = warrant_transition(
        warrant_id=warrant.pk, transition="issue", actor=system, effective_date="2023-11-14"
    )
    assert (warrant.status, event.type, str(warrant.issued_on)) == (
        "issued",
        "warrant.issued",
        "2023-11-14",
    )
