"""Units of the state (provinces, communes, agencies, service centres), their identifiers, people and roles."""
