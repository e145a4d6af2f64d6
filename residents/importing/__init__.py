"""The resident import as a background job: the upload is checked row by row in the request
(``residents.importer``), stored as an ``ImportJob`` and written by a Celery task in bulk, in
one transaction (``writer``); the page polls the job's progress and shows its report."""
