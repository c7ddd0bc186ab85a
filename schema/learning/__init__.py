"""Self-study in GraphQL: the study queue, answer-then-reveal, recall ratings and progress."""
