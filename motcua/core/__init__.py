"""Shared ground: clock seam, domain errors, Vietnamese text and formatting. No business rules."""
