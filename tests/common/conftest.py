from tests.celery_helpers import celery_worker  # noqa: F401  (fixture for the tests of this directory)
