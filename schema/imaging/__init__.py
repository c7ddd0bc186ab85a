"""GraphQL of the imaging domain."""
