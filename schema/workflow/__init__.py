"""GraphQL of the workflow domain."""
