"""Start bqemulator with multipart load uploads accepted (google-cloud-bigquery sends Content-Type */*)."""
import sys

import bqemulator.api.routes.upload as _upload

_upload._PERMITTED_MEDIA_CONTENT_TYPES = (*_upload._PERMITTED_MEDIA_CONTENT_TYPES, "*/*")
from bqemulator.cli import main  # noqa: E402 - imported after the patch on purpose

sys.exit(main())
