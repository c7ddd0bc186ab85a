"""Webhook subscriptions and their delivery log in GraphQL."""
