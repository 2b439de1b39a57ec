-- The bookkeeping of the numbered migrations (src/db/migrations/postgres/).

-- Any constant: the advisory lock that lets one process migrate while others starting with it wait.
-- name: lockMigrations
SELECT pg_advisory_xact_lock(7202611);

-- name: createMigrationsTable
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);

-- name: appliedMigrations
SELECT version FROM schema_migrations;

-- name: recordMigration
INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3);
