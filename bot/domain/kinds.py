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

# The operator's /broadcast, and the counts it sends the admin when it is done. Their
# delivery rows carry the broadcast's id ("broadcast:17", "broadcast_report:17"): the
# unique key (user, kind, local date) then means "once per person and broadcast", so two
# broadcasts on one day do not collide, and the id needs no column of its own.
BROADCAST = "broadcast"
BROADCAST_REPORT = "broadcast_report"


def delivery_kind(kind: str, broadcast_id: int) -> str:
    return f"{kind}:{broadcast_id}"


def kind_of(delivery_kind: str) -> tuple[str, int | None]:
    """The scheduled kind's name a delivery row belongs to, and the broadcast id it
    carries: "broadcast:17" → ("broadcast", 17), "tip" → ("tip", None)."""
    name, _, number = delivery_kind.partition(":")
    return name, int(number) if number.isdigit() else None
