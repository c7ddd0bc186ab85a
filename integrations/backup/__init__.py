"""Export the whole repository (rows, versions, audit, media) to a folder, and restore it on either backend."""

from integrations.backup.export import export_repository
from integrations.backup.manifest import FORMAT_VERSION, Manifest
from integrations.backup.restore import restore_repository
from integrations.backup.verify import verify_export

__all__ = ["FORMAT_VERSION", "Manifest", "export_repository", "restore_repository", "verify_export"]
