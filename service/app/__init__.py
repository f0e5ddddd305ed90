"""The use cases: what the service does, whoever asks (HTTP, the command line), with the
request and answer types they take and give."""
