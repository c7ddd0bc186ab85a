"""Annotations out of the database: the pixel reader their measurements use, and their DICOM export."""
