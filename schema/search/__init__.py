"""GraphQL of the search domain."""
