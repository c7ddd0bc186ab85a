"""Annotations: arrows, ellipses and measurements on a case's images (case content) or a trainee's marks."""
