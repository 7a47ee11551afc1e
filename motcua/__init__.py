"""motcua: a Vietnamese province's one-stop shop and the view its leaders have of it."""
