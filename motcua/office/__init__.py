"""Back-office pages for one-stop officers, specialists, leaders, monitors and admins."""
