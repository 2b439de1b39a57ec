-- The network (an IPv4 /24, an IPv6 /48) a confirmation was asked for from: the queue is worked
-- through fairly by network, so a flood from a few networks cannot delay everyone else's.
ALTER TABLE confirmations ADD COLUMN network TEXT NOT NULL DEFAULT '';
