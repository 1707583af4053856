"""The Dask cluster a distributed run uses: started here, or an existing scheduler's.

`open_session(workers=N)` starts a `LocalCluster` of N single-threaded worker processes and
stops it (every process) when the block ends, also on Ctrl-C or an error;
`open_session(address=...)` connects to a running scheduler and leaves it running.  Without
Dask installed both are E060 (with the extra to install); a scheduler that does not answer
within `CONNECT_SECONDS` is E061.  Dask is imported here only, when a session opens, so
`numaspec check` without `--workers` never loads it.

`Session.wait` is the only way the engines wait for work: it returns when the futures are
done, calls `check` (the engines' limits: --timeout, Ctrl-C) every `POLL_SECONDS`, and
raises `WorkerLost` as soon as a worker the run started with leaves the cluster.  A task
pinned to a dead worker would otherwise wait forever (its state, a partition of the
fingerprint table, is gone with it); a lost worker can never yield a verdict.
"""

from __future__ import annotations

import logging
import signal
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from numaspec.model.outcome import LimitReached
from numaspec.spec.diagnostics import Note, fail

CONNECT_SECONDS = 5.0  # an unreachable --cluster address is an error after this long
POLL_SECONDS = 0.25  # between two looks at the workers and the limits while waiting
EXTRA = "pip install 'numaspec[cluster]'"


class WorkerLost(LimitReached):
    """A worker the run depends on died or left: the run is incomplete (exit 3)."""

    def __init__(self, address: str):
        super().__init__(f"worker {address} lost: the distributed run is incomplete "
                         "(no verdict)")
        self.address = address


class Session:
    """A Dask client with the workers it runs on, fixed when the session opened (sorted by
    address: worker i holds partition i)."""

    def __init__(self, client: Any, owned: bool):
        self.client = client
        self.owned = owned  # True: numaspec started the cluster (it stops it too)
        self.workers: list[str] = sorted(self._present())
        if not self.workers:
            raise fail("E061", f"the scheduler at {client.scheduler.address} has no workers",
                       None, Note("start some: dask worker SCHEDULER-ADDRESS"))
        self.run_id = f"numaspec-{uuid.uuid4().hex[:12]}"

    @property
    def size(self) -> int:
        return len(self.workers)

    def submit(self, worker: int, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn(*args)` on worker number `worker` only (never moved elsewhere)."""
        return self.client.submit(fn, *args, workers=[self.workers[worker]],
                                  allow_other_workers=False, pure=False)

    def anywhere(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run `fn(*args)` on whichever worker is free first."""
        return self.client.submit(fn, *args, pure=False)

    def wait(self, futures: Sequence[Any], check: Callable[[], None] | None = None,
             any_done: bool = False) -> None:
        """Until every future (or, with `any_done`, one) is done; raises WorkerLost or
        whatever `check` raises (the futures are then cancelled)."""
        from distributed import wait

        how = "FIRST_COMPLETED" if any_done else "ALL_COMPLETED"
        try:
            while True:
                self.lost()
                if check is not None:
                    check()
                try:
                    wait(list(futures), timeout=POLL_SECONDS, return_when=how)
                    return
                except TimeoutError:
                    continue
        except BaseException:
            self.client.cancel(list(futures))
            raise

    def gather(self, futures: Sequence[Any],
               check: Callable[[], None] | None = None) -> list[Any]:
        self.wait(futures, check)
        self.lost()
        return list(self.client.gather(list(futures)))

    def completed(self, futures: Sequence[Any],
                  check: Callable[[], None] | None = None) -> Iterator[tuple[int, Any]]:
        """(position, result) of each future as it finishes; the ones left are cancelled if
        the caller stops early or an error (WorkerLost, a limit) ends the wait."""
        pending = dict(enumerate(futures))
        try:
            while pending:
                self.wait(list(pending.values()), check, any_done=True)
                for position in [p for p, f in pending.items() if f.done()]:
                    self.lost()
                    yield position, pending.pop(position).result()
        finally:
            if pending:
                self.client.cancel(list(pending.values()))

    def _present(self) -> set[str]:
        """The workers in the cluster now.  (Not `scheduler_info()`: the client refreshes it
        in the background without the workers, so it can read as if all had left.)"""
        return set(self.client.nthreads())

    def lost(self) -> None:
        """Raise WorkerLost if a worker of the session is no longer in the cluster."""
        present = self._present()
        for address in self.workers:
            if address not in present:
                raise WorkerLost(address)


@contextmanager
def open_session(workers: int | None = None, address: str | None = None) -> Iterator[Session]:
    """A session on a new LocalCluster of `workers` processes, or on the scheduler at
    `address`; the cluster numaspec started is stopped when the block ends."""
    distributed = _import()
    if address is not None:
        client = _connect(distributed, address)
        cluster = None
    else:
        assert workers is not None and workers >= 1
        cluster, client = _local(distributed, workers)
    try:
        yield Session(client, owned=cluster is not None)
    finally:
        _close(client, cluster)


def _import() -> Any:
    try:
        import distributed
    except ImportError:
        raise fail("E060", "--workers and --cluster need Dask distributed, which is not "
                   "installed", None, Note(f"install the extra: {EXTRA}")) from None
    # Dask reports a lost worker with its own log lines; numaspec reports it once, itself.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    return distributed


def _connect(distributed: Any, address: str) -> Any:
    try:
        return distributed.Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        raise fail("E061", f"--cluster {address}: cannot reach a Dask scheduler there "
                   f"({err})", None,
                   Note("start one with `dask scheduler` and give its address, "
                        "tcp://HOST:8786")) from None


def _local(distributed: Any, workers: int) -> tuple[Any, Any]:
    import dask

    # Dask's statistical profiler samples every worker thread's stack 100 times a second:
    # for numaspec's pure-Python steps (simulate, fuzz, the encoders) that costs a third of
    # the speed.  The workers get the configuration from their nanny.
    dask.config.set({"distributed.worker.profile.enabled": False})
    cluster = None
    # Ctrl-C is numaspec's to handle (it stops the cluster): the workers must not see it
    # when a terminal sends it to the whole process group.  Dask's event-loop thread, which
    # starts (and restarts) the worker processes, is created now and inherits this thread's
    # blocked SIGINT, and so do the workers; this thread gets it back afterwards (a Ctrl-C
    # meanwhile is delivered then).
    blocked = hasattr(signal, "pthread_sigmask") and \
        threading.current_thread() is threading.main_thread()
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.CRITICAL)
        client = distributed.Client(cluster)
        # the spawned worker processes may install their own handler: ignore it there too
        client.run(_ignore_interrupts)
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        return cluster, client
    except BaseException:  # Ctrl-C while the workers start: leave no process behind
        if cluster is not None:
            cluster.close()
        raise
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _ignore_interrupts() -> None:
    """On a worker numaspec started: Ctrl-C, sent by a terminal to the whole process group,
    is numaspec's to handle (it stops the cluster), not the worker's."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the worker process's main thread: the mask stays as it is
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _close(client: Any, cluster: Any) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()
