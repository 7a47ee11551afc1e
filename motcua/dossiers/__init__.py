"""The dossier: intake, its code, its lifecycle in national statuses, and the events that are its history."""
