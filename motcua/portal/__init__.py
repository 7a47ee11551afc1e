"""Public pages for citizens and businesses."""
