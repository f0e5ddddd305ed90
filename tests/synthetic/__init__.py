"""A synthetic history of the war's reporting, made from a seed: what the benchmarks
measure and what the fault tests write, shared by both."""
