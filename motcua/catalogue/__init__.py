"""The procedure catalogue: what each procedure requires, how long it may take, what it costs, in which steps."""
