"""Privacy routes of the native API: erasing one author's data (GDPR-style right to erasure)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool

from civility.api.auth import AdminKey
from civility.api.deps import ServicesDep
from civility.api.native import schemas
from civility.services import privacy

router = APIRouter(prefix="/v1", tags=["native"])
SiteSlug = Annotated[str, Path(pattern=schemas.SLUG, description="The site's slug.")]
AuthorId = Annotated[str, Path(min_length=1, max_length=200, description="The publisher's id of the author.")]


@router.delete("/sites/{site}/authors/{author}")
async def erase_author(site: SiteSlug, author: AuthorId, services: ServicesDep, key: AdminKey) -> dict[str, Any]:
    """Erase the author's texts, name and feedback from every table; their comments' decisions and counts stay,
    redacted. Admin scope; a key bound to other sites gets 404. Recorded in the audit log as `author.erased`."""
    report = await run_in_threadpool(
        privacy.erase_author, services.sessions, site, author, key.principal, services.duplicates
    )
    return report.to_dict()
