"""Readers of articles beyond the rules in `domain.extraction`: a language model behind an
OpenAI-compatible chat-completions endpoint."""
