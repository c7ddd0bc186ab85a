"""Work that follows a commit and may run on another machine: series previews, catalog retries.

Same layer as importers/: content/ never imports it (content emits events; api/runtime.py wires
them to the queue).
"""
