"""GraphQL of the partners domain."""
