"""Celery tasks of the kernel: thin, idempotent, ids only."""

from __future__ import annotations

from celery import shared_task

from core import sources
from core.audit import audit_context


@shared_task(name="core.tasks.extract_source_text")
def extract_source_text(source_id: str) -> str:
    """Kicked when a source is added: extract its text and index it (core.sources). A source
    already done, or taken by another worker, is left alone."""
    with audit_context("task", task="extract_source_text"):
        return sources.source_extract_text(source_id)


@shared_task(name="core.tasks.extract_pending_sources")
def extract_pending_sources() -> int:
    """Beat, every SOURCES_SWEEP_SECONDS: extract the sources whose kick was lost."""
    done = 0
    with audit_context("task", task="extract_pending_sources"):
        for source_id in sources.pending_sources():
            done += bool(sources.source_extract_text(source_id))
    return done
