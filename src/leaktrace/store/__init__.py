"""The store: every scan and its findings, in SQLite (default) or PostgreSQL.

    from leaktrace.store import Store, ScanRecord

    with Store.open("sqlite:////var/lib/leaktrace/leaktrace.db") as store:
        scan_id = store.record_scan(record, findings)
        for stored in store.findings(scan_id=scan_id, min_severity=Severity.HIGH):
            ...

``Store.open`` creates the database if needed and upgrades its schema with the Alembic
migrations shipped in ``store/migrations``. Errors arrive as ``StoreError`` with one line.
"""

from leaktrace.store.protected import ProtectedSummary
from leaktrace.store.repository import ScanRecord, ScanSummary, Store, StoredFinding

__all__ = ["ProtectedSummary", "ScanRecord", "ScanSummary", "Store", "StoredFinding"]
