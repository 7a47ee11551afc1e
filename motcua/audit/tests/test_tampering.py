"""The chain against someone who edits, deletes, reorders or empties it; the database refuses what it can."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.audit.chain import row_hash
from motcua.audit.models import AuditRecord, Kind
from motcua.audit.services import make_digest, record
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import ConflictError, DomainError

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
TABLE = AuditRecord._meta.db_table


class UndoneTruncate(Exception):
    pass


def five_rows() -> list[AuditRecord]:
    return [record(Kind.SIGN_IN_FAILED, client_address="192.0.2.1", details={"username": f"u{i}"}) for i in range(5)]


def sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@contextmanager
def triggers_off() -> Iterator[None]:
    """Act as a superuser who switches the protection off first (undone with the test's transaction)."""
    if connection.vendor == "postgresql":
        sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        yield
        sql(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    else:
        sql(f"DROP TRIGGER {TABLE}_append_only")
        yield


def verify() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as failed:
        return False, out.getvalue() + str(failed)
    return True, out.getvalue()


def test_an_untouched_chain_verifies_and_sqlite_says_what_is_not_protected() -> None:
    five_rows()
    intact, output = verify()
    assert intact, output
    assert "nguyên vẹn" in output
    assert ("SQLite: chỉ lệnh UPDATE" in output) is (connection.vendor == "sqlite")


def test_the_model_refuses_to_change_or_delete_a_row() -> None:
    row = five_rows()[0]
    row.actor = "ai-do"
    with pytest.raises(ConflictError):
        row.save()
    with pytest.raises(ConflictError):
        row.delete()


def test_the_database_refuses_an_update_even_from_the_owner() -> None:
    row = five_rows()[2]
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        sql(f"UPDATE {TABLE} SET actor = 'ai-do' WHERE sequence = %s", [row.sequence])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(sequence=row.sequence).update(client_address="10.0.0.1")


@on_postgresql
def test_postgresql_refuses_delete_and_truncate_for_the_table_owner() -> None:
    row = five_rows()[2]
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        sql(f"DELETE FROM {TABLE} WHERE sequence = %s", [row.sequence])
    # A superuser may (Django's test flush does), and could disable the trigger anyway.
    with pytest.raises(UndoneTruncate), transaction.atomic():
        sql(f"TRUNCATE {TABLE}")
        assert not AuditRecord.objects.exists()
        raise UndoneTruncate
    owner = f"audit_owner_{row.sequence}"
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        sql(f"CREATE ROLE {owner}")
        sql(f"ALTER TABLE {TABLE} OWNER TO {owner}")
        sql(f"SET LOCAL ROLE {owner}")
        sql(f"TRUNCATE {TABLE}")
    assert AuditRecord.objects.filter(sequence=row.sequence).exists()


def test_verify_names_an_edited_row() -> None:
    row = five_rows()[2]
    with triggers_off():
        sql(f"UPDATE {TABLE} SET client_address = '10.9.9.9' WHERE sequence = %s", [row.sequence])
    intact, output = verify()
    assert not intact
    assert f"Bản ghi #{row.sequence} đã bị sửa" in output


def test_verify_names_a_deleted_row() -> None:
    row = five_rows()[2]
    with triggers_off():
        sql(f"DELETE FROM {TABLE} WHERE sequence = %s", [row.sequence])
    intact, output = verify()
    assert not intact
    assert f"Thiếu bản ghi #{row.sequence}: đã bị xóa." in output


def test_verify_names_reordered_rows() -> None:
    rows = five_rows()
    first, second = rows[1].sequence, rows[2].sequence
    with triggers_off():
        sql(f"UPDATE {TABLE} SET sequence = -1 WHERE sequence = %s", [first])
        sql(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = %s", [first, second])
        sql(f"UPDATE {TABLE} SET sequence = %s WHERE sequence = -1", [second])
    intact, output = verify()
    assert not intact
    assert f"Bản ghi #{first} không nối tiếp bản ghi #{first - 1}" in output
    assert f"Bản ghi #{second} không nối tiếp" in output
    assert "đã bị sửa" not in output  # the rows themselves are intact: it is their order that changed


def test_a_rewritten_tail_is_caught_by_the_days_digest() -> None:
    """Rehashing the last row hides the edit from the chain, not from the digest kept for its day."""
    monday = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM)
    with clock.frozen(monday):
        last = five_rows()[-1]
    with clock.frozen(monday + timedelta(days=1)):
        digest, made = make_digest(monday.date())
        assert made and digest.last_sequence == last.sequence and digest.head_hash == last.hash
        assert make_digest(monday.date()) == (digest, False)  # kept once, given again
    forged = {**last.chained_fields(), "client_address": "10.9.9.9"}
    with triggers_off():
        sql(
            f"UPDATE {TABLE} SET client_address = '10.9.9.9', hash = %s WHERE sequence = %s",
            [row_hash(forged, last.previous_hash), last.sequence],
        )
    intact, output = verify()
    assert not intact
    assert f"Bản ghi #{last.sequence} khác bản tóm lược ngày 09/03/2026" in output


def test_a_digest_waits_for_the_day_to_end() -> None:
    with clock.frozen(datetime(2026, 3, 9, 23, 0, tzinfo=VIETNAM)), pytest.raises(DomainError, match="chưa kết thúc"):
        make_digest(clock.today())


def test_digest_command_prints_the_day() -> None:
    monday = datetime(2026, 3, 9, 10, 0, tzinfo=VIETNAM)
    with clock.frozen(monday):
        rows = five_rows()
    out = StringIO()
    with clock.frozen(monday + timedelta(days=1)):
        call_command("audit", "digest", stdout=out)
    assert out.getvalue().startswith(f"09/03/2026\t5\t#{rows[0].sequence}–#{rows[-1].sequence}\t{rows[-1].hash}")


def test_a_nul_byte_in_a_recorded_name_is_kept_visible_not_fatal() -> None:
    row = record(Kind.SIGN_IN_FAILED, details={"username": "quantri\x00"})
    assert AuditRecord.objects.get(sequence=row.sequence).details["username"] == "quantri\ufffd"
    assert verify()[0]


def test_grant_app_role_refuses_a_name_that_is_not_a_plain_identifier() -> None:
    expected = "chỉ gồm chữ thường" if connection.vendor == "postgresql" else "chỉ có trên PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("audit", "grant-app-role", 'motcua"; DROP TABLE audit_auditrecord; --', stdout=StringIO())
