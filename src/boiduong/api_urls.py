"""One router for the whole API; each app registers its viewsets in `register(router)`."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.include_root_view = False
for app in ["orgs", "plans", "people", "events"]:
    try:
        module = import_module(f"boiduong.{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"boiduong.{app}" and not exc.name.startswith(f"boiduong.{app}."):
            raise
        continue
    module.register(router)

urlpatterns = router.urls
