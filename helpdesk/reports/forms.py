"""The report's GET form: a period of whole days and an optional agent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms

from reports.periods import MAX_DAYS, Period, default_period
from tickets.forms import staff_choices

ALL_AGENTS = ""


class DateInput(forms.DateInput):
    input_type = "date"


class ReportForm(forms.Form):
    """Dates left empty take the default period's; whatever is given is checked here.

    The end may not lie after ``today`` (nothing has happened there yet, and it keeps every
    date well away from ``date.max``), the end comes on or after the start, and a period is
    at most ``MAX_DAYS`` days, so the weekly chart never has more than 54 weeks.
    """

    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)
    agent = forms.ChoiceField(
        label="Agent",
        required=False,
        help_text="The tickets' assignee; a rating counts for its ticket's assignee.",
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.default = default_period(today)
        self.fields["start"].initial = self.default.start
        self.fields["end"].initial = self.default.end
        self.agent_choices = [
            (ALL_AGENTS, "All agents"),
            *staff_choices(),
        ]
        cast("forms.ChoiceField", self.fields["agent"]).choices = self.agent_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_error("start") or self.has_error("end"):
            return data
        start: date = data.get("start") or self.default.start
        end: date = data.get("end") or max(self.default.end, start)
        up_to_today = f"Choose a day up to today ({self.today.isoformat()})."
        if start > self.today:
            self.add_error("start", up_to_today)
        elif end > self.today:
            self.add_error("end", up_to_today)
        elif start > end:
            self.add_error("end", "The period ends on or after the day it starts.")
        elif (end - start) >= timedelta(days=MAX_DAYS):
            self.add_error("end", f"A report covers at most {MAX_DAYS} days.")
        else:
            data["start"], data["end"] = start, end
        return data

    def period(self) -> Period:
        """The period asked for (or the default one); call after ``is_valid()`` is true."""
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def agent_name(self, agent_id: int | None) -> str:
        """The chosen agent's username, from the choices already read (no query)."""
        if agent_id is None:
            return ""
        return dict(self.agent_choices).get(str(agent_id), "")

    def agent_id(self) -> int | None:
        agent: str = self.cleaned_data.get("agent") or ALL_AGENTS
        return int(agent) if agent else None
