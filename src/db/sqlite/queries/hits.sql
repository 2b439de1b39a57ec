-- Fixed-window hit counts per scope and key (the rate limits); key '' holds the window's number of keys.

-- name: hits
SELECT hits FROM rate_hits WHERE scope = ? AND window_start = ? AND key = ?;

-- name: bumpHits
INSERT INTO rate_hits (scope, window_start, key, hits) VALUES (?, ?, ?, 1)
ON CONFLICT (scope, window_start, key) DO UPDATE SET hits = hits + 1 RETURNING hits;

-- name: pruneHits
DELETE FROM rate_hits WHERE scope = ? AND window_start < ?;
