"""Background work of the directory: a large import file is checked and imported by a worker, not in the web
request (partenaires/imports.py); the job's page follows its progress."""

from celery import shared_task

from . import imports


@shared_task(acks_late=True)
def import_job_check_task(job_id: int) -> str:
    """The dry run of a job's file. Idempotent: a job already checked is left as it is."""
    return imports.import_job_check(job_id=job_id).status


@shared_task(acks_late=True)
def import_job_apply_task(job_id: int) -> str:
    """The import itself, in one transaction with the job's own update: delivered again after a worker's death,
    it imports the file once."""
    return imports.import_job_apply(job_id=job_id).status
