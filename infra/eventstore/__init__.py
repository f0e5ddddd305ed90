"""The event store: the store, its own write transaction, the codec and the feed's hub."""
