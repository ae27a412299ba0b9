"""The demo users, one per role, all with the password `khuyencong-demo`. Created only by
`seed_demo`, never by a migration, so that no production database ever holds them."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import Role, User
from organisations.models import Organisation
from provinces.models import Province, ProvinceMap

DEMO_PASSWORD = "khuyencong-demo"  # noqa: S105 (published demo password, README)
APPROVER_GROUP = "Phê duyệt"

# username, role, last name (họ và tên đệm), first name (tên), staff, superuser, province,
# organisation ("agency", "ipc1", "department")
USERS = (
    ("bo", Role.MINISTRY, "Nguyễn Văn", "Minh", False, False, None, "agency"),
    ("pheduyet", Role.APPROVER, "Trần Thị Thu", "Hà", True, False, None, "agency"),
    ("ipc1", Role.REGIONAL, "Lê Quang", "Tuấn", False, False, None, "ipc1"),
    ("tinh-19", Role.PROVINCE, "Phạm Thị", "Hương", False, False, "19", "department"),
    ("tinh-01", Role.PROVINCE, "Hoàng Đức", "Dũng", False, False, "01", "department"),
    ("quantri", Role.ADMIN, "Vũ Hồng", "Sơn", True, True, None, None),
)


def _organisation(key: str | None, province: Province | None) -> Organisation | None:
    if key == "agency":
        return Organisation.objects.get(kind=Organisation.Kind.AGENCY)
    if key == "ipc1":
        return Organisation.objects.get(kind=Organisation.Kind.REGIONAL_CENTRE, short_name="IPC1")
    if key == "department":
        return Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT, province=province)
    return None


def approver_group() -> tuple[Group, str]:
    """The "Phê duyệt" group: may view and change the schemes and the money (and view, not
    change, their history)."""
    group, created = Group.objects.get_or_create(name=APPROVER_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label__in=["projects", "budgets"]
    ).filter(
        Q(codename__startswith="view_")
        | (Q(codename__startswith="change_") & ~Q(codename__startswith="change_historical"))
    )
    wanted = set(permissions.values_list("pk", flat=True))
    current = set(group.permissions.values_list("pk", flat=True))
    if wanted != current:
        group.permissions.set(wanted)
    return group, "created" if created else ("updated" if wanted != current else "")


def ensure_users() -> tuple[list[str], list[str]]:
    """Create the demo users, or bring their role, names, province and organisation back to
    the demo settings (a password someone has changed since is left alone): (usernames
    created, usernames or groups updated). A second run changes nothing."""
    group, change = approver_group()
    created, updated = [], []
    password = ""
    if change:
        (created if change == "created" else updated).append(f"nhóm {group.name}")
    for username, role, last, first, staff, superuser, code, org in USERS:
        province = Province.objects.get(map_version=ProvinceMap.NEW_34, code=code) if code else None
        wanted = {
            "role": role,
            "last_name": last,
            "first_name": first,
            "is_staff": staff,
            "is_superuser": superuser,
            "is_active": True,
            "province": province,
            "organisation": _organisation(org, province),
        }
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)  # hashing is slow: once
            user = User.objects.create(username=username, password=password, **wanted)
            created.append(username)
        else:
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, wanted[name])
            if changed:
                user.save(update_fields=changed)
                updated.append(username)
        if role == Role.APPROVER and not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            if username not in created + updated:
                updated.append(username)
    return created, updated
