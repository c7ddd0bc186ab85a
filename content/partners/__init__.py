"""Partner schools: organisations that read chosen collections through API tokens."""

from content.partners import models

__all__ = ["models"]
