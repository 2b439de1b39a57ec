-- Cached closes per source (yahoo:^GSPC, fred:DGS10, ...).

-- Replaces revised closes (providers correct the last few sessions after the fact), all in one statement.
-- name: saveCloses
INSERT INTO closes (source, date, close, fetched_at) SELECT $1, d, c, $4 FROM unnest($2::text[], $3::float8[]) AS t (d, c)
ON CONFLICT (source, date) DO UPDATE SET close = excluded.close, fetched_at = excluded.fetched_at;

-- name: closes
SELECT date, close FROM closes WHERE source = $1 AND date BETWEEN $2 AND $3 ORDER BY date;

-- name: lastCloseDate
SELECT MAX(date) AS date FROM closes WHERE source = $1;

-- name: cachedSources
SELECT source, MIN(date) AS first, MAX(date) AS last, COUNT(*)::int AS count FROM closes GROUP BY source ORDER BY source;
