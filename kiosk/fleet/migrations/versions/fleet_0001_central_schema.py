"""central schema: counters per kiosk and epoch, heartbeats, roles, row-level security

Revision ID: fleet_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "fleet_0001"
down_revision = None
branch_labels = None
depends_on = None

KIOSK = "fleet_kiosk"
REPORTING = "fleet_reporting"
COUNTERS = {
    "visit_counts": ("visits",),
    "topic_view_counts": ("views", "seconds_total"),
    "interaction_counts": ("count",),
}
HEARTBEAT_COLUMNS = (
    "site",
    "last_seen",
    "kiosk_time",
    "epoch",
    "app_version",
    "content_version",
    "problems",
    "facts",
)


def _key() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("kiosk_id", sa.String(48), nullable=False),
        sa.Column("epoch", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
    ]


def _hour_check(table: str) -> sa.CheckConstraint:
    return sa.CheckConstraint("hour >= 0 AND hour <= 23", name=f"ck_{table}_hour_of_day")


def upgrade() -> None:
    op.create_table(
        "visit_counts",
        *_key(),
        sa.Column("visits", sa.Integer(), nullable=False),
        _hour_check("visit_counts"),
        sa.CheckConstraint("visits >= 0", name="ck_visit_counts_visits_not_negative"),
        sa.PrimaryKeyConstraint("kiosk_id", "epoch", "day", "hour", name="pk_visit_counts"),
    )
    op.create_table(
        "topic_view_counts",
        *_key(),
        sa.Column("topic_id", sa.String(48), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("read_aloud", sa.Boolean(), nullable=False),
        sa.Column("large_text", sa.Boolean(), nullable=False),
        sa.Column("high_contrast", sa.Boolean(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("seconds_total", sa.Integer(), nullable=False),
        _hour_check("topic_view_counts"),
        sa.CheckConstraint(
            "views >= 0 AND seconds_total >= 0", name="ck_topic_view_counts_counts_not_negative"
        ),
        sa.PrimaryKeyConstraint(
            "kiosk_id",
            "epoch",
            "day",
            "hour",
            "topic_id",
            "language",
            "read_aloud",
            "large_text",
            "high_contrast",
            name="pk_topic_view_counts",
        ),
    )
    op.create_table(
        "interaction_counts",
        *_key(),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("topic_id", sa.String(48), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _hour_check("interaction_counts"),
        sa.CheckConstraint("count >= 0", name="ck_interaction_counts_count_not_negative"),
        sa.PrimaryKeyConstraint(
            "kiosk_id",
            "epoch",
            "day",
            "hour",
            "kind",
            "topic_id",
            "language",
            name="pk_interaction_counts",
        ),
    )
    for table in COUNTERS:
        op.create_index(f"ix_{table}_day", table, ["day"])
    op.create_table(
        "kiosk_heartbeats",
        sa.Column("kiosk_id", sa.String(48), nullable=False),
        sa.Column("site", sa.String(48), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kiosk_time", sa.DateTime(timezone=False), nullable=True),
        sa.Column("epoch", sa.String(32), nullable=False),
        sa.Column("app_version", sa.String(64), nullable=False),
        sa.Column("content_version", sa.String(64), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("facts", postgresql.JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id", name="pk_kiosk_heartbeats"),
    )

    # Group roles, cluster-wide: another fleet database on the same server shares them.
    for role in (KIOSK, REPORTING):
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {KIOSK}, {REPORTING}")

    # GREATEST in the kiosk's upsert keeps counts from going down; this keeps a kiosk's own
    # plain UPDATE from doing it (a bug, or someone with the kiosk's password).
    op.execute(
        """
        CREATE FUNCTION fleet_counts_never_fall() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            name text;
        BEGIN
            FOREACH name IN ARRAY TG_ARGV LOOP
                IF (to_jsonb(NEW) ->> name)::bigint < (to_jsonb(OLD) ->> name)::bigint THEN
                    RAISE EXCEPTION 'fleet: %.% may not go down (% to %)', TG_TABLE_NAME, name,
                        to_jsonb(OLD) ->> name, to_jsonb(NEW) ->> name
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;
            RETURN NEW;
        END $$
        """
    )
    for table, columns in COUNTERS.items():
        arguments = ", ".join(f"'{c}'" for c in columns)
        op.execute(
            f"CREATE TRIGGER counts_never_fall BEFORE UPDATE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION fleet_counts_never_fall({arguments})"
        )
        _own_rows(table, ", ".join(f'"{c}"' for c in columns))
    _own_rows("kiosk_heartbeats", ", ".join(HEARTBEAT_COLUMNS))


def _own_rows(table: str, updatable: str) -> None:
    """A kiosk reads and writes its own rows only (the SELECT is what ON CONFLICT needs);
    no DELETE, no TRUNCATE; the reporting role reads every row and writes none."""
    op.execute(f"GRANT SELECT, INSERT ON {table} TO {KIOSK}")
    op.execute(f"GRANT UPDATE ({updatable}) ON {table} TO {KIOSK}")
    op.execute(f"GRANT SELECT ON {table} TO {REPORTING}")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY kiosk_own_rows ON {table} TO {KIOSK} "
        "USING (kiosk_id = current_user) WITH CHECK (kiosk_id = current_user)"
    )
    op.execute(
        f"CREATE POLICY reporting_reads_all ON {table} FOR SELECT TO {REPORTING} USING (true)"
    )


def downgrade() -> None:
    for table in ("kiosk_heartbeats", *COUNTERS):
        op.drop_table(table)
    op.execute("DROP FUNCTION fleet_counts_never_fall()")
