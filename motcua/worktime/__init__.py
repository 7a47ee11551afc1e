"""Working-time arithmetic: deadlines, pauses and statuses for dossiers."""
