"""The staff reports page: a period and agent chosen by a GET form, figures and charts for it.

Staff only, like the dashboard: anonymous visitors go to the login page, customers get the
friendly 403. The page only reads; bad input is the form again with its errors (status 400).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from config.mixins import StaffRequiredMixin
from reports.charts import BarChart, Series, grouped_bar_chart
from reports.forms import ReportForm
from reports.queries import Report, build_report


class ReportView(StaffRequiredMixin, View):
    template_name = "reports/report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReportForm(request.GET or None, today=timezone.localdate())
        if form.is_bound and not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        if form.is_bound:
            period, agent_id = form.period(), form.agent_id()
        else:
            period, agent_id = form.default, None
        report = build_report(period=period, agent_id=agent_id)
        context: dict[str, Any] = {
            "form": form,
            "report": report,
            "agent_name": form.agent_name(agent_id),
            "weekly_chart": weekly_chart(report),
        }
        return render(request, self.template_name, context)


def weekly_chart(report: Report) -> BarChart:
    """Opened and resolved tickets per ISO week, labelled by each week's Monday."""
    return grouped_bar_chart(
        chart_id="weekly-chart",
        title="Tickets opened and resolved per week",
        description=(
            f"{report.overall.opened} opened and {report.overall.resolved} resolved from "
            f"{report.period.start:%-d %b %Y} to {report.period.end:%-d %b %Y}, "
            f"in {len(report.weeks)} weeks; the numbers are in the table below."
        ),
        categories=[f"{week.week:%-d %b}" for week in report.weeks],
        series=[
            Series("Opened", "bar-opened", tuple(week.opened for week in report.weeks)),
            Series("Resolved", "bar-resolved", tuple(week.resolved for week in report.weeks)),
        ],
    )
