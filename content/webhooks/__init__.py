"""Webhooks: partners subscribe to domain events; deliveries are staged signed in a transactional outbox.

Sending them over HTTP (one attempt per job, run by jobs/, and its client) is integrations.webhooks.
"""
