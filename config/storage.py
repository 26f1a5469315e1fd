"""Static file storage for production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with hashed names in JavaScript module imports too.

    static/js/app.js imports the NHS.UK frontend bundle as an ES module; rewriting that import
    keeps both files cache-busted together.
    """

    support_js_module_import_aggregation = True
