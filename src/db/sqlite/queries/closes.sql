-- Cached closes per source (yahoo:^GSPC, fred:DGS10, ...).

-- Replaces revised closes: providers correct the last few sessions after the fact.
-- name: saveClose
INSERT INTO closes (source, date, close, fetched_at) VALUES (@source, @date, @close, @now)
ON CONFLICT (source, date) DO UPDATE SET close = excluded.close, fetched_at = excluded.fetched_at;

-- name: closes
SELECT date, close FROM closes WHERE source = ? AND date BETWEEN ? AND ? ORDER BY date;

-- name: lastCloseDate
SELECT MAX(date) AS date FROM closes WHERE source = ?;

-- name: cachedSources
SELECT source, MIN(date) AS first, MAX(date) AS last, COUNT(*) AS count FROM closes GROUP BY source ORDER BY source;
