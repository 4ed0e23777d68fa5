from boiduong.core.matrix import Case


def _school(code):
    return lambda world: {"pk": world.unit(code).pk}


HANOI_SCHOOL = _school("SGD01-2025-MN001")
CAMAU_SCHOOL = _school("SGD96-2025-MN001")

CASES = [
    Case("orgs:unit_list", allowed="so.hanoi", query="?as_of=2021-04-07"),
    Case("orgs:unit_tree", allowed="so.hanoi"),
    # Scoped by `for` (a permission): other provinces' units are never found (test_orgs.py).
    Case("orgs:unit_lookup", allowed="so.hanoi", query="?q=hoa+sen&kind=school"),
    Case(
        "orgs:unit_tree_children",
        allowed="so.hanoi",
        kwargs=_school("SGD01-2025"),
        foreign=CAMAU_SCHOOL,
    ),
    Case("orgs:unit_detail", allowed="so.hanoi", kwargs=HANOI_SCHOOL, foreign=CAMAU_SCHOOL),
    Case("orgs:province_list", allowed="so.hanoi"),
    Case(
        "orgs:province_detail",
        allowed="so.hanoi",
        kwargs=lambda w: {"pk": w.unit("SGD96-2025").province_id},
    ),
    Case("orgunit-list", allowed="so.hanoi", api=True),
    Case("orgunit-detail", allowed="so.hanoi", api=True, kwargs=HANOI_SCHOOL, foreign=CAMAU_SCHOOL),
    Case("province-list", allowed="so.hanoi", api=True),
    Case(
        "province-detail",
        allowed="so.hanoi",
        api=True,
        kwargs=lambda w: {"pk": w.unit("SGD01-2025").province_id},
    ),
]
