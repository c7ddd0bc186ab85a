"""Administration in GraphQL: people, cohorts, local roles and API tokens (the web UI's Administration page)."""
