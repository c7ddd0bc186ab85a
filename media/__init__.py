"""Pixels: one DICOM renderer, series previews and content-addressed storage.

Rendering functions are pure (dataset or array in, image or bytes out); the only module
that touches the file system for writing is `store`.
"""
