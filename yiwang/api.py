"""The JSON API root (Django Ninja). Each context adds its own router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="yiwang API", version="1", urls_namespace="api")


@api.get("/ping", auth=None, summary="Liveness check (the trivial endpoint benchmarks compare with)")
def ping(request):
    return {"ok": True}


def _mount() -> None:
    from yiwang.territory.api import router as territory_router

    api.add_router("/territory/", territory_router)

    from yiwang.services.licences.api import router as licences_router

    api.add_router("/licences/", licences_router)

    from yiwang.services.applications.api import router as applications_router

    api.add_router("/applications/", applications_router)

    from yiwang.sensing.api import router as sensing_router

    api.add_router("/sensing/", sensing_router)


_mount()
