"""Webhooks: partners subscribe to domain events; deliveries are staged signed in a transactional outbox.

Sending them over HTTP (the dispatcher thread and its client) is integrations.webhooks.
"""
