import contextlib
import logging
import os
import signal
import socket
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker

from meetings.actions import background
from minutes_site.outbox import sending

log = logging.getLogger("minutes_site.outbox")


class Command(BaseCommand):
    help = (
        "Runs the background tasks (e-mail, kallelser) until stopped. Start one or more "
        "on any node: they share the queue in the database. Between tasks each worker "
        "takes up what a dead one left (outbox.post.sweep)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--sweep-every", type=float, default=30.0)
        parser.add_argument(
            "--until-done", action="store_true", help="run what is ready, then stop"
        )

    def handle(self, *args, interval, sweep_every, until_done, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        last_sweep = -sweep_every
        log.info("worker %s started", worker_id)
        while self.running:
            ran = 0
            try:
                close_old_connections()
                if time.monotonic() - last_sweep >= sweep_every:
                    sending.sweep()
                    background.sweep()
                    last_sweep = time.monotonic()
                # One task at a time, so that a stop waits for one task at most.
                worker = Worker(
                    queue_names=["*"],
                    interval=0,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=1,
                    worker_id=worker_id,
                    excluded_queue_names=[],
                )
                worker.run()
                ran = worker._run_tasks
            except (OperationalError, InterfaceError) as e:
                # The database restarted or is away: wait, reconnect, go on. A task it
                # cut off is run again after its lease.
                log.warning("worker %s: database unreachable (%s)", worker_id, e)
                for conn in connections.all():
                    with contextlib.suppress(OperationalError, InterfaceError):
                        conn.close()
                time.sleep(interval)
                continue
            if until_done and not ran:
                break
            if not ran:
                time.sleep(interval)
        log.info("worker %s stopped", worker_id)

    def _stop(self, signum, frame):
        self.running = False
