"""REST API v1 for integrators: token auth, one error format (RFC 9457 problem+json)."""
