"""GraphQL of the sessions domain."""
