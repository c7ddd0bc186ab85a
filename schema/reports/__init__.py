"""GraphQL of the reports domain."""
