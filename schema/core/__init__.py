"""Shared GraphQL machinery: the Node interface, global ids, payload errors, pagination and the request context."""
