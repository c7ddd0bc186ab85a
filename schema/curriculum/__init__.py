"""GraphQL for the curriculum's retired codes: the report of cases still carrying them and the retag."""
