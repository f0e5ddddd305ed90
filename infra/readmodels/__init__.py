"""The read models: the projections and the projector that applies them, the documents and
queries that answer reads, rebuilds, verification and the places held in memory."""

BATCH_SIZE = 25_000
"""Events read and written at a time by a rebuild or a verification: at 1,000,000 claims,
25,000 took about an eighth less time than 10,000, for about 100 MB more memory, as the
database waits less often for the end of a COPY. (Here, so that the command line reads it
without importing the rebuild.)"""
