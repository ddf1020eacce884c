"""The view log's tables: hourly counters, never one row per person or per view.

Privacy by design: every table is a counter keyed by (local date, hour, kiosk, ...). There
is no free text, no time finer than the hour, no row id or insertion order, and nothing that
ties one view to another, so the topics of one visit cannot be linked together.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, Integer, MetaData, SmallInteger, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID_LENGTH = 48
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# A rowid table keeps a hidden, increasing row number: it would show the order in which
# counters were first created within an hour. WITHOUT ROWID tables are stored by key only.
NO_ROWID = {"sqlite_with_rowid": False}


def _hour_checks() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint("hour >= 0 AND hour <= 23", name="hour_of_day"),
        CheckConstraint(f"length(kiosk_id) <= {ID_LENGTH}", name="kiosk_id_length"),
    )


class VisitCount(Base):
    """How many visits began in each hour."""

    __tablename__ = "visit_counts"
    __table_args__ = (
        *_hour_checks(),
        CheckConstraint("visits >= 0", name="visits_not_negative"),
        NO_ROWID,
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)


class TopicViewCount(Base):
    """How many times each topic was viewed in each hour, and for how long in total."""

    __tablename__ = "topic_view_counts"
    __table_args__ = (
        *_hour_checks(),
        CheckConstraint(f"length(topic_id) <= {ID_LENGTH}", name="topic_id_length"),
        CheckConstraint("length(language) = 2", name="language_code"),
        CheckConstraint("views >= 0 AND seconds_total >= 0", name="counts_not_negative"),
        NO_ROWID,
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    read_aloud: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    large_text: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    high_contrast: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    seconds_total: Mapped[int] = mapped_column(Integer, default=0)


class InteractionCount(Base):
    """How many times something was used on a topic (glossary, sections, QR code, ...)."""

    __tablename__ = "interaction_counts"
    __table_args__ = (
        *_hour_checks(),
        CheckConstraint(f"length(topic_id) <= {ID_LENGTH}", name="topic_id_length"),
        CheckConstraint(f"length(kind) <= {ID_LENGTH}", name="kind_length"),
        CheckConstraint("length(language) = 2", name="language_code"),
        CheckConstraint("count >= 0", name="count_not_negative"),
        NO_ROWID,
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    # Empty when the interaction belongs to no topic (choosing a language on the home screen).
    topic_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
