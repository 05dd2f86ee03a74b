"""`wxwatch status`: the daemon and schedule state read from the database (last and next run per source)."""

from __future__ import annotations

import click

from wxwatch.commands.context import command_config, existing_database
from wxwatch.config import Config
from wxwatch.output import console, print_json, print_table
from wxwatch.storage.lock import DaemonLock, Holder, current_holder
from wxwatch.storage.schedule import ScheduleStore
from wxwatch.timefmt import local_time

COLUMNS = ("source", "schedule", "next_run", "last_run", "last_status", "trigger", "last_success", "last_error")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the daemon's state: last and next run per source, last error, pending alerts.

    Example:

        wxwatch status --json
    """
    config = command_config(ctx)
    document = status_document(config, ScheduleStore(existing_database(ctx, as_json=as_json)))
    if as_json:
        print_json(document)
    else:
        print_status(document, config.schedule.timezone)


def status_document(config: Config, store: ScheduleStore) -> dict:
    """Everything `status` shows, as plain data."""
    states = store.source_states()
    sources = [_source_row(source.name, source.enabled, states.get(source.name, {})) for source in config.sources]
    crawl = current_holder(config.storage.path)
    return {"daemon": _daemon(store.daemon(), current_holder(config.storage.path, DaemonLock.suffix)),
            "crawl_running": _holder(crawl), "pending_alerts": store.pending_alerts(), "sources": sources}


def _source_row(name: str, enabled: bool, state: dict) -> dict:
    error = state.get("last_error") if state.get("last_status") != "ok" else None
    return {"source": name, "enabled": enabled, "schedule": state.get("schedule"), "next_run": state.get("next_run"),
            "last_run": state.get("last_run"), "last_status": state.get("last_status"),
            "trigger": state.get("last_trigger"), "run_id": state.get("last_run_id"),
            "last_success": state.get("last_success"), "last_error": error or state.get("last_scheduled_error"),
            "last_scheduled": state.get("last_scheduled"),
            "last_scheduled_status": state.get("last_scheduled_status")}


def _daemon(row: dict | None, holder: Holder | None) -> dict:
    if row is None:
        return {"state": "never started"}
    running = holder is not None and holder.pid == row["pid"] and not row["stopped"]
    return {"state": "running" if running else "stopped", "pid": row["pid"], "host": row["host"],
            "started": row["started"], "heartbeat": row["heartbeat"], "stopped": row["stopped"],
            "status": row["status"]}


def _holder(holder: Holder | None) -> dict | None:
    return None if holder is None else {"pid": holder.pid, "host": holder.host, "started": holder.started,
                                        "command": holder.command}


def print_status(document: dict, tz: str) -> None:
    daemon = document["daemon"]
    line = f"daemon: {daemon['state']}"
    if daemon.get("pid"):
        line += f" (pid {daemon['pid']}, started {_local(daemon['started'], tz)}, {daemon['status']})"
    console.print(line, highlight=False)
    crawl = document["crawl_running"]
    if crawl:
        console.print(f"crawl running: pid {crawl['pid']} ({crawl['command']}, started {_local(crawl['started'], tz)})",
                      highlight=False)
    console.print(f"pending alerts: {document['pending_alerts']}", highlight=False)
    rows = [[row["source"], row["schedule"] or ("disabled" if not row["enabled"] else ""),
             _local(row["next_run"], tz), _local(row["last_run"], tz), row["last_status"], row["trigger"],
             _local(row["last_success"], tz), row["last_error"]] for row in document["sources"]]
    print_table("sources", COLUMNS, rows)


def _local(moment: str | None, tz: str) -> str:
    """An ISO timestamp shown in the schedule's time zone, to the second, with its offset."""
    return local_time(moment, tz, seconds=True)
