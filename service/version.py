"""The service's version: the installed package's, which the OpenAPI document and the
answers' validators name."""

from importlib import metadata

try:
    VERSION = metadata.version("claimledger")
except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare source tree
    VERSION = "0.0.0+unknown"
