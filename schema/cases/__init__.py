"""GraphQL of the cases domain."""
