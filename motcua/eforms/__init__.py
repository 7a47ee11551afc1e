"""E-forms: each procedure's tờ khai as versioned data, the answers checked against it, blank templates."""
