"""Jobs: work that takes longer than a request should (a large upload, an import), run
outside requests by a runner, with its progress and its end stored for the pages to show.

- `work`: what each kind of job does before storing (pure: read, extract), as generators
  of items;
- `worker`: the entry point of the worker process that runs that work;
- `kinds`: each kind's work, how its items are stored (through the services) and what is
  discarded when it fails; submitting a job of each kind;
- `runner`: takes queued jobs one at a time, runs their work in a worker process, stores
  what it yields, notices cancels, and takes up jobs a restart cut short.
"""
