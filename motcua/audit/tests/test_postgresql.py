"""PostgreSQL: the application's role may only add to the histories, and concurrent appends keep one chain."""

import threading
import uuid

import pytest
from django.db import DatabaseError, connection, connections, transaction

from motcua.audit.models import AuditRecord, Kind
from motcua.audit.protection import append_only_tables, grant_app_role
from motcua.audit.services import record, verify_chain

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.django_db
def test_the_application_role_may_add_but_not_change_delete_truncate_or_alter() -> None:
    role = f"motcua_app_{uuid.uuid4().hex[:8]}"
    grant_app_role(role)  # created in the test's transaction, gone with it
    kept = record(Kind.SIGN_IN_FAILED, details={"username": "truoc"})

    def as_app(statement: str) -> None:
        with transaction.atomic():
            sql(f"SET LOCAL ROLE {role}")
            sql(statement)

    for table in append_only_tables():
        column = {"audit_auditrecord": "sequence", "audit_auditdigest": "day"}.get(table, "id")
        for statement in (f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}", f"TRUNCATE {table}"):
            with pytest.raises(DatabaseError, match="permission denied"):
                as_app(statement)
        with pytest.raises(DatabaseError, match="must be owner"):
            as_app(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_app("DELETE FROM django_migrations")
    with transaction.atomic():  # what the application does: append to the chain, read it
        sql(f"SET LOCAL ROLE {role}")
        added = record(Kind.SIGN_IN_FAILED, details={"username": "sau"})
        assert AuditRecord.objects.get(sequence=added.sequence).previous_hash == kept.hash
        sql("UPDATE organizations_user SET full_name = full_name WHERE false")  # ordinary tables stay writable
    assert verify_chain().is_intact


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_valid_chain() -> None:
    threads, each = 6, 15
    start = threading.Barrier(threads)
    failures: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for i in range(each):
                record(Kind.SIGN_IN_FAILED, details={"username": f"w{worker}-{i}"})
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    before = AuditRecord.objects.count()
    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert AuditRecord.objects.count() == before + threads * each
    result = verify_chain()
    assert result.is_intact, result.problems
