"""Database routing: reads on read replicas where that is safe, everything else on the primary.

`core.db.router` holds the router, the per-request routing context and the replicas' health;
`core.db.middleware` opens that context for each request. See docs/scaling.md#read-replicas.
"""
