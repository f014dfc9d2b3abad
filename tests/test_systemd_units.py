"""infra/systemd/: every timer has its service, every service runs a command that exists.

Catches a renamed management command or a timer installed without its
service before an operator finds out from an empty journal. The daily
personal-data purge is run for real (dry run) across the test cities.
"""

import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

UNITS = Path(__file__).resolve().parent.parent / "infra" / "systemd"


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file; keys may repeat (Environment=), so values are lists."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        key, _sep, value = line.partition("=")
        assert current is not None, f"{path.name}: {line!r} outside a section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _manage_command(service: Path) -> str | None:
    exec_start = _unit(service)["Service"]["ExecStart"][0]
    argv = shlex.split(exec_start)
    if any(part.endswith("manage.py") for part in argv):
        return argv[[part.endswith("manage.py") for part in argv].index(True) + 1]
    return None


def test_every_timer_has_a_service_to_start():
    timers = sorted(UNITS.glob("*.timer"))
    assert {timer.name for timer in timers} >= {"dialog-backup.timer", "dialog-purge.timer"}
    for timer in timers:
        unit = _unit(timer)
        assert unit["Timer"]["OnCalendar"], timer.name
        assert unit["Install"]["WantedBy"] == ["timers.target"], timer.name
        service = UNITS / unit["Timer"].get("Unit", [timer.stem + ".service"])[0]
        assert service.exists(), f"{timer.name} starts {service.name}, which is missing"
        assert _unit(service)["Service"]["Type"] == ["oneshot"], service.name


def test_every_service_runs_a_management_command_that_exists():
    commands = get_commands()
    checked = []
    for service in sorted(UNITS.glob("*.service")):
        name = _manage_command(service)
        if name is None:
            continue
        assert name in commands, f"{service.name} runs unknown command {name!r}"
        command = load_command_class(commands[name], name)
        command.create_parser("manage.py", name)  # its arguments parse
        checked.append(name)
    assert "purge_personal_data_all" in checked


def test_purge_timer_runs_daily_as_the_app_user():
    timer = _unit(UNITS / "dialog-purge.timer")["Timer"]
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", timer["OnCalendar"][0])
    assert timer["Persistent"] == ["true"]
    service = _unit(UNITS / "dialog-purge.service")["Service"]
    assert service["User"] == ["dialog"]
    assert service["EnvironmentFile"] == ["/etc/dialog/dialog.env"]
    assert "DJANGO_SETTINGS_MODULE=cms.settings.production" in service["Environment"]
    docs = (UNITS.parent.parent / "docs" / "operations.md").read_text()
    assert "dialog-purge.timer" in docs and "purge_personal_data_all" in docs


@pytest.mark.django_db
def test_purge_command_runs_over_every_city(cities):
    out = StringIO()
    call_command("purge_personal_data_all", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("warszawa\twould anonymise") for line in lines), lines
    assert any(line.startswith("wroclaw\twould anonymise") for line in lines), lines
