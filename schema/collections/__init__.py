"""GraphQL of the collections domain."""
