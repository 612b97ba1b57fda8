"""Helpers shared by the tests of the API's tokens and writes (tests/test_api_*.py); no test.

Like the tests of comments, they act on the tiny component's notes, as a third-party
component would.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from brique.api.tokens import create_token
from tests.test_concurrency import PARALLEL


def token_for(user: Any, name: str = "Borne de la mairie") -> str:
    """A new personal token of ``user`` (its secret)."""
    return create_token(user, name)[1]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def api_post(client: Any, path: str, secret: str | None, body: Any, **headers: str) -> Any:
    """POST ``body`` as JSON to ``/api/v1<path>`` with the token ``secret`` (if any)."""
    sent = {**(bearer(secret) if secret else {}), **headers}
    return client.post(f"/api/v1{path}", json=body, headers=sent)


def comment_body(note: Any, body: str = "Bonne idée, je soutiens", **fields: Any) -> dict:
    return {"resource_type": "tiny.note", "resource_id": note.id, "body": body, **fields}


def post_json_in_parallel(app: Any, requests: list[tuple[str, dict, str]]) -> list[int]:
    """Send ``(path, json, token)`` requests from separate threads and clients."""

    def send(request: tuple[str, dict, str]) -> int:
        path, body, secret = request
        client = app.test_client()
        with app.app_context():
            return client.post(path, json=body, headers=bearer(secret)).status_code

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(send, requests))
