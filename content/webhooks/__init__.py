"""Webhooks: partners subscribe to domain events; deliveries go out signed, from a transactional outbox."""
