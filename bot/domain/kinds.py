"""The kinds of scheduled message, by the name stored on each delivery row."""

from __future__ import annotations

from datetime import timedelta

TIP = "tip"  # the daily tip
CHECKIN = "checkin"  # the evening check-in
LATER = "checkin_later"  # the check-in again, an hour after "Later"
MORNING = "morning"  # the optional morning question about the night

SNOOZE = timedelta(hours=1)  # "Later" asks again after this, once a day
MISSES_BEFORE_ASKING = 3  # unanswered check-ins in a row before asking whether to stop
APPOINTMENT = "appointment"  # a few days before an appointment: the reminder
APPOINTMENT_AFTER = "appointment_after"  # the day after it: anything to remember?
