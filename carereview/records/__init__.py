"""Backups and retention (issue 7, item 5).

- `backup.py`: `carereview backup` and `carereview restore` (pg_dump/pg_restore for PostgreSQL,
  SQLite's online backup API).
- `retention.py`: when a child's case record may go (rules.md §7), as plain dates.
- `erase.py`: everything that belongs to a set of children, found through the foreign keys of every
  installed model, and its deletion in one transaction.
- `services.py`: the two-person rule: a proposal, an approval by another administrator, the
  deletion and its log.
"""
