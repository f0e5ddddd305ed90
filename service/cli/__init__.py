"""The command line: parses arguments, calls the use cases and prints their answers."""
