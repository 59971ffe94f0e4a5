"""Database tables as typed SQLAlchemy 2 models. Alembic migrations create them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.db.crypto import EncryptedText

# Stable constraint names on SQLite and PostgreSQL, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite would hand back naive ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware (UTC) datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CommaSet(TypeDecorator[frozenset[str]]):
    """A small set of ids (trigger ids, tip subjects) stored as sorted "a,b" text."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: frozenset[str] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) or any("," in item for item in value):
            raise ValueError("pass a set of ids without commas")
        return ",".join(sorted(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> frozenset[str] | None:
        return None if value is None else frozenset(filter(None, value.split(",")))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """One person who talks to the bot in a private chat. No health data lives here."""

    __tablename__ = "users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # False after "Geen berichten van de beheerder meer" under a /broadcast message
    broadcasts_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Preferences(Base):
    """What a user chose in /instellingen. One row per user, made when they first choose."""

    __tablename__ = "preferences"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    tips_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    tip_minute: Mapped[int] = mapped_column(Integer, default=540, server_default="540")
    tip_days: Mapped[int] = mapped_column(Integer, default=127, server_default="127")  # bit 0 = Mon
    tip_tags_off: Mapped[frozenset[str]] = mapped_column(
        CommaSet(200), default=frozenset(), server_default=""
    )
    paused_until: Mapped[date | None] = mapped_column(Date)  # first local day tips come again
    silent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    next_tip_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    told_no_tips: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    checkin_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    checkin_minute: Mapped[int] = mapped_column(Integer, default=1200, server_default="1200")
    checkin_days: Mapped[int] = mapped_column(Integer, default=127, server_default="127")
    next_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    checkin_later_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    asked_to_pause: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    morning_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    morning_minute: Mapped[int] = mapped_column(Integer, default=480, server_default="480")
    next_morning_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


OPEN_DELIVERIES = "status IN ('claimed', 'sending')"  # literal: SQLite matches it as text
PAID_DELIVERIES = "paid_at IS NOT NULL"  # the few sent with allow_paid_broadcast


class Delivery(Base):
    """One scheduled message (tip, check-in, ...): the audit trail of the scheduler.

    The unique key (user, kind, local date) is the "at most one per day" guarantee:
    the tick claims the row before sending, and a second claim fails. `status` goes
    claimed → sending (just before the HTTP call, `attempted_at`) → sent/failed/unknown;
    the partial index `ix_deliveries_open` holds only the claimed and sending rows.
    `paid_at` is set when a send is started as a paid broadcast (scheduler/paid.py);
    the partial index `ix_deliveries_paid` holds only those rows, so counting a day's
    paid sends against PAID_BROADCAST_MAX_PER_DAY never reads the rest.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "local_date"),
        Index(
            "ix_deliveries_open",
            "claimed_at",
            sqlite_where=text(OPEN_DELIVERIES),
            postgresql_where=text(OPEN_DELIVERIES),
        ),
        Index(
            "ix_deliveries_paid",
            "paid_at",
            sqlite_where=text(PAID_DELIVERIES),
            postgresql_where=text(PAID_DELIVERIES),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))  # "appointment_after" needs more than 16
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), index=True)  # claimed, sent, failed, ...
    item: Mapped[str | None] = mapped_column(String(32))  # e.g. the tip id
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # became `sending`
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    detail: Mapped[str | None] = mapped_column(String(200))  # why it failed; never message text
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # started as a paid send


class TipFeedback(Base):
    """👍 or 👎 on a tip; 👎 means that tip is never sent to this user again."""

    __tablename__ = "tip_feedback"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    tip_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TipSent(Base):
    """How often each tip went to a user: rotation picks the least-sent eligible tip."""

    __tablename__ = "tip_sends"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    tip_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    times: Mapped[int] = mapped_column(Integer, default=0)


class Consent(Base):
    """The user agreed to store check-ins, with the version of the privacy text they read."""

    __tablename__ = "consents"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    text_version: Mapped[str] = mapped_column(String(16))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    report_name: Mapped[str | None] = mapped_column(EncryptedText())  # on the doctor's PDF


class Checkin(Base):
    """One day's self-reported answers (health data: stored only with consent).

    One row per user and local date: answering again the same day updates it.
    """

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), index=True
    )
    local_date: Mapped[date] = mapped_column(Date)
    nrs: Mapped[int | None] = mapped_column(Integer)  # 0-10, the spasticity rating scale
    night: Mapped[bool | None] = mapped_column(Boolean)  # troubled at night
    night_woke: Mapped[bool | None] = mapped_column(Boolean)  # morning question: woken up
    night_nrs: Mapped[int | None] = mapped_column(Integer)  # morning question: 0-10
    triggers: Mapped[frozenset[str]] = mapped_column(
        CommaSet(300), default=frozenset(), server_default=""
    )
    note: Mapped[str | None] = mapped_column(EncryptedText())  # a Fernet token, see crypto.py
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Appointment(Base):
    """The user's next appointment with a care provider (health data: only with consent).

    One row per user. `questions` is a JSON list of up to three short questions for the
    visit, encrypted like the notes. `reminder_at` and `after_at` (UTC) are the due
    columns of the scheduled kinds `appointment` and `appointment_after`; each is cleared
    when it is claimed. `asking` says what a text typed after one of those messages is
    for ("questions" or "after"), until `asking_until`.
    """

    __tablename__ = "appointments"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date)  # the user's local date
    with_whom: Mapped[str] = mapped_column(String(16))  # neurologist, ms_nurse, ...
    remind_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    questions: Mapped[str | None] = mapped_column(EncryptedText())  # JSON list of strings
    reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    after_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    asking: Mapped[str | None] = mapped_column(String(16))
    asking_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HandledUpdate(Base):
    """An update id handled in webhook mode (kept a day): handled once, however often it
    arrives and whichever process it reaches. No user id, no content."""

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class HourlyCount(Base):
    """How often something happened in an hour (UTC), for /stats: consents given and
    withdrawn, Telegram's 429s (`bot/services/hourly_counts.py`). No user id."""

    __tablename__ = "hourly_counts"

    hour: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Broadcast(Base):
    """A message from the operator to every user (/broadcast, ADMIN_IDS only), in Dutch
    and English. `state`: draft (the admin is typing, or sees the preview) → queued
    (confirmed: one `broadcast_recipients` row per person) → done (the admin got the
    counts); or cancelled. `report_at` is the due column of the admin's report (the
    scheduled kind `broadcast_report`). `created_by` is the operator's Telegram id, on
    purpose not a foreign key: the record of who sent what stays when an admin deletes
    their own data. No user's data lives here; the texts are HTML-escaped already."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_nl: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)  # None while the admin types it
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16))  # draft, queued, done, cancelled
    recipients: Mapped[int | None] = mapped_column(Integer)  # how many, when confirmed
    report_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class BroadcastRecipient(Base):
    """One person a confirmed broadcast is still to be sent to; the claim deletes the row
    (the delivery row is the record from then on). `due_at` is the due column of the
    scheduled kind `broadcast`: the recipients' due times are spaced at the send rate."""

    __tablename__ = "broadcast_recipients"

    broadcast_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
