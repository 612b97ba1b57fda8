"""Helpers the budgets tests share: URLs and the voter's requests."""

from __future__ import annotations


def url(budget, path=""):
    component = budget.component
    return f"/processes/{component.space.slug}/c/{component.id}/{budget.id}/{path}"


def project_ids(budget):
    return [project.id for project in budget.projects]


def add(client, budget, project_id, points=None):
    data = {"project_id": project_id}
    if points is not None:
        data["points"] = points
    return client.post(url(budget, "ballot/add"), data=data)


def cast(client, budget):
    return client.post(url(budget, "ballot/cast"))
