"""Static files as production serves them (issue 13, item 3).

`collectstatic` gives every file a name with a hash of its content (`app.e4acc073a06d.css`), writes
gzip and Brotli copies beside it, and rewrites the references between files to the hashed names:
`url()` in the stylesheet (GOV.UK Frontend's fonts and images) and, with JavaScript module imports
on, `import ... from "..."` in our scripts (init.js's import of GOV.UK Frontend). WhiteNoise
(`WhiteNoiseMiddleware`) then serves a hashed file with a cache lifetime of ten years, marked
immutable, and the compressed copy the browser accepts. A reference to a file that does not exist
stops `collectstatic` with an error, so a broken reference never reaches a deployment.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
