"""Export the whole repository (rows, versions, audit, media) to a folder, and restore it on either backend."""

from content.backup.export import export_repository
from content.backup.manifest import FORMAT_VERSION, Manifest
from content.backup.restore import restore_repository
from content.backup.verify import verify_export

__all__ = ["FORMAT_VERSION", "Manifest", "export_repository", "restore_repository", "verify_export"]
