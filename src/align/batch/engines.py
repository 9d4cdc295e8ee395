"""Where the tasks run: ``local`` (a process pool on this machine, no server) or ``ray``
(Ray actors on a local instance started for the run, or on an existing cluster).

Both yield each ``Outcome`` as it completes; the driver orders the results, so the
engine and the number of workers never change them.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from align.batch.tasks import THREAD_VARIABLES, Outcome, Settings, Task, init_process, run_in_process
from align.errors import InputError

ENGINES = ("local", "ray")


def run_local(tasks: Sequence[Task], settings: Settings, workers: int) -> Iterator[Outcome]:
    # spawn, not fork: a forked child would inherit the driver's threads and open SQLite handles.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_process,
                             initargs=(settings,)) as pool:
        futures = [pool.submit(run_in_process, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def run_ray(tasks: Sequence[Task], settings: Settings, workers: int | None,
            address: str | None) -> Iterator[Outcome]:
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise InputError('--engine ray needs Ray: pip install -e ".[ray]" (or pip install "align[ray]")') from None
    from align.batch.tasks import Worker

    env = {"env_vars": {name: "1" for name in THREAD_VARIABLES}}
    if address:
        ray.init(address=address, runtime_env=env, log_to_driver=False)
        workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    else:
        workers = workers or multiprocessing.cpu_count()
        ray.init(num_cpus=workers, runtime_env=env, include_dashboard=False, log_to_driver=False)
    try:
        actor = ray.remote(num_cpus=1)(Worker)
        pool = ActorPool([actor.remote(settings) for _ in range(min(workers, max(len(tasks), 1)))])
        yield from pool.map_unordered(lambda a, task: a.run.remote(task), tasks)
    finally:
        ray.shutdown()
