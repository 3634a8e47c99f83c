"""Reminders of hearings and deadlines (issue 13): sent once, on the right day, by alert and
email, however often beat runs; a hearing moved to another day is reminded of again."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail as outbox

from alerts import mail
from alerts.actions import alert_transition
from alerts.models import Alert, Notification, Subscription
from alerts.reminders import send_reminders
from alerts.tasks import send_reminders as send_reminders_task
from core.events import Actor
from tests.conftest import make_user
from warrants.actions import (
    deadline_create,
    deadline_transition,
    proceeding_create,
    proceeding_transition,
    proceeding_update,
)
from warrants.models import Reminder

pytestmark = pytest.mark.django_db


def at(day: str):
    return time_machine.travel(f"{day} 09:00 +00:00", tick=False)


@pytest.fixture
def follower(case):
    user = make_user("counsel", "lawyer", email="counsel@example.org")
    Subscription.objects.create(user=user, case=case)
    return user


@pytest.fixture
def hearing(system, case):
    with at("2025-06-01"):
        return proceeding_create(
            actor=system,
            case=case,
            kind="hearing",
            court="Cour de cassation",
            chamber="Assemblée plénière",
            date="2025-07-04",
            time="09:30",
        )


def test_the_beat_schedule_runs_the_reminders():
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "alerts.tasks.send_reminders" in entries


def test_a_hearing_is_reminded_once_on_the_right_day_by_alert_and_email(
    settings, case, hearing, follower
):
    settings.REMINDER_DAYS_BEFORE = 7
    with at("2025-06-26"):  # eight days before: too early
        assert send_reminders() == []
    with at("2025-06-27"):  # seven days before
        [alert] = send_reminders()
        assert send_reminders() == []  # beat runs again the same day
        assert send_reminders_task() == 0  # and the task, as beat calls it
    with at("2025-06-28"):
        # Even once its alert is resolved, the reminder is not sent again.
        alert_transition(alert_id=alert.pk, transition="resolve", actor=Actor.system())
        assert send_reminders() == []
    with at("2025-07-04"):  # the day itself
        assert send_reminders() == []
    assert alert.severity == "high"
    assert (alert.subject_resource, alert.subject_id, alert.case_id) == (
        "proceeding",
        hearing.pk,
        case.pk,
    )
    assert alert.title == (
        f"Hearing in 7 days (2025-07-04 at 09:30) before Cour de cassation, Assemblée plénière, "
        f"case {case.reference}"
    )
    assert Alert.objects.filter(subject_id=hearing.pk).count() == 1
    [notification] = Notification.objects.filter(alert=alert)
    assert (notification.user, notification.digest) == (follower, False)
    assert mail.send_notification(notification.pk)
    assert [m.to for m in outbox.outbox] == [["counsel@example.org"]]
    assert "Hearing in 7 days" in outbox.outbox[0].subject + outbox.outbox[0].body


def test_a_late_run_still_reminds_before_the_day_but_not_after(settings, hearing):
    settings.REMINDER_DAYS_BEFORE = 7
    with at("2025-07-05"):  # beat was down the whole week: the day is past
        assert send_reminders() == []
    with at("2025-07-03"):
        assert [a.title.split(" (")[0] for a in send_reminders()] == ["Hearing tomorrow"]


def test_a_hearing_moved_to_another_day_is_reminded_again(settings, system, hearing):
    settings.REMINDER_DAYS_BEFORE = 7
    with at("2025-06-27"):
        assert len(send_reminders()) == 1
        proceeding_update(proceeding_id=hearing.pk, actor=system, date="2025-07-10")
    with at("2025-06-28"):
        assert send_reminders() == []
    with at("2025-07-03"):
        assert len(send_reminders()) == 1
        assert send_reminders() == []
    assert sorted(Reminder.objects.values_list("due_on", flat=True)) == [
        datetime.date(2025, 7, 4),
        datetime.date(2025, 7, 10),
    ]


def test_a_hearing_no_longer_scheduled_is_not_reminded(settings, system, hearing):
    settings.REMINDER_DAYS_BEFORE = 7
    with at("2025-06-20"):
        proceeding_transition(
            proceeding_id=hearing.pk, transition="postpone", actor=system, note="Adjourned"
        )
    with at("2025-06-27"):
        assert send_reminders() == []


def test_a_deadline_uses_its_own_number_of_days_and_is_not_reminded_once_met(
    settings, system, case
):
    settings.REMINDER_DAYS_BEFORE = 7
    with at("2025-07-25"):
        pourvoi = deadline_create(
            actor=system,
            case=case,
            kind="appeal_period",
            title="Appeal period",
            due_on="2025-08-04",
            remind_days_before=2,
        )
        filing = deadline_create(
            actor=system, case=case, kind="filing", title="Brief", due_on="2025-08-04"
        )
        deadline_transition(deadline_id=filing.pk, transition="meet", actor=system)
    with at("2025-07-28"):  # seven days before: the setting, but this one says two
        assert send_reminders() == []
    with at("2025-08-02"):
        [alert] = send_reminders()
        assert send_reminders() == []
    assert alert.subject_id == pourvoi.pk
    assert alert.title == f"Deadline in 2 days (2025-08-04): Appeal period, case {case.reference}"
