"""Long computations run in the background; the page polls their progress.

A :class:`JobQueue` runs jobs on a small thread pool, keeps a bounded number of
finished ones, and refuses new work when too many are waiting (HTTP 429 upstream).
"""

from __future__ import annotations

import threading
import time
import traceback
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int, str], None]


@dataclass
class Job:
    """State of one background computation."""

    id: str
    kind: str
    status: str = "queued"  #: queued, running, done, error
    done: int = 0
    total: int = 1
    message: str = "waiting"
    result: Any = None
    error: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def public(self) -> dict[str, Any]:
        """What the API shows (no result; that has its own field)."""
        return {"id": self.id, "kind": self.kind, "status": self.status, "done": self.done,
                "total": self.total, "message": self.message, "error": self.error or None,
                "fraction": round(self.done / self.total, 4) if self.total else 1.0}


class QueueFull(RuntimeError):
    """Too many jobs are waiting or running."""


class QueueClosed(RuntimeError):
    """The server is shutting down and starts no new job (HTTP 503)."""


class JobQueue:
    """Run jobs in the background with progress; keep the last ``keep`` of them."""

    def __init__(self, workers: int = 1, keep: int = 64, max_pending: int = 8) -> None:
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="silkchain-job")
        self._closed = False
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.keep = keep
        self.max_pending = max_pending

    def submit(self, kind: str, fn: Callable[[Progress], Any], total: int = 1) -> Job:
        """Start ``fn(progress)`` in the background and return its job."""
        with self._lock:
            pending = sum(j.status in ("queued", "running") for j in self._jobs.values())
            if pending >= self.max_pending:
                raise QueueFull(f"{pending} computations are already waiting; try again "
                                "when one has finished")
            if self._closed:
                raise QueueClosed("the server is shutting down; no new computations start")
            job = Job(id=uuid.uuid4().hex, kind=kind, total=max(total, 1))
            self._jobs[job.id] = job
            self._trim()

        def progress(done: int, total: int, message: str) -> None:
            job.done, job.total, job.message = done, max(total, 1), message

        def run() -> None:
            job.status, job.message = "running", "started"
            try:
                job.result = fn(progress)
                job.status, job.done, job.message = "done", job.total, "done"
            except Exception as err:  # reported to the page, not raised in the pool
                job.status, job.error = "error", _message(err)
                job.message = "failed"
                job.result = None
                job.trace = traceback.format_exc(limit=5)  # type: ignore[attr-defined]
            finally:
                job.finished = time.time()

        self._pool.submit(run)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with ``job_id``, if it is still kept."""
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job has finished (tests and synchronous callers)."""
        end = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job is None:
                raise KeyError(job_id)
            if job.status in ("done", "error"):
                return job
            if time.monotonic() > end:
                raise TimeoutError(f"job {job_id} still {job.status} after {timeout} s")
            time.sleep(0.05)

    def start(self) -> None:
        """Accept work again after :meth:`shutdown` (an application started anew)."""
        with self._lock:
            if self._closed:
                self._pool = ThreadPoolExecutor(max_workers=self.workers,
                                                thread_name_prefix="silkchain-job")
                self._closed = False

    def shutdown(self) -> None:
        """Stop accepting work; let running jobs finish."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _trim(self) -> None:
        while len(self._jobs) > self.keep:
            oldest = next((k for k, j in self._jobs.items()
                           if j.status in ("done", "error")), None)
            if oldest is None:
                break
            del self._jobs[oldest]


def _message(err: BaseException) -> str:
    text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
    return f"{type(err).__name__}: {text}"[:2000]
