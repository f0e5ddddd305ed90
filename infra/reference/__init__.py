"""Reference data: the gazetteer and the builders of its files, and language detection."""
