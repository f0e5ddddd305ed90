"""PostgreSQL itself: connections, pools, roles, migrations, LISTEN loops and the embedded
server."""
