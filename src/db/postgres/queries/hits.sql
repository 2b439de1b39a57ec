-- Fixed-window hit counts per scope and key (the rate limits); key '' holds the window's number of keys.

-- $1 is "rate_hits:<scope>": one scope's new keys are counted one request at a time, so the cap holds under concurrency.
-- name: lockHitScope
SELECT pg_advisory_xact_lock(hashtext($1));

-- name: hits
SELECT hits FROM rate_hits WHERE scope = $1 AND window_start = $2 AND key = $3;

-- name: bumpHits
INSERT INTO rate_hits (scope, window_start, key, hits) VALUES ($1, $2, $3, 1)
ON CONFLICT (scope, window_start, key) DO UPDATE SET hits = rate_hits.hits + 1 RETURNING hits;

-- name: pruneHits
DELETE FROM rate_hits WHERE scope = $1 AND window_start < $2;
