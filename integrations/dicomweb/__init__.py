"""DICOMweb's protocol side (PS3.18), no rule: query syntax, frames, bulk data and metadata JSON from stored files.

What a caller may read stays in content.imaging.dicomweb; api/dicomweb/ asks it, then these
modules turn the selected files into the protocol's bodies.
"""

from integrations.dicomweb.query import attribute_tag, parse_query

__all__ = ["attribute_tag", "parse_query"]
