"""GraphQL of the users domain."""
