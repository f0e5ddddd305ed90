"""The read models: the projections and the projector that applies them, the documents and
queries that answer reads, rebuilds, verification and the places held in memory."""
