"""Integrations: the I/O the domain needs done for it (HTTP delivery, files), kept out of content/."""
