"""Work that follows a commit and may run on another machine: previews, catalog retries, webhooks, LTI scores.

Same layer as importers/: content/ never imports it (content emits events; api/runtime.py wires
them to the queue).
"""
