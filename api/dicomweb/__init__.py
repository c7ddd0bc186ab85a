"""/dicomweb: read-only QIDO-RS and WADO-RS (DICOM PS3.18) over validated cases.

Thin by design: each route authenticates (bearer token, as /graphql: partners' systems send
headers, so no cookie), asks content.imaging.dicomweb what the caller may read, and turns the
rows into DICOM JSON, a multipart/related body of the stored files or frames, or a rendered image.
One module per resource: qido (searches), wado (instances, frames, bulk data), metadata, rendered.

Blind reporting: for a caller to whom a study's case is blind (an open assignment), every route
withholds the answer-bearing attributes (content.imaging.answer_attributes) from QIDO results,
metadata and the instances themselves; pixels and geometry stay, so the viewer still loads them.
"""

from api.dicomweb import metadata, qido, rendered, wado
from api.dicomweb.common import dicomweb_router

__all__ = ["dicomweb_router", "metadata", "qido", "rendered", "wado"]
