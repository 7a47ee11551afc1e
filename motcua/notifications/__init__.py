"""Durable outbox of e-mails and SMS: written with the caller's transaction, delivered by a background task."""
