"""Webhook delivery over HTTP: the attempt a job makes and the one-POST sender (content.webhooks keeps the rules)."""
