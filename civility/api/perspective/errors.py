"""Google's error envelope, the one shape every Perspective-path error takes."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from civility.errors import CivilityError

ERROR_TYPE_URL = "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"


def envelope(error: CivilityError) -> dict[str, Any]:
    detail: dict[str, Any] = {"@type": ERROR_TYPE_URL, "errorType": error.error_type}
    detail.update(error.details)
    return {
        "error": {
            "code": error.http_status,
            "message": error.message,
            "status": error.status,
            "details": [detail],
        }
    }


def error_response(error: CivilityError, headers: dict[str, str] | None = None) -> JSONResponse:
    merged = dict(headers or {})
    if error.retry_after is not None:
        merged["Retry-After"] = str(error.retry_after)
    return JSONResponse(envelope(error), status_code=error.http_status, headers=merged or None)
