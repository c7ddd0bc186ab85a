"""Webhook delivery over HTTP: the dispatcher thread and the one-POST sender (content.webhooks keeps the rules)."""
