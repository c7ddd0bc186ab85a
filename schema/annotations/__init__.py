"""Annotations on a case's images in GraphQL: the types, saveAnnotations, and the marks of a report."""
