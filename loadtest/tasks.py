"""Task-queue facts for bin/prod-smoke, with the portal's environment:

python loadtest/tasks.py busy       # "<pid> <task path>" of the oldest running task
python loadtest/tasks.py summary    # tasks by status, and those run again after a kill
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")


def main(command: str) -> int:
    import django

    django.setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from apps.scheduling.recovery import parse_worker_id

    if command == "busy":
        for task in DBTaskResult.objects.running().order_by("started_at"):
            parsed = parse_worker_id(task.worker_ids[-1]) if task.worker_ids else None
            if parsed:
                print(parsed[1], task.task_path)
                break
        return 0
    by_status = dict(
        DBTaskResult.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    print("tasks by status:", by_status)
    for task in DBTaskResult.objects.filter(worker_ids__1__isnull=False):
        print(f"  run again after its worker died: {task.task_path} -> {task.status}")
    return 1 if by_status.get("RUNNING") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "summary"))
