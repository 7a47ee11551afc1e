"""What the database itself enforces: an application role that can only add to the histories, and live triggers."""

import re

from django.apps import apps
from django.db import connection

from .models import AuditDigest, AuditRecord

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

SQLITE_NOTICE = (
    "SQLite: chỉ lệnh UPDATE trên nhật ký bị cơ sở dữ liệu chặn. Lệnh DELETE, xóa hay thay cả tệp cơ sở dữ liệu "
    "không bị chặn và ứng dụng chạy với toàn quyền trên tệp; lệnh verify chỉ phát hiện được sau khi việc đã xảy ra. "
    "Dùng PostgreSQL để có vai trò chỉ được ghi thêm."
)


def append_only_tables() -> list[str]:
    """Return the tables the application may only read and add to: dossier events, audit rows and digests."""
    event = apps.get_model("dossiers", "DossierEvent")
    return [event._meta.db_table, AuditRecord._meta.db_table, AuditDigest._meta.db_table]


def grant_app_role(role: str) -> list[str]:
    """Create (if missing) and grant the PostgreSQL role the running application connects as; return the SQL run."""
    if connection.vendor != "postgresql":
        raise ValueError("Vai trò ứng dụng chỉ có trên PostgreSQL.")
    if not ROLE_NAME.match(role):
        raise ValueError("Tên vai trò chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, tối đa 63 ký tự.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        quoted_db, quoted_schema = _quote(database), _quote(schema)
        rights = "SELECT, INSERT, UPDATE, DELETE"  # never TRUNCATE, and ALTER belongs to the owner alone
        statements = [
            # The role is named in the statement only after the pattern above has been checked.
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "  # noqa: S608
            f'THEN CREATE ROLE "{role}" LOGIN; END IF; END $$',
            f'GRANT CONNECT ON DATABASE {quoted_db} TO "{role}"',
            f'GRANT USAGE ON SCHEMA {quoted_schema} TO "{role}"',
            f'REVOKE ALL ON ALL TABLES IN SCHEMA {quoted_schema} FROM "{role}"',
            f'GRANT {rights} ON ALL TABLES IN SCHEMA {quoted_schema} TO "{role}"',
            # Histories: read and add, nothing else. The migration record is the owner's alone.
            *(f'REVOKE UPDATE, DELETE ON {_quote(t)} FROM "{role}"' for t in append_only_tables()),
            f'REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM "{role}"',
            f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO "{role}"',
            # Tables that later migrations (run by this same owner) create are usable without running this again;
            # a new history table still needs it, to lose UPDATE and DELETE.
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted_schema} GRANT {rights} ON TABLES TO "{role}"',
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted_schema} GRANT USAGE, SELECT ON SEQUENCES TO "{role}"',
        ]
        for statement in statements:
            cursor.execute(statement)
    return statements


def disabled_triggers() -> list[str]:
    """Return the audit and event triggers someone has disabled (PostgreSQL), by name."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal AND t.tgenabled = 'D' ORDER BY t.tgname",
            [append_only_tables()],
        )
        return [name for (name,) in cursor.fetchall()]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
